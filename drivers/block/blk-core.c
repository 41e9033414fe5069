/* The block layer's core (block/bio.c, block/blk-core.c): setting bios
 * up, checking them on submission (submit_bio_noacct's checks), ending
 * them, and the I/O statistics of Linux 6.x (blk_account_io_start/done,
 * update_io_ticks, the flush accounting of blk-flush.c). */
#include <errno.h>
#include <string.h>

#include "drivers/block/blk.h"
#include "kernel/printk.h"
#include "kernel/time/time.h"

void bio_init(struct bio *bio, struct block_device *bdev, struct bio_vec *table,
	      unsigned short max_vecs, blk_opf_t opf)
{
	memset(bio, 0, sizeof(*bio));
	bio->bi_bdev = bdev;
	bio->bi_opf = opf;
	bio->bi_io_vec = table;
	bio->bi_max_vecs = max_vecs;
}

int bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		 unsigned int off)
{
	struct bio_vec *bv;

	if (bio->bi_vcnt >= bio->bi_max_vecs ||
	    bio->bi_iter.bi_size > UINT32_MAX - len)
		return 0;
	bv = &bio->bi_io_vec[bio->bi_vcnt++];
	bv->bv_page = page;
	bv->bv_len = len;
	bv->bv_offset = off;
	bio->bi_iter.bi_size += len;
	return (int)len;
}

void bio_endio(struct bio *bio)
{
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
}

int blk_status_to_errno(blk_status_t status)
{
	switch (status) {
	case BLK_STS_OK:
		return 0;
	case BLK_STS_NOTSUPP:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

/* bio_check_eod(): a bio past the end fails with Linux's message. */
static bool bio_beyond_eod(struct bio *bio)
{
	sector_t maxsector = bdev_nr_sectors(bio->bi_bdev);
	unsigned int nr_sectors = bio_sectors(bio);

	if (!nr_sectors || (nr_sectors <= maxsector &&
			    bio->bi_iter.bi_sector <= maxsector - nr_sectors))
		return false;
	pr_info("%s: attempt to access beyond end of device\n", current_comm());
	pr_info("%s: rw=%u, sector=%llu, nr_sectors = %u limit=%llu\n",
		bio->bi_bdev->bd_disk->disk_name, bio->bi_opf,
		(unsigned long long)bio->bi_iter.bi_sector, nr_sectors,
		(unsigned long long)maxsector);
	return true;
}

/* Why the device cannot take bio: BLK_STS_OK when it can. */
static blk_status_t bio_check(struct bio *bio)
{
	const struct request_queue *q = &bio->bi_bdev->bd_disk->queue;
	enum req_op op = bio_op(bio);

	if (op >= REQ_OP_LAST || (op == REQ_OP_DISCARD && !q->discard))
		return BLK_STS_NOTSUPP;
	if (bio_beyond_eod(bio))
		return BLK_STS_IOERR;
	/* bio_unaligned(), and a flush carries no data. */
	if ((bio->bi_iter.bi_size & (q->logical_block_size - 1)) ||
	    (op == REQ_OP_FLUSH && bio->bi_iter.bi_size))
		return BLK_STS_IOERR;
	return BLK_STS_OK;
}

void submit_bio(struct bio *bio)
{
	blk_status_t status;

	bio->bi_next = NULL;
	bio->bi_status = BLK_STS_OK;
	if (WARN(!bio->bi_bdev, "submit_bio: a bio without a device\n")) {
		bio_io_error(bio);
		return;
	}
	status = bio_check(bio);
	if (status != BLK_STS_OK) {
		bio->bi_status = status;
		bio_endio(bio);
		return;
	}
	blk_mq_submit_bio(bio);
}

/* ---- statistics ---------------------------------------------------------- */

static enum stat_group op_stat_group(enum req_op op)
{
	if (op == REQ_OP_DISCARD)
		return STAT_DISCARD;
	return op_is_write(op) ? STAT_WRITE : STAT_READ;
}

unsigned int bdev_count_inflight(const struct block_device *bdev)
{
	return bdev->bd_in_flight[0] + bdev->bd_in_flight[1];
}

void update_io_ticks(struct block_device *part, unsigned long now, bool end)
{
	unsigned long stamp = part->bd_stamp;

	if ((long)(stamp - now) >= 0) /* !time_after(now, stamp) */
		return;
	part->bd_stamp = now;
	if (end || bdev_count_inflight(part))
		part->bd_stats.io_ticks += now - stamp;
}

/* A flush is counted when it ends (blk_account_io_flush()): neither in
 * flight nor in io_ticks. */
void blk_account_io_start(struct bio *bio)
{
	struct block_device *part = bio->bi_bdev;

	bio->bi_start_ns = ktime_get_ns();
	if (bio_op(bio) == REQ_OP_FLUSH)
		return;
	update_io_ticks(part, jiffies, false);
	part->bd_in_flight[op_is_write(bio->bi_opf)]++;
}

void blk_account_io_done(struct bio *bio, uint64_t now)
{
	struct block_device *part = bio->bi_bdev;
	struct disk_stats *st = &part->bd_stats;
	enum stat_group sgrp;

	if (bio_op(bio) == REQ_OP_FLUSH) {
		st->ios[STAT_FLUSH]++;
		st->nsecs[STAT_FLUSH] += now - bio->bi_start_ns;
		return;
	}
	sgrp = op_stat_group(bio_op(bio));
	update_io_ticks(part, jiffies, true);
	st->ios[sgrp]++;
	st->sectors[sgrp] += bio_sectors(bio);
	st->nsecs[sgrp] += now - bio->bi_start_ns;
	part->bd_in_flight[op_is_write(bio->bi_opf)]--;
}
