/* The simulated disks: presets, the `--disk` option and its overrides,
 * the timing model (docs/block-model.md) as a blk-mq driver, and the
 * disk's contents in host memory. Nothing here reads the host's clock
 * or draws random numbers: a request's completion time follows from the
 * model's figures and the requests before it. */
#define _GNU_SOURCE /* MAP_NORESERVE, MADV_DONTNEED */
#include "drivers/block/sim_disk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/parse.h"
#include "drivers/block/blkdev.h"
#include "kernel/printk.h"
#include "kernel/time/time.h"
#include "mm/mm.h"

/* ---- presets ------------------------------------------------------------- */

static const char *const preset_names[NR_DISK_PRESETS] = {
	[DISK_NVME] = "nvme",
	[DISK_SSD] = "ssd",
	[DISK_HDD] = "hdd",
	[DISK_NONE] = "none",
};

/* The figures and their sources are in docs/block-model.md. */
static const struct blk_model presets[NR_DISK_PRESETS] = {
	/* A PCIe 4.0 x4 TLC NVMe drive: 4 KiB random read at QD1 ~50 us,
	 * 3.5 GB/s, one queue of 1023 tags (nvme's io_queue_depth 1024). */
	[DISK_NVME] = { .latency_ns = 50000,
			.bandwidth = 3500000000ULL,
			.depth = 1023 },
	/* A SATA SSD: ~100 us, ~500 MB/s (SATA III), NCQ depth 32. */
	[DISK_SSD] = { .latency_ns = 100000,
		       .bandwidth = 500000000ULL,
		       .depth = 32 },
	/* A 7200 rpm SATA disk: 0.1 ms of command overhead, 8.5 ms average
	 * seek, half a turn (4.17 ms) of rotation, ~150 MB/s, one request
	 * at a time under the head. */
	[DISK_HDD] = { .latency_ns = 100000,
		       .bandwidth = 150000000ULL,
		       .depth = 1,
		       .rotational = true,
		       .seek_ns = 8500000,
		       .rotation_ns = 4166667 },
};

void blk_model_preset(enum disk_preset preset, struct blk_model *model)
{
	*model = presets[preset < NR_DISK_PRESETS ? preset : DISK_NONE];
}

const char *disk_preset_name(enum disk_preset preset)
{
	return preset < NR_DISK_PRESETS ? preset_names[preset] : "?";
}

/* ---- configuration ------------------------------------------------------- */

#define MIN_DISK_SIZE (1ULL << 20)
#define MAX_DISK_SIZE (16ULL << 40)
#define MAX_TIME_NS 10000000000L /* 10 s */
#define MIN_BANDWIDTH (1ULL << 10)
#define MAX_BANDWIDTH (1ULL << 40)
#define MAX_DEPTH 65536L

void disk_config_default(struct disk_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->preset = DISK_NVME;
	cfg->size = DISK_DEFAULT_SIZE;
}

static bool set_preset(struct disk_config *cfg, const char *value, char *err,
		       size_t errlen)
{
	for (int i = 0; i < NR_DISK_PRESETS; i++)
		if (!strcmp(value, preset_names[i])) {
			cfg->preset = (enum disk_preset)i;
			return true;
		}
	snprintf(err, errlen,
		 "--disk %s: unknown disk (accepted: nvme, ssd, hdd, none)",
		 value);
	return false;
}

static bool set_disk_size(struct disk_config *cfg, const char *value, char *err,
			  size_t errlen)
{
	char why[160];
	uint64_t v;

	if (!parse_size(value, &v, why, sizeof(why))) {
		snprintf(err, errlen, "mmsim.disk.size=%s: %s", value, why);
		return false;
	}
	if (v < MIN_DISK_SIZE || v > MAX_DISK_SIZE || v % SECTOR_SIZE) {
		snprintf(
			err, errlen,
			"mmsim.disk.size=%s: out of range (accepted: 1M..16T, a multiple of 512)",
			value);
		return false;
	}
	cfg->size = v;
	cfg->set |= DISK_SET_SIZE;
	return true;
}

static bool set_bandwidth(struct disk_config *cfg, const char *value, char *err,
			  size_t errlen)
{
	char why[160];
	uint64_t v;

	if (!parse_size(value, &v, why, sizeof(why))) {
		snprintf(err, errlen, "mmsim.disk.bandwidth=%s: %s", value,
			 why);
		return false;
	}
	if (v < MIN_BANDWIDTH || v > MAX_BANDWIDTH) {
		snprintf(
			err, errlen,
			"mmsim.disk.bandwidth=%s: out of range (accepted: 1K..1T bytes per second)",
			value);
		return false;
	}
	cfg->model.bandwidth = v;
	cfg->set |= DISK_SET_BANDWIDTH;
	return true;
}

/* The integer options: where each goes and its range. */
static const struct {
	const char *name;
	unsigned int bit;
	long lo, hi;
	const char *unit;
} int_options[] = {
	{ "latency_ns", DISK_SET_LATENCY, 0, MAX_TIME_NS, " (ns)" },
	{ "depth", DISK_SET_DEPTH, 1, MAX_DEPTH, "" },
	{ "seek_ns", DISK_SET_SEEK, 0, MAX_TIME_NS, " (ns)" },
	{ "rotation_ns", DISK_SET_ROTATION, 0, MAX_TIME_NS, " (ns)" },
};

static void store_int(struct disk_config *cfg, unsigned int bit, long v)
{
	switch (bit) {
	case DISK_SET_LATENCY:
		cfg->model.latency_ns = (uint64_t)v;
		break;
	case DISK_SET_DEPTH:
		cfg->model.depth = (unsigned int)v;
		break;
	case DISK_SET_SEEK:
		cfg->model.seek_ns = (uint64_t)v;
		break;
	default:
		cfg->model.rotation_ns = (uint64_t)v;
		break;
	}
	cfg->set |= bit;
}

bool disk_config_set(struct disk_config *cfg, const char *key,
		     const char *value, char *err, size_t errlen)
{
	const char *name = key + 5;
	char why[160];
	long v;

	if (!strcmp(key, "disk"))
		return set_preset(cfg, value, err, errlen);
	if (!strcmp(name, "size"))
		return set_disk_size(cfg, value, err, errlen);
	if (!strcmp(name, "bandwidth"))
		return set_bandwidth(cfg, value, err, errlen);
	for (size_t i = 0; i < ARRAY_SIZE(int_options); i++) {
		if (strcmp(name, int_options[i].name))
			continue;
		if (!parse_long(value, int_options[i].lo, int_options[i].hi, &v,
				why, sizeof(why))) {
			snprintf(err, errlen, "mmsim.%s=%s: %s%s", key, value,
				 why, int_options[i].unit);
			return false;
		}
		store_int(cfg, int_options[i].bit, v);
		return true;
	}
	snprintf(
		err, errlen,
		"mmsim.%s: unknown disk option (accepted: size, latency_ns, bandwidth, depth, seek_ns, rotation_ns)",
		key);
	return false;
}

/* The option behind the lowest bit of set, for messages. */
static const char *set_option_name(unsigned int set)
{
	static const char *const names[] = { "size",	  "latency_ns",
					     "bandwidth", "depth",
					     "seek_ns",	  "rotation_ns" };

	return names[__builtin_ctz(set)];
}

bool disk_config_check(const struct disk_config *cfg, char *err, size_t errlen)
{
	unsigned int seeks = cfg->set & (DISK_SET_SEEK | DISK_SET_ROTATION);

	if (cfg->preset == DISK_NONE && cfg->set) {
		snprintf(err, errlen,
			 "mmsim.disk.%s: there is no disk to set (--disk none)",
			 set_option_name(cfg->set));
		return false;
	}
	if (seeks && !presets[cfg->preset].rotational) {
		snprintf(
			err, errlen,
			"mmsim.disk.%s: only a rotational disk seeks (--disk hdd; this one is %s)",
			set_option_name(seeks), preset_names[cfg->preset]);
		return false;
	}
	return true;
}

/* The preset with the user's figures over it. */
static void disk_config_model(const struct disk_config *cfg,
			      struct blk_model *m)
{
	blk_model_preset(cfg->preset, m);
	if (cfg->set & DISK_SET_LATENCY)
		m->latency_ns = cfg->model.latency_ns;
	if (cfg->set & DISK_SET_BANDWIDTH)
		m->bandwidth = cfg->model.bandwidth;
	if (cfg->set & DISK_SET_DEPTH)
		m->depth = cfg->model.depth;
	if (cfg->set & DISK_SET_SEEK)
		m->seek_ns = cfg->model.seek_ns;
	if (cfg->set & DISK_SET_ROTATION)
		m->rotation_ns = cfg->model.rotation_ns;
}

/* ---- the device ---------------------------------------------------------- */

struct sim_disk {
	struct blk_model model;
	uint64_t channel_free; /* the transfer channel is busy until then */
	sector_t head; /* rotational: where the last issued request ends */
	uint64_t bytes;
	char *store; /* the contents, mapped on first use */
};

static uint64_t transfer_ns(unsigned int bytes, uint64_t bandwidth)
{
	return DIV_ROUND_UP((uint64_t)bytes * NSEC_PER_SEC, bandwidth);
}

/* Issued now: the access (latency, and a seek and half a turn when a
 * rotational disk's head is elsewhere), then the transfer, after the
 * transfers issued before. Flushes and discards move no data. */
static blk_status_t sim_queue_rq(struct request_queue *q, struct bio *bio)
{
	struct sim_disk *d = q->queuedata;
	enum req_op op = bio_op(bio);
	uint64_t ready = ktime_get_ns() + d->model.latency_ns, start;

	if (d->model.rotational && op != REQ_OP_FLUSH) {
		if (bio->bi_iter.bi_sector != d->head)
			ready += d->model.seek_ns + d->model.rotation_ns;
		d->head = bio->bi_iter.bi_sector + bio_sectors(bio);
	}
	start = max(ready, d->channel_free);
	bio->bi_done_ns = start;
	if (op == REQ_OP_READ || op == REQ_OP_WRITE)
		bio->bi_done_ns +=
			transfer_ns(bio->bi_iter.bi_size, d->model.bandwidth);
	d->channel_free = bio->bi_done_ns;
	return BLK_STS_OK;
}

static bool sim_map_store(struct sim_disk *d, const char *name)
{
	void *p;

	if (d->store)
		return true;
	p = mmap(NULL, d->bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		pr_err("mmsim: %s: cannot map %llu bytes of host memory for the disk's contents: %s\n",
		       name, (unsigned long long)d->bytes, strerror(errno));
		return false;
	}
	d->store = p;
	return true;
}

/* The range reads back as zeroes; whole host pages are given back. */
static void sim_discard(struct sim_disk *d, uint64_t pos, uint64_t len)
{
	const uint64_t host_page = 4096;
	uint64_t first = ALIGN(pos, host_page),
		 last = ALIGN_DOWN(pos + len, host_page);

	if (first >= last ||
	    madvise(d->store + first, last - first, MADV_DONTNEED)) {
		memset(d->store + pos, 0, len);
		return;
	}
	memset(d->store + pos, 0, first - pos);
	memset(d->store + last, 0, pos + len - last);
}

/* Copies between the bio's pages and the contents. */
static void sim_copy(struct sim_disk *d, struct bio *bio, uint64_t pos)
{
	unsigned int left = bio->bi_iter.bi_size;
	bool write = bio_op(bio) == REQ_OP_WRITE;

	for (unsigned int i = 0; i < bio->bi_vcnt && left; i++) {
		const struct bio_vec *bv = &bio->bi_io_vec[i];
		unsigned int len = min(bv->bv_len, left);
		char *mem =
			(char *)kmap_local_page(bv->bv_page) + bv->bv_offset;

		if (write)
			memcpy(d->store + pos, mem, len);
		else
			memcpy(mem, d->store + pos, len);
		kunmap_local(mem);
		pos += len;
		left -= len;
	}
}

static void sim_complete(struct request_queue *q, struct bio *bio)
{
	struct sim_disk *d = q->queuedata;
	uint64_t pos = (uint64_t)bio->bi_iter.bi_sector << SECTOR_SHIFT;
	enum req_op op = bio_op(bio);

	if (op == REQ_OP_DISCARD && d->store)
		sim_discard(d, pos, bio->bi_iter.bi_size);
	if ((op != REQ_OP_READ && op != REQ_OP_WRITE) || !bio->bi_vcnt)
		return;
	if (!sim_map_store(d, bio->bi_bdev->bd_disk->disk_name)) {
		bio->bi_status = BLK_STS_IOERR;
		return;
	}
	sim_copy(d, bio, pos);
}

static void sim_free_disk(struct gendisk *disk)
{
	struct sim_disk *d = disk->queue.queuedata;

	if (d->store)
		munmap(d->store, d->bytes);
	free(d);
}

static const struct blk_mq_ops sim_mq_ops = {
	.queue_rq = sim_queue_rq,
	.complete = sim_complete,
	.free_disk = sim_free_disk,
};

/* The queue's limits as Linux sets them for such a device. NVMe has no
 * I/O scheduler (nr_requests = its tags); SCSI disks get mq-deadline:
 * twice the device's queue depth, at most 2 x 128 (a disk takes 32 NCQ
 * commands even though its head serves one). */
static void sim_set_limits(struct request_queue *q, int major,
			   const struct blk_model *m)
{
	unsigned int hw_depth = m->rotational ? 32 : m->depth;

	q->rotational = m->rotational;
	q->discard = !m->rotational;
	q->physical_block_size = m->rotational ? 4096 : SECTOR_SIZE;
	q->nr_requests = major == BLOCK_EXT_MAJOR ? m->depth :
						    2 * min(hw_depth, 128u);
}

struct gendisk *sim_disk_create(const char *name, int major, int minor,
				uint64_t bytes, const struct blk_model *model)
{
	struct sim_disk *d = calloc(1, sizeof(*d));
	struct gendisk *disk =
		d ? blk_mq_alloc_disk(&sim_mq_ops, model->depth, d) : NULL;

	if (!disk) {
		free(d);
		return NULL;
	}
	d->model = *model;
	d->bytes = bytes;
	snprintf(disk->disk_name, sizeof(disk->disk_name), "%s", name);
	disk->major = major;
	disk->first_minor = minor;
	set_capacity(disk, bytes >> SECTOR_SHIFT);
	sim_set_limits(&disk->queue, major, model);
	if (add_disk(disk)) {
		sim_free_disk(disk);
		free(disk);
		return NULL;
	}
	return disk;
}

bool sim_disk_init(const struct disk_config *cfg)
{
	struct blk_model model;

	if (cfg->preset == DISK_NONE)
		return true;
	disk_config_model(cfg, &model);
	if (cfg->preset == DISK_NVME)
		return sim_disk_create("nvme0n1", BLOCK_EXT_MAJOR, 0, cfg->size,
				       &model);
	return sim_disk_create("sda", SCSI_DISK0_MAJOR, 0, cfg->size, &model);
}
