/* Swap I/O (mm/page_io.c): a page goes out with swap_writepage() and
 * comes in with swap_readpage(), each one bio to the swap device's block
 * device, so that the disk model times it and a faulting task waits in D
 * for it. The bytes move between RAM and the backing store (the
 * partition's host memory, or the host file with pwrite/pread): a write
 * when it is submitted (the page is unmapped and cannot change under
 * it), a read when the bio completes. */
#include "mm/swap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/block/blkdev.h"
#include "mm/internal.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "mm/vmstat.h"

struct swap_bio {
	struct bio bio;
	struct page *page;
	struct list_head list; /* on swap_state.bios */
};

static struct swap_device *entry_device(swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(entry);

	return si ? si->dev : NULL;
}

/* Moves one page between RAM and the backing store. */
static void swap_copy(struct swap_device *d, unsigned long off,
		      struct page *page, bool write)
{
	void *kaddr = kmap_local_page(page);
	off_t pos = (off_t)off << PAGE_SHIFT;
	ssize_t n;

	if (d->mem) {
		if (write)
			memcpy(d->mem + pos, kaddr, PAGE_SIZE);
		else
			memcpy(kaddr, d->mem + pos, PAGE_SIZE);
		return;
	}
	n = write ? pwrite(d->fd, kaddr, PAGE_SIZE, pos) :
		    pread(d->fd, kaddr, PAGE_SIZE, pos);
	if (n != (ssize_t)PAGE_SIZE)
		pr_alert("%s-error on swap-device (%s:%llu)\n",
			 write ? "Write" : "Read", d->path,
			 (unsigned long long)off);
}

static void swap_bio_free(struct swap_bio *sb)
{
	list_del(&sb->list);
	put_page(sb->page);
	free(sb);
}

/* The processes that referred to the slot went while its I/O was in
 * flight (free_swap_and_cache could not take a busy page). */
static void drop_if_unused(struct page *page)
{
	if (PageSwapCache(page) && !page_mapped(page) && !PageWriteback(page) &&
	    !PageLocked(page) && !swap_count(page_swap_entry(page)))
		delete_from_swap_cache(page);
}

static void end_page_writeback(struct page *page)
{
	page->flags &= ~(1UL << PG_writeback);
	__mod_node_page_state(page_pgdat(page), NR_WRITEBACK, -1);
	__mod_node_page_state(page_pgdat(page), NR_WRITTEN, 1);
	__mod_zone_page_state(page_zone(page), NR_ZONE_WRITE_PENDING, -1);
	/* Reclaim wanted it: to the tail of the inactive list, where the
	 * next scan finds it (folio_rotate_reclaimable). */
	if (test_bit_flag(page, PG_reclaim)) {
		page->flags &= ~(1UL << PG_reclaim);
		if (PageLRU(page) && !test_bit_flag(page, PG_active) &&
		    !test_bit_flag(page, PG_unevictable)) {
			list_move_tail(
				&page->lru,
				&page_lruvec(page)->lists[page_lru(page)]);
			count_vm_event(PGROTATED);
		}
	}
	drop_if_unused(page);
}

static void end_swap_bio_write(struct bio *bio)
{
	struct swap_bio *sb = bio->bi_private;

	if (bio->bi_status) {
		SetPageDirty(sb->page); /* written again at a later scan */
		pr_alert("Write-error on swap-device (%u:%u:%llu)\n",
			 MAJOR(bio->bi_bdev->bd_dev),
			 MINOR(bio->bi_bdev->bd_dev),
			 (unsigned long long)bio->bi_iter.bi_sector);
	}
	end_page_writeback(sb->page);
	swap_bio_free(sb);
	wake_up_all(&M->swap->wait);
	if (++M->swap->nr_written >= SWAP_CLUSTER_MAX ||
	    !global_node_page_state(NR_WRITEBACK)) {
		M->swap->nr_written = 0;
		wake_up_all(&M->swap->throttle);
	}
}

static void read_done(struct page *page)
{
	if (!PageUptodate(page)) {
		swp_entry_t entry = page_swap_entry(page);
		struct swap_device *d = entry_device(entry);

		if (d)
			swap_copy(d, swp_offset(entry), page, false);
		page->flags |= 1UL << PG_uptodate;
	}
	page->flags &= ~(1UL << PG_locked);
}

static void end_swap_bio_read(struct bio *bio)
{
	struct swap_bio *sb = bio->bi_private;

	/* An error of the timing model: the data is still in the store. */
	read_done(sb->page);
	drop_if_unused(sb->page);
	M->swap->nr_reads--;
	swap_bio_free(sb);
	wake_up_all(&M->swap->wait);
	if (!global_node_page_state(NR_WRITEBACK))
		wake_up_all(&M->swap->throttle);
}

static void submit_swap_bio(struct page *page, struct swap_device *d,
			    unsigned long off, enum req_op op,
			    bio_end_io_t *end_io)
{
	struct swap_bio *sb = calloc(1, sizeof(*sb));

	if (!sb) { /* no host memory: done at once, untimed */
		if (op == REQ_OP_READ) {
			read_done(page);
			M->swap->nr_reads--;
		} else {
			end_page_writeback(page);
		}
		return;
	}
	get_page(page);
	sb->page = page;
	list_add_tail(&sb->list, &M->swap->bios);
	bio_init(&sb->bio, d->bdev, NULL, 0, op);
	sb->bio.bi_iter.bi_sector =
		d->start_sector +
		((sector_t)off << (PAGE_SHIFT - SECTOR_SHIFT));
	sb->bio.bi_iter.bi_size = PAGE_SIZE;
	sb->bio.bi_end_io = end_io;
	sb->bio.bi_private = sb;
	submit_bio(&sb->bio);
}

void swap_writepage(struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);
	struct swap_device *d = entry_device(entry);

	if (!d)
		return;
	ClearPageDirty(page);
	page->flags |= 1UL << PG_writeback;
	__mod_node_page_state(page_pgdat(page), NR_WRITEBACK, 1);
	__mod_zone_page_state(page_zone(page), NR_ZONE_WRITE_PENDING, 1);
	swap_copy(d, swp_offset(entry), page, true);
	count_vm_event(PSWPOUT);
	count_vm_events(PGPGOUT, PAGE_SIZE >> 10);
	submit_swap_bio(page, d, swp_offset(entry), REQ_OP_WRITE,
			end_swap_bio_write);
}

void swap_readpage(struct page *page, bool sync)
{
	swp_entry_t entry = page_swap_entry(page);
	struct swap_device *d = entry_device(entry);

	count_vm_event(PSWPIN);
	count_vm_events(PGPGIN, PAGE_SIZE >> 10);
	if (!d || sync) {
		read_done(page);
		return;
	}
	M->swap->nr_reads++;
	submit_swap_bio(page, d, swp_offset(entry), REQ_OP_READ,
			end_swap_bio_read);
}

void swap_read_now(struct page *page)
{
	if (PageLocked(page))
		read_done(page);
}

void swap_io_destroy(struct swap_state *s)
{
	while (!list_empty(&s->bios)) {
		struct swap_bio *sb =
			list_first_entry(&s->bios, struct swap_bio, list);

		list_del(&sb->list);
		free(sb); /* RAM and its pages go with the machine */
	}
}
