/* Swap areas (mm/swapfile.c): mkswap'd devices, swapon(2) and
 * swapoff(2), swap_map counts per slot, cluster-based slot allocation
 * (SWAPFILE_CLUSTER slots per cluster, a free cluster taken whole before
 * a fragmented one is scanned), priorities (higher first, equal ones in
 * turn), /proc/swaps and the kernel log lines of swapon. A swap device is
 * a partition of its own (a new disk of the model, data in host memory)
 * or a host file whose I/O the model times on a disk. */
#include "mm/swap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/parse.h"
#include "drivers/block/blkdev.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))
/* The smallest area mkswap makes: 10 pages. */
#define SWAP_MIN_PAGES 10UL

/* ---- devices (mkswap) ------------------------------------------------------ */

static bool preset_parse(const char *s, size_t len, enum disk_preset *p)
{
	for (int i = 0; i < DISK_NONE; i++) {
		const char *n = disk_preset_name((enum disk_preset)i);

		if (strlen(n) == len && !strncmp(s, n, len)) {
			*p = (enum disk_preset)i;
			return true;
		}
	}
	return false;
}

struct swap_spec {
	uint64_t bytes;
	char preset[8]; /* "" = default */
	const char *file; /* NULL: a partition */
};

static bool swap_spec_parse(const char *value, struct swap_spec *sp, char *err,
			    size_t errlen)
{
	const char *c1 = strchr(value, ':'), *rest;
	char size[64], why[160];
	size_t n = c1 ? (size_t)(c1 - value) : strlen(value);
	enum disk_preset p;

	memset(sp, 0, sizeof(*sp));
	if (n >= sizeof(size) || !n) {
		snprintf(err, errlen,
			 "--swap %s: expected SIZE[:nvme|ssd|hdd][:FILE]",
			 value);
		return false;
	}
	memcpy(size, value, n);
	size[n] = '\0';
	if (!parse_size(size, &sp->bytes, why, sizeof(why))) {
		snprintf(err, errlen, "--swap %s: %s", value, why);
		return false;
	}
	if (sp->bytes < SWAP_MIN_PAGES * PAGE_SIZE ||
	    sp->bytes > (1ULL << 40)) {
		snprintf(err, errlen,
			 "--swap %s: size out of range (accepted: 40K..1T)",
			 value);
		return false;
	}
	if (!c1)
		return true;
	rest = c1 + 1;
	n = strcspn(rest, ":");
	if (!n && *rest == ':') {
		snprintf(
			err, errlen,
			"--swap %s: empty disk type (accepted: SIZE[:nvme|ssd|hdd][:FILE])",
			value);
		return false;
	}
	if (preset_parse(rest, n, &p)) {
		snprintf(sp->preset, sizeof(sp->preset), "%s",
			 disk_preset_name(p));
		rest += n;
		if (!*rest)
			return true;
		rest++;
	}
	if (!*rest) {
		snprintf(
			err, errlen,
			"--swap %s: empty FILE (accepted: SIZE[:nvme|ssd|hdd][:FILE])",
			value);
		return false;
	}
	sp->file = rest;
	return true;
}

bool swap_option_check(const char *value, char *err, size_t errlen)
{
	struct swap_spec sp;

	return swap_spec_parse(value, &sp, err, errlen);
}

/* A new disk of preset for a swap partition: nvme1n1... or sdb... */
static struct gendisk *swap_disk_create(enum disk_preset preset, uint64_t bytes)
{
	struct swap_state *s = M->swap;
	struct blk_model model;

	blk_model_preset(preset, &model);
	for (int tries = 0; tries < 26; tries++) {
		char name[32];
		struct gendisk *d;

		if (preset == DISK_NVME) {
			int i = ++s->nr_nvme;

			snprintf(name, sizeof(name), "nvme%dn1", i);
			d = sim_disk_create(name, BLOCK_EXT_MAJOR, i, bytes,
					    &model);
		} else {
			int i = s->nr_sd++;

			if (i >= 26)
				return NULL;
			snprintf(name, sizeof(name), "sd%c", 'a' + i);
			d = sim_disk_create(name, SCSI_DISK0_MAJOR, 16 * i,
					    bytes, &model);
		}
		if (d)
			return d;
	}
	return NULL;
}

static struct swap_device *swap_device_find(const char *path)
{
	struct swap_device *d;

	list_for_each_entry(d, &M->swap->devices, list)
		if (!strcmp(d->path, path))
			return d;
	return NULL;
}

/* The machine's first disk (the one --disk made), or NULL. */
static struct gendisk *machine_disk(void)
{
	struct gendisk *d;

	for_each_disk(d) return d;
	return NULL;
}

static int swap_file_open(struct swap_device *d, const char *file,
			  uint64_t bytes, char *err, size_t errlen)
{
	d->fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (d->fd < 0 || ftruncate(d->fd, (off_t)bytes)) {
		int e = errno;

		snprintf(err, errlen, "swap file %s: %s", file, strerror(e));
		if (d->fd >= 0)
			close(d->fd);
		return -e;
	}
	return 0;
}

static enum disk_preset default_preset(void)
{
	enum disk_preset p = M->cfg.disk.preset;

	return p == DISK_NONE ? DISK_NVME : p;
}

int mkswap(uint64_t bytes, const char *preset, const char *file,
	   const char **path, char *err, size_t errlen)
{
	struct swap_device *d;
	struct gendisk *disk = NULL;
	enum disk_preset p = default_preset();

	bytes &= ~(uint64_t)(PAGE_SIZE - 1);
	if (bytes < SWAP_MIN_PAGES * PAGE_SIZE) {
		snprintf(err, errlen, "swap size %llu: below 40K",
			 (unsigned long long)bytes);
		return -EINVAL;
	}
	if (preset && *preset && !preset_parse(preset, strlen(preset), &p)) {
		snprintf(err, errlen,
			 "disk '%s': unknown (accepted: nvme, ssd, hdd)",
			 preset);
		return -EINVAL;
	}
	if (file && swap_device_find(file)) {
		snprintf(err, errlen, "swap file %s: already made", file);
		return -EBUSY;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "out of host memory");
		return -ENOMEM;
	}
	d->pages = bytes >> PAGE_SHIFT;
	d->fd = -1;
	if (file) {
		int ret;

		if (strlen(file) >= sizeof(d->path)) {
			snprintf(err, errlen, "swap file %s: name too long",
				 file);
			free(d);
			return -ENAMETOOLONG;
		}
		ret = swap_file_open(d, file, bytes, err, errlen);
		if (ret) {
			free(d);
			return ret;
		}
		d->is_file = true;
		snprintf(d->path, sizeof(d->path), "%s", file);
		disk = (preset && *preset) ? NULL : machine_disk();
		if (disk && (get_capacity(disk) << SECTOR_SHIFT) < bytes)
			disk = NULL;
	} else {
		d->mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			      0);
		if (d->mem == MAP_FAILED) {
			snprintf(err, errlen,
				 "swap of %llu bytes: out of host memory",
				 (unsigned long long)bytes);
			free(d);
			return -ENOMEM;
		}
	}
	if (!disk)
		disk = swap_disk_create(p, bytes);
	if (!disk) {
		snprintf(err, errlen, "cannot add a %s disk for swap",
			 disk_preset_name(p));
		if (d->mem)
			munmap(d->mem, bytes);
		if (d->fd >= 0)
			close(d->fd);
		free(d);
		return -ENOMEM;
	}
	d->bdev = &disk->part0;
	if (!file)
		snprintf(d->path, sizeof(d->path), "/dev/%s", disk->disk_name);
	list_add_tail(&d->list, &M->swap->devices);
	*path = d->path;
	return 0;
}

/* ---- boot and teardown ------------------------------------------------------- */

bool swap_init(char *err, size_t errlen)
{
	struct swap_state *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, errlen, "out of host memory");
		return false;
	}
	s->least_priority = -1;
	s->vma_ra_enabled = true;
	INIT_LIST_HEAD(&s->avail_head);
	INIT_LIST_HEAD(&s->devices);
	INIT_LIST_HEAD(&s->bios);
	INIT_LIST_HEAD(&s->shadow_nodes);
	init_waitqueue_head(&s->wait);
	init_waitqueue_head(&s->throttle);
	M->swap = s;
	if (!workingset_init()) {
		snprintf(err, errlen, "out of memory registering a shrinker");
		return false;
	}
	for (int i = 0; i < M->cfg.nr_swaps; i++) {
		const char *opt = M->cfg.swaps[i], *path;
		struct swap_spec sp;
		char why[200];
		long ret;

		if (!swap_spec_parse(opt, &sp, err, errlen))
			return false;
		ret = mkswap(sp.bytes, sp.preset, sp.file, &path, why,
			     sizeof(why));
		if (!ret)
			ret = sys_swapon(path, 0);
		if (ret) {
			snprintf(err, errlen, "--swap %s: %s", opt,
				 why[0] && ret != -EINVAL ?
					 why :
					 strerror((int)-ret));
			return false;
		}
	}
	return true;
}

static void swap_info_free(struct swap_info_struct *si)
{
	free(si->swap_map);
	free(si->cluster_count);
	exit_swap_address_space(si);
	free(si);
}

void swap_destroy(struct machine *m)
{
	struct swap_state *s = m->swap;
	struct swap_device *d, *n;

	if (!s)
		return;
	swap_io_destroy(s);
	swap_waiters_free(&s->wait);
	swap_waiters_free(&s->throttle);
	for (int i = 0; i < s->nr_swapfiles; i++)
		if (s->swap_info[i])
			swap_info_free(s->swap_info[i]);
	list_for_each_entry_safe(d, n, &s->devices, list) {
		if (d->mem)
			munmap(d->mem, d->pages << PAGE_SHIFT);
		if (d->fd >= 0)
			close(d->fd);
		free(d);
	}
	free(s->shadow_shrinker); /* its nr_deferred went with the slab */
	free(s);
	m->swap = NULL;
}

/* ---- slots -------------------------------------------------------------------- */

struct swap_info_struct *swp_swap_info(swp_entry_t entry)
{
	unsigned type = swp_type(entry);
	struct swap_info_struct *si;

	if (!M->swap || type >= (unsigned)M->swap->nr_swapfiles)
		goto bad;
	si = M->swap->swap_info[type];
	if (!si || !(si->flags & SWP_USED) || swp_offset(entry) >= si->max ||
	    !si->swap_map[swp_offset(entry)])
		goto bad;
	return si;
bad:
	pr_err("swap_info_get: Bad swap file entry %08lx\n", entry.val);
	return NULL;
}

static void cluster_use(struct swap_info_struct *si, unsigned long off, int n)
{
	si->cluster_count[off / SWAPFILE_CLUSTER] += n;
	si->inuse_pages += n;
	M->swap->nr_swap_pages -= n;
}

/* Priorities: higher first; a new area goes after those of its priority. */
static void add_to_avail_list(struct swap_info_struct *si)
{
	struct swap_info_struct *o;

	list_for_each_entry(o, &M->swap->avail_head, avail_list)
		if (o->prio < si->prio) {
			list_add_tail(&si->avail_list, &o->avail_list);
			return;
		}
	list_add_tail(&si->avail_list, &M->swap->avail_head);
}

/* A cluster with no slot in use, from free_cluster_head on. */
static long find_free_cluster(struct swap_info_struct *si)
{
	for (unsigned i = 0; i < si->nr_clusters; i++) {
		unsigned c = (si->free_cluster_head + i) % si->nr_clusters;
		unsigned long end =
			min((unsigned long)(c + 1) * SWAPFILE_CLUSTER,
			    (unsigned long)si->max);

		if (!si->cluster_count[c] &&
		    end - (unsigned long)c * SWAPFILE_CLUSTER ==
			    SWAPFILE_CLUSTER) {
			si->free_cluster_head = (c + 1) % si->nr_clusters;
			return c;
		}
	}
	return -1;
}

/* One free slot of si (scan_swap_map_slots): the current cluster's next,
 * else a fresh cluster, else the first free slot of a fragmented one. */
static unsigned long scan_swap_map(struct swap_info_struct *si)
{
	unsigned long off = si->cluster_next;
	long c;

	if (off && off % SWAPFILE_CLUSTER && off < si->max &&
	    !si->swap_map[off])
		return off;
	c = find_free_cluster(si);
	if (c >= 0)
		return (unsigned long)c * SWAPFILE_CLUSTER;
	/* Fragmented: the next free slot on from the last one. */
	for (unsigned long i = 0; i < si->max; i++) {
		unsigned long o = (off + i) % si->max;

		if (o && !si->swap_map[o])
			return o;
	}
	return 0;
}

swp_entry_t get_swap_page(void)
{
	struct swap_state *s = M->swap;
	struct swap_info_struct *si, *next;

	if (!s || s->nr_swap_pages <= 0)
		return (swp_entry_t){ 0 };
	list_for_each_entry_safe(si, next, &s->avail_head, avail_list) {
		unsigned long off;
		struct swap_info_struct *o;

		if (!(si->flags & SWP_WRITEOK) || si->inuse_pages == si->pages)
			continue;
		off = scan_swap_map(si);
		if (!off)
			continue;
		si->swap_map[off] = SWAP_HAS_CACHE;
		si->cluster_next = off + 1;
		cluster_use(si, off, 1);
		/* Equal priorities take turns (plist_requeue). */
		o = si;
		while (o->avail_list.next != &s->avail_head &&
		       list_entry(o->avail_list.next, struct swap_info_struct,
				  avail_list)
				       ->prio == si->prio)
			o = list_entry(o->avail_list.next,
				       struct swap_info_struct, avail_list);
		if (o != si)
			list_move(&si->avail_list, &o->avail_list);
		return swp_entry(si->type, off);
	}
	return (swp_entry_t){ 0 };
}

/* Drops usage (SWAP_HAS_CACHE or 1) from entry's count; frees the slot at
 * zero. Returns the count left. */
static unsigned char swap_entry_put(struct swap_info_struct *si,
				    unsigned long off, unsigned char usage)
{
	unsigned char count = si->swap_map[off];
	unsigned char has_cache = count & SWAP_HAS_CACHE;

	count &= ~SWAP_HAS_CACHE;
	if (usage == SWAP_HAS_CACHE) {
		WARN_ON(!has_cache);
		has_cache = 0;
	} else if (count) {
		count--;
	} else {
		WARN(1, "swap_free of unused slot %lu\n", off);
	}
	si->swap_map[off] = count | has_cache;
	if (!si->swap_map[off]) {
		cluster_use(si, off, -1);
		clear_shadow_from_swap_cache(si, off);
	}
	return si->swap_map[off];
}

int swap_duplicate(swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(entry);
	unsigned char *c;

	if (!si)
		return -EINVAL;
	c = &si->swap_map[swp_offset(entry)];
	if ((*c & ~SWAP_HAS_CACHE) >= SWAP_MAP_MAX)
		return -ENOMEM;
	(*c)++;
	return 0;
}

void swap_free(swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(entry);

	if (si)
		swap_entry_put(si, swp_offset(entry), 1);
}

void put_swap_page(swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(entry);

	if (si)
		swap_entry_put(si, swp_offset(entry), SWAP_HAS_CACHE);
}

int swap_count(swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(entry);

	return si ? si->swap_map[swp_offset(entry)] & ~SWAP_HAS_CACHE : 0;
}

void free_swap_and_cache(swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(entry);
	unsigned long off = swp_offset(entry);
	struct page *page;

	if (!si)
		return;
	if (swap_entry_put(si, off, 1) != SWAP_HAS_CACHE)
		return;
	page = si->swap_cache[off];
	if (page && !page_mapped(page) && !PageWriteback(page) &&
	    !PageLocked(page))
		delete_from_swap_cache(page);
}

bool vm_swap_full(void)
{
	return get_nr_swap_pages() * 2 < M->total_swap_pages;
}

/* ---- swapon --------------------------------------------------------------------- */

static bool is_root(void)
{
	return true; /* no credentials yet: every task is root */
}

static struct swap_info_struct *alloc_swap_info(void)
{
	struct swap_state *s = M->swap;
	struct swap_info_struct *si;
	int type;

	for (type = 0; type < s->nr_swapfiles; type++)
		if (!s->swap_info[type])
			break;
	if (type >= MAX_SWAPFILES)
		return NULL;
	si = calloc(1, sizeof(*si));
	if (!si)
		return NULL;
	si->type = type;
	INIT_LIST_HEAD(&si->avail_list);
	return si;
}

static int setup_swap_map(struct swap_info_struct *si, unsigned long maxpages)
{
	si->max = (unsigned int)maxpages;
	si->nr_clusters = (unsigned)DIV_ROUND_UP(maxpages, SWAPFILE_CLUSTER);
	si->swap_map = calloc(maxpages, 1);
	si->cluster_count = calloc(si->nr_clusters, sizeof(unsigned));
	if (!si->swap_map || !si->cluster_count || !init_swap_address_space(si))
		return -ENOMEM;
	/* Slot 0 holds the swap header. */
	si->swap_map[0] = SWAP_MAP_BAD;
	si->cluster_count[0] = 1;
	si->pages = (unsigned)maxpages - 1;
	return 0;
}

static void swapon_log(const struct swap_info_struct *si)
{
	pr_info("Adding %luk swap on %s.  Priority:%d extents:1 across:%luk %s%s\n",
		K(si->pages), si->dev->path, si->prio, K(si->pages),
		(si->flags & SWP_SOLIDSTATE) ? "SS" : "",
		(si->flags & SWP_DISCARDABLE) ? "D" : "");
}

long sys_swapon(const char *specialfile, int swap_flags)
{
	struct swap_state *s = M->swap;
	struct swap_info_struct *si;
	struct swap_device *d;
	unsigned long maxpages;
	int ret;

	if (swap_flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	if (!is_root())
		return -EPERM;
	if (!specialfile || !*specialfile)
		return -ENOENT;
	d = swap_device_find(specialfile);
	if (!d) {
		dev_t dev;

		/* A disk without a swap signature, or nothing at all. */
		return lookup_bdev(specialfile, &dev) ? -ENOENT : -EINVAL;
	}
	if (d->si)
		return -EBUSY;
	maxpages = (unsigned long)min(d->pages, (uint64_t)1 << 30);
	if (maxpages < SWAP_MIN_PAGES)
		return -EINVAL;
	si = alloc_swap_info();
	if (!si)
		return -EPERM; /* MAX_SWAPFILES in use: Linux says EPERM */
	ret = setup_swap_map(si, maxpages);
	if (ret) {
		swap_info_free(si);
		return ret;
	}
	si->dev = d;
	if (bdev_nonrot(d->bdev))
		si->flags |= SWP_SOLIDSTATE;
	else
		s->nr_rotate_swap++;
	if ((swap_flags & SWAP_FLAG_DISCARD) && d->bdev->bd_disk->queue.discard)
		si->flags |= SWP_DISCARDABLE;
	if (swap_flags & SWAP_FLAG_PREFER)
		si->prio = (short)(swap_flags & SWAP_FLAG_PRIO_MASK);
	else
		si->prio = (short)--s->least_priority;
	si->flags |= SWP_USED | SWP_WRITEOK;
	d->si = si;
	s->swap_info[si->type] = si;
	if (si->type >= s->nr_swapfiles)
		s->nr_swapfiles = si->type + 1;
	s->nr_swap_pages += si->pages;
	M->total_swap_pages += si->pages;
	add_to_avail_list(si);
	swapon_log(si);
	return 0;
}

/* ---- swapoff ---------------------------------------------------------------- */

/* Makes the PTE at pte (a swap entry of si) map its page again, read
 * from swap at once if it is not in the cache (unuse_pte). */
static int unuse_pte(struct vm_area_struct *vma, unsigned long addr, pte_t *pte,
		     swp_entry_t entry)
{
	struct vm_fault vmf = { .vma = vma, .address = addr };
	struct page *page = lookup_swap_cache(entry, vma, addr);
	bool io;

	if (!page) {
		page = swapin_readahead(entry, GFP_HIGHUSER_MOVABLE, &vmf, true,
					&io);
		if (!page)
			return -ENOMEM;
	}
	if (PageLocked(page))
		swap_read_now(page);
	if (!page->mapping) {
		page->mapping = (void *)((unsigned long)vma->anon_vma |
					 PAGE_MAPPING_ANON);
		page->index = linear_page_index(vma, addr);
	}
	if (++page->_mapcount == 0)
		__mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, 1);
	/* The reference lookup or swap-in gave is the PTE's. */
	dec_mm_counter(vma->vm_mm, MM_SWAPENTS);
	inc_mm_counter(vma->vm_mm, MM_ANONPAGES);
	set_pte_at(vma->vm_mm, addr, pte,
		   pte_mkold(mk_pte(page, vma->vm_page_prot)));
	swap_free(entry);
	/* The page is dirty: its swap copy is going away. */
	SetPageDirty(page);
	return 0;
}

static int unuse_mm(struct mm_struct *mm, int type)
{
	for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next) {
		if (!vma->anon_vma)
			continue;
		for (unsigned long a = vma->vm_start; a < vma->vm_end;
		     a += PAGE_SIZE) {
			pte_t *pte = mm_find_pte(mm, a);
			swp_entry_t e;
			int ret;

			if (!pte || !is_swap_pte(ptep_get(pte)))
				continue;
			e = pte_to_swp_entry(ptep_get(pte));
			if ((int)swp_type(e) != type)
				continue;
			ret = unuse_pte(vma, a, pte, e);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Brings every page of si back into memory (try_to_unuse). */
static int try_to_unuse(struct swap_info_struct *si)
{
	unsigned long cached = 0, need;
	struct task_struct *p;

	for (unsigned long off = 1; off < si->max; off++)
		cached += si->swap_cache[off] != NULL;
	/* Linux reads until memory runs out, then the OOM killer or
	 * ENOMEM; mmsim refuses up front what cannot fit above the min
	 * watermarks, and nothing moves. */
	need = si->inuse_pages - min(cached, (unsigned long)si->inuse_pages);
	if (need && need + M->totalreserve_pages >
			    global_zone_page_state(NR_FREE_PAGES))
		return -ENOMEM;
	for_each_process(p)
	{
		int ret;

		if (!p->mm)
			continue;
		ret = unuse_mm(p->mm, si->type);
		if (ret)
			return ret;
	}
	/* What stays is in the swap cache only: it leaves. */
	for (unsigned long off = 1; off < si->max; off++) {
		struct page *page = si->swap_cache[off];

		if (!page)
			continue;
		if (PageLocked(page))
			swap_read_now(page);
		/* Under writeback its data is already out: the page is
		 * clean; the bio's end only clears PG_writeback. */
		SetPageDirty(page);
		delete_from_swap_cache(page);
	}
	return si->inuse_pages ? -ENOMEM : 0;
}

long sys_swapoff(const char *specialfile)
{
	struct swap_state *s = M->swap;
	struct swap_info_struct *si;
	struct swap_device *d;
	int ret;

	if (!is_root())
		return -EPERM;
	if (!specialfile || !*specialfile)
		return -ENOENT;
	d = swap_device_find(specialfile);
	if (!d || !d->si)
		return -EINVAL;
	si = d->si;
	/* No new slots from it while it empties (del_from_avail_list). */
	list_del_init(&si->avail_list);
	si->flags &= ~SWP_WRITEOK;
	s->nr_swap_pages -= si->pages;
	M->total_swap_pages -= si->pages;
	ret = try_to_unuse(si);
	if (ret) {
		/* reinsert_swap_info(): it stays as it was. */
		si->flags |= SWP_WRITEOK;
		s->nr_swap_pages += si->pages;
		M->total_swap_pages += si->pages;
		add_to_avail_list(si);
		return ret;
	}
	/* A default priority frees its place: the ones below move up. */
	if (si->prio < 0) {
		for (int t = 0; t < s->nr_swapfiles; t++) {
			struct swap_info_struct *o = s->swap_info[t];

			if (o && o != si && o->prio < si->prio)
				o->prio++;
		}
		s->least_priority++;
	}
	if (!(si->flags & SWP_SOLIDSTATE))
		s->nr_rotate_swap--;
	s->swap_info[si->type] = NULL;
	d->si = NULL;
	swap_info_free(si);
	return 0;
}

/* ---- /proc/swaps ------------------------------------------------------------ */

void swaps_show(struct seq_file *m)
{
	struct swap_state *s = M->swap;

	seq_puts(m, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	if (!s)
		return;
	for (int i = 0; i < s->nr_swapfiles; i++) {
		struct swap_info_struct *si = s->swap_info[i];
		unsigned long bytes, inuse;
		int len;

		if (!si || !(si->flags & SWP_WRITEOK))
			continue;
		bytes = K(si->pages);
		inuse = K(si->inuse_pages);
		len = (int)strlen(si->dev->path);
		seq_printf(m, "%s%*s%s\t%lu\t%s%lu\t%s%d\n", si->dev->path,
			   len < 40 ? 40 - len : 1, " ",
			   si->dev->is_file ? "file\t" : "partition", bytes,
			   bytes < 10000000 ? "\t" : "", inuse,
			   inuse < 10000000 ? "\t" : "", si->prio);
	}
}
