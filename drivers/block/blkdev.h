/* The block layer (include/linux/blkdev.h, bio.h, blk_types.h,
 * part_stat.h): disks (struct gendisk) and the block devices that name
 * them (struct block_device, a dev_t), bios, submit_bio(), the request
 * queue in front of each disk and the I/O statistics that
 * /proc/diskstats and /sys/block/NAME/stat show.
 *
 * A bio is owned by its submitter (there is no bio_alloc(): embed one,
 * as Linux's on-stack bios for synchronous I/O). bio_init() it, set
 * bi_iter.bi_sector, add pages with bio_add_page() (or, for timing
 * without data, set bi_iter.bi_size alone), set bi_end_io and
 * bi_private, and submit_bio(). submit_bio() never sleeps: the bio
 * waits in the queue's FIFO until the device has a free slot (queue
 * depth), is served in virtual time (drivers/block/sim_disk.h), and
 * bi_end_io(bio) runs from the disk's completion timer, with bi_status
 * BLK_STS_OK or an error. A task waits for it with a completion
 * (kernel/sched/completion.h).
 *
 * Disks live in host memory, like the timer queue: attaching one does
 * not change the machine's memory figures. */
#ifndef MMSIM_DRIVERS_BLOCK_BLKDEV_H
#define MMSIM_DRIVERS_BLOCK_BLKDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h> /* dev_t */

#include "base/list.h"
#include "base/seq_file.h"
#include "kernel/machine.h"
#include "kernel/time/hrtimer.h"

struct page;
struct bio;
struct gendisk;
struct request_queue;

typedef uint64_t sector_t;

#define SECTOR_SHIFT 9
#define SECTOR_SIZE (1u << SECTOR_SHIFT)

/* The kernel's dev_t encoding (include/linux/kdev_t.h). */
#define MINORBITS 20
#define MINORMASK ((1u << MINORBITS) - 1)
#define MAJOR(dev) ((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev) ((unsigned int)((dev)&MINORMASK))
#define MKDEV(ma, mi) ((dev_t)(((dev_t)(ma) << MINORBITS) | (dev_t)(mi)))

/* Majors of Documentation/admin-guide/devices.txt. */
#define SCSI_DISK0_MAJOR 8
#define BLOCK_EXT_MAJOR 259 /* NVMe namespaces get their dev_t here */

/* ---- bios ---------------------------------------------------------------- */

enum req_op {
	REQ_OP_READ = 0,
	REQ_OP_WRITE = 1,
	REQ_OP_FLUSH = 2, /* write the device's volatile cache out */
	REQ_OP_DISCARD = 3, /* the sectors' contents may go (TRIM) */
	REQ_OP_LAST,
};

typedef unsigned int blk_opf_t;
#define REQ_OP_BITS 8
#define REQ_OP_MASK ((1u << REQ_OP_BITS) - 1)

typedef uint8_t blk_status_t;
#define BLK_STS_OK 0
#define BLK_STS_NOTSUPP 1 /* the device cannot do it (-EOPNOTSUPP) */
#define BLK_STS_IOERR 10 /* -EIO */

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

struct bvec_iter {
	sector_t bi_sector; /* device address in 512-byte sectors */
	unsigned int bi_size; /* bytes */
};

typedef void(bio_end_io_t)(struct bio *);

struct bio {
	struct bio *bi_next; /* the queue it waits or is served in */
	struct block_device *bi_bdev;
	blk_opf_t bi_opf; /* the REQ_OP_* */
	blk_status_t bi_status;
	unsigned short bi_vcnt; /* bio_vecs in use */
	unsigned short bi_max_vecs;
	struct bvec_iter bi_iter;
	bio_end_io_t *bi_end_io;
	void *bi_private;
	struct bio_vec *bi_io_vec;
	/* mmsim: what Linux keeps in the struct request a bio becomes (no
	 * merging here: one bio, one request). */
	uint64_t bi_start_ns; /* submitted (the statistics' start) */
	uint64_t bi_done_ns; /* the device completes it (once issued) */
	int bi_cpu; /* submitted on, completes on this CPU */
};

static inline enum req_op bio_op(const struct bio *bio)
{
	return (enum req_op)(bio->bi_opf & REQ_OP_MASK);
}

/* Writes, discards: odd operations (Linux's op_is_write()). */
static inline bool op_is_write(blk_opf_t op)
{
	return op & 1;
}

static inline unsigned int bio_sectors(const struct bio *bio)
{
	return bio->bi_iter.bi_size >> SECTOR_SHIFT;
}

/* Sets bio up for bdev and opf, with table[max_vecs] for its pages
 * (NULL, 0 for a bio without data). */
void bio_init(struct bio *bio, struct block_device *bdev, struct bio_vec *table,
	      unsigned short max_vecs, blk_opf_t opf);
/* Appends len bytes of page from off: len, or 0 when the table is full. */
int bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		 unsigned int off);
/* Queues bio for its device. A bio the device cannot take ends at once
 * with an error: past the device's end (logged as Linux does), a size
 * not a multiple of 512, data with a flush, a discard on a disk without
 * discard (BLK_STS_NOTSUPP). */
void submit_bio(struct bio *bio);
/* Ends bio: calls bi_end_io. */
void bio_endio(struct bio *bio);

static inline void bio_io_error(struct bio *bio)
{
	bio->bi_status = BLK_STS_IOERR;
	bio_endio(bio);
}

/* 0, -EOPNOTSUPP or -EIO. */
int blk_status_to_errno(blk_status_t status);

/* ---- statistics (include/linux/part_stat.h) ------------------------------ */

enum stat_group {
	STAT_READ,
	STAT_WRITE,
	STAT_DISCARD,
	STAT_FLUSH,
	NR_STAT_GROUPS
};

struct disk_stats {
	uint64_t nsecs[NR_STAT_GROUPS]; /* submission to completion */
	unsigned long sectors[NR_STAT_GROUPS];
	unsigned long ios[NR_STAT_GROUPS]; /* completed */
	unsigned long merges[NR_STAT_GROUPS]; /* always 0: no merging */
	unsigned long io_ticks; /* jiffies with I/O in flight */
};

/* ---- devices ------------------------------------------------------------- */

struct block_device {
	dev_t bd_dev;
	sector_t bd_nr_sectors;
	struct gendisk *bd_disk;
	unsigned long bd_stamp; /* jiffies of the last io_ticks update */
	struct disk_stats bd_stats;
	unsigned int bd_in_flight[2]; /* submitted, not completed: R, W */
};

/* What a driver does with a request (include/linux/blk-mq.h). */
struct blk_mq_ops {
	/* The device takes bio now: sets bio->bi_done_ns, when it will
	 * complete (at or after now). BLK_STS_OK, or an error that ends
	 * the bio at once. */
	blk_status_t (*queue_rq)(struct request_queue *q, struct bio *bio);
	/* bio's service is over (the clock reads bi_done_ns): move its
	 * data. */
	void (*complete)(struct request_queue *q, struct bio *bio);
	/* The disk goes away: free what the driver holds. */
	void (*free_disk)(struct gendisk *disk);
};

/* The queue in front of a disk: bios wait in a FIFO for one of
 * queue_depth slots, and are served in completion order. */
struct request_queue {
	const struct blk_mq_ops *mq_ops;
	void *queuedata; /* the driver's */
	unsigned int queue_depth; /* requests the device serves at once */
	unsigned int nr_requests; /* /sys/block/NAME/queue/nr_requests */
	unsigned int logical_block_size, physical_block_size;
	bool rotational;
	bool discard; /* the device takes REQ_OP_DISCARD */
	struct bio *wait_head, *wait_tail; /* waiting for a slot */
	struct bio *busy_head, *busy_tail; /* in service, by bi_done_ns */
	unsigned int nr_waiting, nr_busy;
	bool running; /* issuing or completing: no nested run */
	struct hrtimer timer; /* the first completion */
};

struct gendisk {
	char disk_name[32];
	int major, first_minor;
	struct block_device part0; /* the whole disk (no partitions) */
	struct request_queue queue;
	struct list_head list; /* the machine's disks, in order added */
	void *private_data;
};

/* The machine's block layer (M->block). */
struct blk_state {
	struct list_head disks;
};

#define for_each_disk(disk) list_for_each_entry(disk, &M->block->disks, list)

static inline sector_t bdev_nr_sectors(const struct block_device *bdev)
{
	return bdev->bd_nr_sectors;
}

static inline sector_t get_capacity(const struct gendisk *disk)
{
	return disk->part0.bd_nr_sectors;
}

static inline bool bdev_nonrot(const struct block_device *bdev)
{
	return !bdev->bd_disk->queue.rotational;
}

static inline unsigned int
bdev_logical_block_size(const struct block_device *bdev)
{
	return bdev->bd_disk->queue.logical_block_size;
}

/* Boot: the machine's block layer, no disks yet. */
bool blk_dev_init(void);
/* Frees every disk of m (machine_destroy). Bios still queued never end. */
void blk_dev_destroy(struct machine *m);

/* A disk with ops, queue_depth slots and the driver's queuedata: name,
 * major, first_minor, capacity and the queue's limits are the driver's
 * to set before add_disk(). NULL when host memory runs out. */
struct gendisk *blk_mq_alloc_disk(const struct blk_mq_ops *ops,
				  unsigned int queue_depth, void *queuedata);
void set_capacity(struct gendisk *disk, sector_t sectors);
/* Makes disk visible (lookups, /proc, /sys): 0, or -EEXIST when its
 * name or dev_t is taken. */
int add_disk(struct gendisk *disk);
/* Removes a disk (its queued bios never end) and frees it. */
void del_gendisk(struct gendisk *disk);

/* "/dev/NAME" of a disk: its dev_t in *dev and 0, or -ENOENT. */
int lookup_bdev(const char *pathname, dev_t *dev);
/* The block device of dev, or NULL. */
struct block_device *blkdev_get_by_dev(dev_t dev);
/* The block device at "/dev/NAME", or NULL. */
struct block_device *blkdev_get_by_path(const char *path);

/* Requests submitted and not completed (bdev_count_inflight()). */
unsigned int bdev_count_inflight(const struct block_device *bdev);

/* /proc/diskstats, /proc/partitions. */
void diskstats_show(struct seq_file *m);
void partitions_show(struct seq_file *m);
/* /sys/block/NAME/ATTR, path being "NAME/ATTR": dev, size, stat,
 * inflight, queue/{rotational, nr_requests, logical_block_size,
 * physical_block_size, hw_sector_size}. 0 or -ENOENT. */
int blk_sysfs_show(const char *path, struct seq_file *out);

#endif
