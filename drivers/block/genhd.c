/* Disks (block/genhd.c, block/bdev.c, block/blk-sysfs.c): the machine's
 * list of gendisks, adding and removing them, finding a block device by
 * dev_t or /dev path, and what a user reads about them:
 * /proc/diskstats, /proc/partitions and /sys/block/NAME/. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/block/blk.h"
#include "kernel/time/time.h"

bool blk_dev_init(void)
{
	M->block = calloc(1, sizeof(*M->block));
	if (!M->block)
		return false;
	INIT_LIST_HEAD(&M->block->disks);
	return true;
}

static void disk_release(struct gendisk *disk)
{
	if (disk->queue.mq_ops->free_disk)
		disk->queue.mq_ops->free_disk(disk);
	free(disk);
}

void blk_dev_destroy(struct machine *m)
{
	struct gendisk *disk, *next;

	if (!m->block)
		return;
	/* The timer queue goes with the machine: no hrtimer_cancel(). */
	list_for_each_entry_safe(disk, next, &m->block->disks, list)
		disk_release(disk);
	free(m->block);
	m->block = NULL;
}

struct gendisk *blk_mq_alloc_disk(const struct blk_mq_ops *ops,
				  unsigned int queue_depth, void *queuedata)
{
	struct gendisk *disk = calloc(1, sizeof(*disk));

	if (!disk)
		return NULL;
	INIT_LIST_HEAD(&disk->list);
	disk->part0.bd_disk = disk;
	disk->queue.mq_ops = ops;
	disk->queue.queuedata = queuedata;
	disk->queue.queue_depth = queue_depth;
	disk->queue.nr_requests = queue_depth;
	disk->queue.logical_block_size = SECTOR_SIZE;
	disk->queue.physical_block_size = SECTOR_SIZE;
	blk_mq_init_queue(&disk->queue);
	return disk;
}

void set_capacity(struct gendisk *disk, sector_t sectors)
{
	disk->part0.bd_nr_sectors = sectors;
}

static struct gendisk *disk_by_name(const char *name)
{
	struct gendisk *disk;

	for_each_disk(disk) if (!strcmp(disk->disk_name, name)) return disk;
	return NULL;
}

struct block_device *blkdev_get_by_dev(dev_t dev)
{
	struct gendisk *disk;

	for_each_disk(disk) if (disk->part0.bd_dev == dev) return &disk->part0;
	return NULL;
}

int add_disk(struct gendisk *disk)
{
	dev_t dev = MKDEV(disk->major, disk->first_minor);

	if (disk_by_name(disk->disk_name) || blkdev_get_by_dev(dev))
		return -EEXIST;
	disk->part0.bd_dev = dev;
	disk->part0.bd_stamp = jiffies;
	list_add_tail(&disk->list, &M->block->disks);
	return 0;
}

void del_gendisk(struct gendisk *disk)
{
	hrtimer_cancel(&disk->queue.timer);
	list_del_init(&disk->list);
	disk_release(disk);
}

int lookup_bdev(const char *pathname, dev_t *dev)
{
	struct gendisk *disk;

	if (strncmp(pathname, "/dev/", 5))
		return -ENOENT;
	disk = disk_by_name(pathname + 5);
	if (!disk)
		return -ENOENT;
	*dev = disk->part0.bd_dev;
	return 0;
}

struct block_device *blkdev_get_by_path(const char *path)
{
	dev_t dev;

	return lookup_bdev(path, &dev) ? NULL : blkdev_get_by_dev(dev);
}

/* ---- /proc --------------------------------------------------------------- */

static unsigned int nsecs_to_msecs(uint64_t ns)
{
	return (unsigned int)(ns / NSEC_PER_MSEC);
}

/* The in-flight count, after bringing io_ticks up to now while I/O is
 * in flight (part_stat_show, diskstats_show). */
static unsigned int part_stat_read(struct block_device *part)
{
	unsigned int inflight = bdev_count_inflight(part);

	if (inflight)
		update_io_ticks(part, jiffies, true);
	return inflight;
}

static uint64_t nsecs_total(const struct disk_stats *st)
{
	return st->nsecs[STAT_READ] + st->nsecs[STAT_WRITE] +
	       st->nsecs[STAT_DISCARD] + st->nsecs[STAT_FLUSH];
}

/* diskstats_show(): major, minor, name and the 17 counters. */
/* The 17 counters of diskstats and of sysfs's stat, in that order,
 * each right-aligned in width columns (0: none) and followed by a space,
 * the last by a newline. */
static void disk_stat_fields(struct seq_file *m, struct block_device *bd,
			     int w)
{
	unsigned int inflight = part_stat_read(bd);
	const struct disk_stats *st = &bd->bd_stats;

	seq_printf(m, "%*lu %*lu %*lu %*u %*lu %*lu %*lu %*u %*u %*u %*u ", w,
		   st->ios[STAT_READ], w, st->merges[STAT_READ], w,
		   st->sectors[STAT_READ], w,
		   nsecs_to_msecs(st->nsecs[STAT_READ]), w, st->ios[STAT_WRITE],
		   w, st->merges[STAT_WRITE], w, st->sectors[STAT_WRITE], w,
		   nsecs_to_msecs(st->nsecs[STAT_WRITE]), w, inflight, w,
		   jiffies_to_msecs(st->io_ticks), w,
		   nsecs_to_msecs(nsecs_total(st)));
	seq_printf(m, "%*lu %*lu %*lu %*u %*lu %*u\n", w, st->ios[STAT_DISCARD],
		   w, st->merges[STAT_DISCARD], w, st->sectors[STAT_DISCARD], w,
		   nsecs_to_msecs(st->nsecs[STAT_DISCARD]), w,
		   st->ios[STAT_FLUSH], w, nsecs_to_msecs(st->nsecs[STAT_FLUSH]));
}

static void diskstats_line(struct seq_file *m, struct block_device *bd)
{
	seq_printf(m, "%4u %7u %s ", MAJOR(bd->bd_dev), MINOR(bd->bd_dev),
		   bd->bd_disk->disk_name);
	disk_stat_fields(m, bd, 0);
}

void diskstats_show(struct seq_file *m)
{
	struct gendisk *disk;

	for_each_disk(disk) diskstats_line(m, &disk->part0);
}

/* The header comes only when there is a disk (show_partition_start). */
void partitions_show(struct seq_file *m)
{
	struct gendisk *disk;
	bool first = true;

	for_each_disk(disk)
	{
		if (!get_capacity(disk))
			continue;
		if (first)
			seq_puts(m, "major minor  #blocks  name\n\n");
		first = false;
		seq_printf(m, "%4u  %7u %10llu %s\n", MAJOR(disk->part0.bd_dev),
			   MINOR(disk->part0.bd_dev),
			   (unsigned long long)get_capacity(disk) >> 1,
			   disk->disk_name);
	}
}

/* ---- /sys/block/NAME/ ---------------------------------------------------- */

/* part_stat_show(): the diskstats counters in columns of 8. */
static void sysfs_stat(struct seq_file *m, struct gendisk *disk)
{
	disk_stat_fields(m, &disk->part0, 8);
}

static bool sysfs_attr(struct seq_file *m, struct gendisk *disk,
		       const char *attr)
{
	const struct block_device *bd = &disk->part0;
	const struct request_queue *q = &disk->queue;

	if (!strcmp(attr, "dev"))
		seq_printf(m, "%u:%u\n", MAJOR(bd->bd_dev), MINOR(bd->bd_dev));
	else if (!strcmp(attr, "size"))
		seq_printf(m, "%llu\n", (unsigned long long)bd->bd_nr_sectors);
	else if (!strcmp(attr, "stat"))
		sysfs_stat(m, disk);
	else if (!strcmp(attr, "inflight"))
		seq_printf(m, "%8u %8u\n", bd->bd_in_flight[0],
			   bd->bd_in_flight[1]);
	else if (!strcmp(attr, "queue/rotational"))
		seq_printf(m, "%d\n", q->rotational);
	else if (!strcmp(attr, "queue/nr_requests"))
		seq_printf(m, "%u\n", q->nr_requests);
	else if (!strcmp(attr, "queue/logical_block_size") ||
		 !strcmp(attr, "queue/hw_sector_size"))
		seq_printf(m, "%u\n", q->logical_block_size);
	else if (!strcmp(attr, "queue/physical_block_size"))
		seq_printf(m, "%u\n", q->physical_block_size);
	else
		return false;
	return true;
}

int blk_sysfs_show(const char *path, struct seq_file *out)
{
	const char *slash = strchr(path, '/');
	struct gendisk *disk;
	char name[sizeof(disk->disk_name)];
	size_t len = slash ? (size_t)(slash - path) : 0;

	if (!len || len >= sizeof(name))
		return -ENOENT;
	memcpy(name, path, len);
	name[len] = '\0';
	disk = disk_by_name(name);
	if (!disk || !sysfs_attr(out, disk, slash + 1))
		return -ENOENT;
	return 0;
}
