/* The block-device model: the disk a machine boots with (--disk and its
 * overrides), bios served in the model's virtual time (latency,
 * bandwidth, queue depth, an HDD's seeks), tasks sleeping in D on a
 * completion with iowait accounted, data written and read back, bad
 * bios refused, and /proc/diskstats, /proc/partitions and
 * /sys/block/NAME/ with Linux's exact text after a known I/O sequence. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "vm_helpers.h"

#include <errno.h>

#include "drivers/block/blkdev.h"
#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/sched/completion.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"
#include "kernel/time/time.h"
#include "mm/mm.h"

#define US NSEC_PER_USEC
#define MS NSEC_PER_MSEC
#define CTX_SWITCH 1500 /* mmsim.cost.context_switch's default */

/* The presets' figures (docs/block-model.md), and a transfer's time. */
#define NVME_LAT (50 * US)
#define SSD_LAT (100 * US)
#define HDD_LAT (100 * US)
#define HDD_SEEK (8500 * US)
#define HDD_ROT 4166667ULL

static uint64_t xfer(uint64_t bytes, uint64_t bandwidth)
{
	return (bytes * NSEC_PER_SEC + bandwidth - 1) / bandwidth;
}

#define NVME_XFER(b) xfer(b, 3500000000ULL)
#define SSD_XFER(b) xfer(b, 500000000ULL)
#define HDD_XFER(b) xfer(b, 150000000ULL)

static struct gendisk *the_disk(void)
{
	assert_false(list_empty(&M->block->disks));
	return list_first_entry(&M->block->disks, struct gendisk, list);
}

static struct block_device *the_bdev(void)
{
	return &the_disk()->part0;
}

static void assert_proc(const char *path, const char *want)
{
	char *got = proc_text(path);

	assert_string_equal(got, want);
	free(got);
}

/* ---- bios submitted from the test, their ends logged --------------------- */

#define MAX_LOGGED 128

static struct {
	uint64_t done[MAX_LOGGED];
	blk_status_t status[MAX_LOGGED];
	int order[MAX_LOGGED];
	int n;
	unsigned int max_busy; /* the most bios the device held at once */
} iolog;

static struct bio bios[MAX_LOGGED];

static void log_end_io(struct bio *bio)
{
	int i = (int)(uintptr_t)bio->bi_private;

	iolog.done[i] = ktime_get_ns();
	iolog.status[i] = bio->bi_status;
	iolog.order[iolog.n++] = i;
}

static void iolog_reset(void)
{
	memset(&iolog, 0, sizeof(iolog));
}

/* Bio i: op on bytes at sector, without data; not submitted. */
static struct bio *make_bio(int i, struct block_device *bdev, blk_opf_t op,
			    sector_t sector, unsigned int bytes)
{
	struct bio *bio = &bios[i];

	bio_init(bio, bdev, NULL, 0, op);
	bio->bi_iter.bi_sector = sector;
	bio->bi_iter.bi_size = bytes;
	bio->bi_end_io = log_end_io;
	bio->bi_private = (void *)(uintptr_t)i;
	iolog.done[i] = 0;
	return bio;
}

static void submit(int i, struct block_device *bdev, blk_opf_t op,
		   sector_t sector, unsigned int bytes)
{
	struct request_queue *q = &bdev->bd_disk->queue;

	submit_bio(make_bio(i, bdev, op, sector, bytes));
	iolog.max_busy = max(iolog.max_busy, q->nr_busy);
}

/* ---- a task that reads blocks one after another -------------------------- */

struct reader {
	struct block_device *bdev;
	int n, done; /* blocks to read, read */
	unsigned int bytes;
	sector_t sector, stride; /* the next block, and the step */
	bool waiting;
	struct bio bio;
	struct completion io;
	struct wait_queue_entry wait;
	uint64_t t_end; /* the step after the last read */
};

static void reader_end_io(struct bio *bio)
{
	complete(bio->bi_private);
}

static int reader_body(struct task_struct *p, void *arg)
{
	struct reader *r = arg;

	(void)p;
	if (r->waiting) {
		if (!wait_for_completion_io_step(&r->io, &r->wait))
			return TASK_BODY_RUN;
		r->waiting = false;
		r->done++;
	}
	if (r->done == r->n) {
		r->t_end = ktime_get_ns();
		return TASK_BODY_EXIT;
	}
	init_completion(&r->io);
	bio_init(&r->bio, r->bdev, NULL, 0, REQ_OP_READ);
	r->bio.bi_iter.bi_sector = r->sector;
	r->bio.bi_iter.bi_size = r->bytes;
	r->bio.bi_end_io = reader_end_io;
	r->bio.bi_private = &r->io;
	r->sector += r->stride;
	submit_bio(&r->bio);
	r->waiting = true;
	assert_false(wait_for_completion_io_step(&r->io, &r->wait));
	return TASK_BODY_RUN;
}


/* Field 3 of /proc/PID/stat: the state letter. */
static char stat_state(const struct task_struct *t)
{
	char path[64], *text, *paren, c;

	snprintf(path, sizeof(path), "/proc/%d/stat", t->pid);
	text = proc_text(path);
	paren = strrchr(text, ')');
	assert_non_null(paren);
	c = paren[2];
	free(text);
	return c;
}

/* ---- the disk at boot ---------------------------------------------------- */

static void test_default_disk_is_nvme0n1(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct seq_file s;
	char err[128];
	dev_t dev;

	(void)state;
	assert_proc("/proc/partitions", "major minor  #blocks  name\n\n"
					" 259        0   16777216 nvme0n1\n");
	assert_proc("/proc/diskstats",
		    " 259       0 nvme0n1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
	assert_proc("/sys/block/nvme0n1/stat",
		    "       0        0        0        0        0        0"
		    "        0        0        0        0        0        0"
		    "        0        0        0        0        0\n");
	assert_proc("/sys/block/nvme0n1/dev", "259:0\n");
	assert_proc("/sys/block/nvme0n1/size", "33554432\n");
	assert_proc("/sys/block/nvme0n1/inflight", "       0        0\n");
	assert_proc("/sys/block/nvme0n1/queue/rotational", "0\n");
	assert_proc("/sys/block/nvme0n1/queue/nr_requests", "1023\n");
	assert_proc("/sys/block/nvme0n1/queue/logical_block_size", "512\n");
	assert_proc("/sys/block/nvme0n1/queue/physical_block_size", "512\n");
	assert_proc("/sys/block/nvme0n1/queue/hw_sector_size", "512\n");
	/* Found by path and number; nothing else is there. */
	assert_int_equal(lookup_bdev("/dev/nvme0n1", &dev), 0);
	assert_int_equal(MAJOR(dev), 259);
	assert_int_equal(MINOR(dev), 0);
	assert_ptr_equal(blkdev_get_by_dev(dev), the_bdev());
	assert_ptr_equal(blkdev_get_by_path("/dev/nvme0n1"), the_bdev());
	assert_int_equal(lookup_bdev("/dev/sda", &dev), -ENOENT);
	assert_int_equal(lookup_bdev("nvme0n1", &dev), -ENOENT);
	assert_null(blkdev_get_by_dev(MKDEV(8, 0)));
	assert_true(bdev_nonrot(the_bdev()));
	assert_int_equal(bdev_nr_sectors(the_bdev()), 16ULL << 21);
	seq_init(&s);
	assert_int_equal(proc_read("/sys/block/nvme0n1/nope", &s), -ENOENT);
	assert_int_equal(proc_read("/sys/block/sda/stat", &s), -ENOENT);
	assert_int_equal(proc_read("/sys/block/nvme0n1", &s), -ENOENT);
	seq_release(&s);
	assert_int_equal(proc_write("/sys/block/nvme0n1/stat", "0", err,
				    sizeof(err)),
			 -EACCES);
	assert_int_equal(proc_write("/sys/block/sdz/stat", "0", err,
				    sizeof(err)),
			 -ENOENT);
	machine_destroy(m);
}

static void test_sata_disks_and_none(void **state)
{
	struct machine *m = boot_machine("ram=128M", "disk=ssd");

	(void)state;
	assert_proc("/proc/partitions", "major minor  #blocks  name\n\n"
					"   8        0   16777216 sda\n");
	assert_proc("/sys/block/sda/dev", "8:0\n");
	assert_proc("/sys/block/sda/queue/rotational", "0\n");
	/* mq-deadline: twice the NCQ depth of 32. */
	assert_proc("/sys/block/sda/queue/nr_requests", "64\n");
	assert_ptr_equal(blkdev_get_by_dev(MKDEV(8, 0)), the_bdev());
	machine_destroy(m);

	m = boot_machine("ram=128M", "disk=hdd", "disk.size=1G");
	assert_proc("/proc/partitions", "major minor  #blocks  name\n\n"
					"   8        0    1048576 sda\n");
	assert_proc("/sys/block/sda/queue/rotational", "1\n");
	assert_proc("/sys/block/sda/queue/nr_requests", "64\n");
	assert_proc("/sys/block/sda/queue/physical_block_size", "4096\n");
	assert_false(bdev_nonrot(the_bdev()));
	machine_destroy(m);

	/* No disk: both files exist and are empty, as on Linux. */
	m = boot_machine("ram=128M", "disk=none");
	assert_proc("/proc/partitions", "");
	assert_proc("/proc/diskstats", "");
	assert_true(list_empty(&M->block->disks));
	assert_null(blkdev_get_by_path("/dev/nvme0n1"));
	machine_destroy(m);
}

static void assert_config_error(const char *key, const char *value,
				const char *want)
{
	struct machine_config cfg;
	char err[256] = "";

	machine_config_default(&cfg);
	assert_false(machine_config_set(&cfg, key, value, err, sizeof(err)));
	assert_string_equal(err, want);
}

static void assert_check_error(const char *const *opts, const char *want)
{
	struct machine_config cfg;
	char err[256] = "";

	machine_config_default(&cfg);
	for (; *opts; opts += 2)
		assert_true(machine_config_set(&cfg, opts[0], opts[1], err,
					       sizeof(err)));
	assert_false(machine_config_check(&cfg, err, sizeof(err)));
	assert_string_equal(err, want);
	assert_null(machine_boot(&cfg, err, sizeof(err)));
	assert_string_equal(err, want);
}

static void test_disk_options(void **state)
{
	struct machine *m;

	(void)state;
	assert_config_error(
		"disk", "floppy",
		"--disk floppy: unknown disk (accepted: nvme, ssd, hdd, none)");
	assert_config_error(
		"disk.depth", "0",
		"mmsim.disk.depth=0: 0 is out of range (accepted: 1..65536)");
	assert_config_error(
		"disk.latency_ns", "soon",
		"mmsim.disk.latency_ns=soon: 'soon' is not an integer (ns)");
	assert_config_error(
		"disk.size", "1000",
		"mmsim.disk.size=1000: out of range (accepted: 1M..16T, a multiple of 512)");
	assert_config_error(
		"disk.size", "32T",
		"mmsim.disk.size=32T: out of range (accepted: 1M..16T, a multiple of 512)");
	assert_config_error(
		"disk.bandwidth", "100",
		"mmsim.disk.bandwidth=100: out of range (accepted: 1K..1T bytes per second)");
	assert_config_error(
		"disk.speed", "1",
		"mmsim.disk.speed: unknown disk option (accepted: size, latency_ns, bandwidth, depth, seek_ns, rotation_ns)");
	assert_check_error(
		(const char *const[]){ "disk.seek_ns", "1", NULL },
		"mmsim.disk.seek_ns: only a rotational disk seeks (--disk hdd; this one is nvme)");
	assert_check_error(
		(const char *const[]){ "disk", "ssd", "disk.rotation_ns", "1",
				       NULL },
		"mmsim.disk.rotation_ns: only a rotational disk seeks (--disk hdd; this one is ssd)");
	assert_check_error(
		(const char *const[]){ "disk.depth", "4", "disk", "none",
				       NULL },
		"mmsim.disk.depth: there is no disk to set (--disk none)");

	/* Overrides stand whatever order the preset comes in; the rest is
	 * the preset's. */
	m = boot_machine("disk.depth=4", "disk.latency_ns=1000", "disk=ssd",
			 "disk.size=64M", "ram=128M");
	assert_int_equal(the_disk()->queue.queue_depth, 4);
	assert_proc("/sys/block/sda/queue/nr_requests", "8\n");
	assert_proc("/sys/block/sda/size", "131072\n");
	iolog_reset();
	submit(0, the_bdev(), REQ_OP_READ, 0, 4096);
	sched_run_for(MS);
	assert_int_equal(iolog.done[0], 1000 + SSD_XFER(4096));
	machine_destroy(m);

	m = boot_machine("ram=128M", "disk=hdd", "disk.seek_ns=0",
			 "disk.rotation_ns=1000", "disk.bandwidth=1M");
	iolog_reset();
	submit(0, the_bdev(), REQ_OP_READ, 100, 4096);
	sched_run_for(MS * 100);
	assert_int_equal(iolog.done[0], HDD_LAT + 1000 + xfer(4096, 1 << 20));
	machine_destroy(m);
}

/* ---- timing -------------------------------------------------------------- */

/* A task reads 16 blocks of 4 KiB one after another from a SATA SSD:
 * each takes latency + 4 KiB / bandwidth, and waking the task costs a
 * context switch. While it waits the task is in D and counted as
 * blocked on I/O; its CPU's idle time is iowait. */
static void test_reads_one_after_another_take_the_model_time(void **state)
{
	struct machine *m = boot_machine("ram=128M", "disk=ssd");
	const uint64_t service = SSD_LAT + SSD_XFER(4096); /* 108192 ns */
	struct reader r = { .n = 16, .bytes = 4096, .stride = 8 };
	struct task_struct *t;
	char path[64], *status;

	(void)state;
	assert_int_equal(service, 108192);
	r.bdev = the_bdev();
	t = start_task("reader", reader_body, &r);
	/* The first read was submitted at 1.5 us (after the switch). */
	sched_run_until(CTX_SWITCH + 50 * US);
	assert_int_equal(t->__state, TASK_UNINTERRUPTIBLE);
	assert_int_equal(stat_state(t), 'D');
	snprintf(path, sizeof(path), "/proc/%d/status", t->pid);
	status = proc_text(path);
	assert_non_null(strstr(status, "\nState:\tD (disk sleep)\n"));
	free(status);
	assert_int_equal(nr_iowait(), 1); /* /proc/stat procs_blocked */
	assert_int_equal(nr_uninterruptible(), 1);
	assert_proc("/sys/block/sda/inflight", "       1        0\n");
	/* Just after the completion the task runs again. */
	sched_run_until(CTX_SWITCH + service + 1);
	assert_int_equal(t->__state, TASK_RUNNING);
	assert_int_equal(stat_state(t), 'R');
	assert_int_equal(nr_iowait(), 0);
	assert_int_equal(r.done, 0); /* its next step comes after the switch */
	sched_run_until(10 * MS);
	assert_int_equal(r.done, 16);
	assert_int_equal(r.t_end, CTX_SWITCH + 16 * (service + CTX_SWITCH));
	assert_int_equal(kcpustat_cpu(0, CPUTIME_IOWAIT), 16 * service);
	assert_int_equal(nr_iowait(), 0);
	/* 16 reads, 128 sectors, 1.73 ms in all; all within one jiffy. */
	assert_proc("/proc/diskstats",
		    "   8       0 sda 16 0 128 1 0 0 0 0 0 0 1 0 0 0 0 0 0\n");
	machine_destroy(m);
}

/* 64 bios at once on a SATA SSD (depth 32): 32 in service, 32 waiting;
 * each waiting one starts when one in service ends, so they complete in
 * two waves a latency apart. 512-byte bios keep the transfers short
 * (1024 ns each, one after another on the link). */
static void test_queue_depth_limits_concurrency(void **state)
{
	struct machine *m = boot_machine("ram=128M", "disk=ssd");
	struct request_queue *q;
	const uint64_t x = SSD_XFER(512);

	(void)state;
	assert_int_equal(x, 1024);
	iolog_reset();
	q = &the_disk()->queue;
	for (int i = 0; i < 64; i++)
		submit(i, the_bdev(), REQ_OP_READ, (sector_t)i * 100, 512);
	assert_int_equal(q->nr_busy, 32);
	assert_int_equal(q->nr_waiting, 32);
	assert_int_equal(iolog.max_busy, 32);
	/* In flight counts every request submitted and not completed. */
	assert_proc("/sys/block/sda/inflight", "      64        0\n");
	sched_run_until(MS);
	assert_int_equal(iolog.n, 64);
	for (int i = 0; i < 32; i++) {
		uint64_t first = SSD_LAT + (uint64_t)(i + 1) * x;

		assert_int_equal(iolog.done[i], first);
		/* Issued when bio i ended: a latency and a transfer later. */
		assert_int_equal(iolog.done[i + 32], first + SSD_LAT + x);
		assert_int_equal(iolog.order[i], i);
		assert_int_equal(iolog.order[i + 32], i + 32);
	}
	assert_true(iolog.done[32] - iolog.done[31] > 60 * US);
	assert_int_equal(q->nr_busy, 0);
	assert_proc("/sys/block/sda/inflight", "       0        0\n");
	machine_destroy(m);

	/* NVMe's 1023 slots take all 64 at once: one wave. */
	m = boot_machine("ram=128M");
	iolog_reset();
	q = &the_disk()->queue;
	for (int i = 0; i < 64; i++)
		submit(i, the_bdev(), REQ_OP_READ, (sector_t)i * 100, 512);
	assert_int_equal(q->nr_busy, 64);
	assert_int_equal(q->nr_waiting, 0);
	sched_run_until(MS);
	for (int i = 0; i < 64; i++)
		assert_int_equal(iolog.done[i],
				 NVME_LAT + (uint64_t)(i + 1) * NVME_XFER(512));
	machine_destroy(m);
}

/* An HDD serves one request at a time; one that starts where the last
 * ended skips the seek and the rotation. */
static void test_hdd_is_sequential_or_seeks(void **state)
{
	struct machine *m = boot_machine("ram=128M", "disk=hdd");
	const uint64_t seq = HDD_LAT + HDD_XFER(4096);
	const uint64_t rnd = HDD_SEEK + HDD_ROT + seq;
	static const sector_t scattered[8] = { 1000,   900000, 40,	5000000,
					       123456, 8,      7000000, 64 };
	struct request_queue *q;
	uint64_t t0;

	(void)state;
	assert_int_equal(seq, 127307);
	iolog_reset();
	q = &the_disk()->queue;
	for (int i = 0; i < 8; i++)
		submit(i, the_bdev(), REQ_OP_READ, 1000 + (sector_t)i * 8,
		       4096);
	assert_int_equal(q->nr_busy, 1);
	assert_int_equal(q->nr_waiting, 7);
	sched_run_until(NSEC_PER_SEC);
	/* The head starts at sector 0: the first read seeks. */
	assert_int_equal(iolog.done[0], rnd);
	for (int i = 1; i < 8; i++)
		assert_int_equal(iolog.done[i], iolog.done[i - 1] + seq);
	assert_int_equal(iolog.max_busy, 1);

	t0 = ktime_get_ns();
	iolog_reset();
	for (int i = 0; i < 8; i++)
		submit(i, the_bdev(), REQ_OP_READ, scattered[i], 4096);
	sched_run_until(t0 + NSEC_PER_SEC);
	for (int i = 0; i < 8; i++)
		assert_int_equal(iolog.done[i], t0 + (uint64_t)(i + 1) * rnd);
	/* 13.7 ms against 102 ms: random reads are 7.5 times slower. */
	assert_int_equal(rnd + 7 * seq, 13685123);
	assert_int_equal(8 * rnd, 102351792);
	machine_destroy(m);
}

/* ---- statistics ---------------------------------------------------------- */

/* A read, a write, a discard and a flush, each issued when the one
 * before ends, on an SSD with a 2 ms latency. */
static void chain_end_io(struct bio *bio)
{
	int i = (int)(uintptr_t)bio->bi_private;
	static const struct {
		blk_opf_t op;
		sector_t sector;
		unsigned int bytes;
	} next[] = {
		{ REQ_OP_WRITE, 128, 128 << 10 },
		{ REQ_OP_DISCARD, 1024, 1 << 20 },
		{ REQ_OP_FLUSH, 0, 0 },
	};

	log_end_io(bio);
	if (i >= 3)
		return;
	make_bio(i + 1, bio->bi_bdev, next[i].op, next[i].sector,
		 next[i].bytes);
	bios[i + 1].bi_end_io = chain_end_io;
	submit_bio(&bios[i + 1]);
}

static void test_diskstats_after_known_io(void **state)
{
	struct machine *m =
		boot_machine("ram=128M", "disk=ssd", "disk.latency_ns=2000000");

	(void)state;
	iolog_reset();
	make_bio(0, the_bdev(), REQ_OP_READ, 0, 64 << 10);
	bios[0].bi_end_io = chain_end_io;
	submit_bio(&bios[0]);
	/* 1 ms in: the read is in flight, 0 jiffies of io_ticks yet. */
	sched_run_until(MS);
	assert_proc("/proc/diskstats",
		    "   8       0 sda 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0\n");
	assert_proc("/sys/block/sda/inflight", "       1        0\n");
	sched_run_until(20 * MS);
	assert_int_equal(iolog.n, 4);
	/* read 2 ms + 64K at 500 MB/s; write 2 ms + 128K; discard and
	 * flush 2 ms each, no transfer. */
	assert_int_equal(iolog.done[0], 2131072);
	assert_int_equal(iolog.done[1], 2131072 + 2262144);
	assert_int_equal(iolog.done[2], 4393216 + 2000000);
	assert_int_equal(iolog.done[3], 6393216 + 2000000);
	for (int i = 0; i < 4; i++)
		assert_int_equal(iolog.status[i], BLK_STS_OK);
	/* io_ticks: the jiffy (4 ms) boundary the write's end crossed;
	 * time in queue 8.39 ms; a flush counts only as a flush. */
	assert_proc(
		"/proc/diskstats",
		"   8       0 sda 1 0 128 2 1 0 256 2 0 4 8 1 0 2048 2 1 2\n");
	assert_proc("/sys/block/sda/stat",
		    "       1        0      128        2        1        0"
		    "      256        2        0        4        8        1"
		    "        0     2048        2        1        2\n");
	machine_destroy(m);
}

/* Six 10 ms reads back to back on one queue, a seventh submitted at
 * 25 ms: io_ticks counts the 70 ms (17 jiffies) the disk was busy,
 * time in queue the requests' waits. */
static void test_io_ticks_follow_busy_time(void **state)
{
	struct machine *m = boot_machine("ram=128M", "disk=ssd",
					 "disk.latency_ns=10000000",
					 "disk.depth=1");
	const uint64_t service = 10 * MS + SSD_XFER(512);

	(void)state;
	iolog_reset();
	for (int i = 0; i < 6; i++)
		submit(i, the_bdev(), REQ_OP_READ, (sector_t)i * 8, 512);
	sched_run_until(25 * MS);
	submit(6, the_bdev(), REQ_OP_READ, 800, 512);
	/* 2 done, 5 in flight: io_ticks is at jiffy 6 (24 ms). */
	assert_proc("/proc/diskstats",
		    "   8       0 sda 2 0 2 30 0 0 0 0 5 24 30 0 0 0 0 0 0\n");
	sched_run_until(NSEC_PER_SEC);
	/* Bio k ends at (k + 1) x 10.001024 ms; the last at 70.007 ms.
	 * Waits: 10.001 + 20.002 + ... + 60.006 = 210.02 ms, and 45.007 ms
	 * for the seventh. */
	for (int i = 0; i < 7; i++)
		assert_int_equal(iolog.done[i], (uint64_t)(i + 1) * service);
	assert_proc(
		"/proc/diskstats",
		"   8       0 sda 7 0 7 255 0 0 0 0 0 68 255 0 0 0 0 0 0\n");
	machine_destroy(m);
}

/* ---- data ---------------------------------------------------------------- */

/* One synchronous bio, run to its end: its status. */
static blk_status_t rw_pages(blk_opf_t op, sector_t sector, struct page **pages,
			     unsigned int n, unsigned int len, unsigned int off)
{
	struct bio_vec vecs[4];
	struct bio *bio = &bios[0];

	iolog_reset();
	bio_init(bio, the_bdev(), vecs, 4, op);
	bio->bi_iter.bi_sector = sector;
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(bio_add_page(bio, pages[i], len, off), len);
	bio->bi_end_io = log_end_io;
	bio->bi_private = 0;
	submit_bio(bio);
	sched_run_for(MS);
	assert_int_equal(iolog.n, 1);
	return iolog.status[0];
}

static void fill(struct page *page, unsigned char seed)
{
	unsigned char *p = page_address(page);

	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static bool all_zero(struct page *page)
{
	const unsigned char *p = page_address(page);

	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

static void test_data_survives_write_and_read(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct page *w[2], *r[2];
	struct bio_vec vec;
	struct bio extra;

	(void)state;
	for (int i = 0; i < 2; i++) {
		w[i] = alloc_page(GFP_KERNEL);
		r[i] = alloc_page(GFP_KERNEL);
		assert_non_null(w[i]);
		assert_non_null(r[i]);
		fill(w[i], (unsigned char)(11 * i + 3));
		memset(page_address(r[i]), 0xee, PAGE_SIZE);
	}
	/* Never written: zeroes. */
	assert_int_equal(rw_pages(REQ_OP_READ, 800, r, 1, PAGE_SIZE, 0),
			 BLK_STS_OK);
	assert_true(all_zero(r[0]));
	/* Two pages out at sector 8, back in one by one. */
	assert_int_equal(rw_pages(REQ_OP_WRITE, 8, w, 2, PAGE_SIZE, 0),
			 BLK_STS_OK);
	assert_int_equal(rw_pages(REQ_OP_READ, 16, &r[1], 1, PAGE_SIZE, 0),
			 BLK_STS_OK);
	assert_int_equal(rw_pages(REQ_OP_READ, 8, &r[0], 1, PAGE_SIZE, 0),
			 BLK_STS_OK);
	for (int i = 0; i < 2; i++)
		assert_memory_equal(page_address(r[i]), page_address(w[i]),
				    PAGE_SIZE);
	/* Part of a page: 1 KiB from offset 512 lands at sector 100. */
	assert_int_equal(rw_pages(REQ_OP_WRITE, 100, w, 1, 1024, 512),
			 BLK_STS_OK);
	assert_int_equal(rw_pages(REQ_OP_READ, 100, r, 1, 1024, 0), BLK_STS_OK);
	assert_memory_equal(page_address(r[0]),
			    (char *)page_address(w[0]) + 512, 1024);
	/* A discard reads back as zeroes (sectors 8..23, both pages). */
	iolog_reset();
	submit(0, the_bdev(), REQ_OP_DISCARD, 8, 8192);
	sched_run_for(MS);
	assert_int_equal(iolog.status[0], BLK_STS_OK);
	assert_int_equal(rw_pages(REQ_OP_READ, 8, r, 2, PAGE_SIZE, 0),
			 BLK_STS_OK);
	assert_true(all_zero(r[0]) && all_zero(r[1]));
	/* A full table takes no more pages. */
	bio_init(&extra, the_bdev(), &vec, 1, REQ_OP_WRITE);
	assert_int_equal(bio_add_page(&extra, w[0], PAGE_SIZE, 0), PAGE_SIZE);
	assert_int_equal(bio_add_page(&extra, w[1], PAGE_SIZE, 0), 0);
	assert_int_equal(extra.bi_iter.bi_size, PAGE_SIZE);
	for (int i = 0; i < 2; i++) {
		__free_pages(w[i], 0);
		__free_pages(r[i], 0);
	}
	machine_destroy(m);
}

/* ---- bad bios ------------------------------------------------------------ */

static void test_bad_bios_end_at_once(void **state)
{
	struct machine *m =
		boot_machine("ram=128M", "disk=hdd", "disk.size=1M");
	size_t mark = log_mark();

	(void)state;
	iolog_reset();
	/* The last sector is fine; one more is past the end. */
	submit(0, the_bdev(), REQ_OP_WRITE, 2047, 512);
	submit(1, the_bdev(), REQ_OP_READ, 2047, 1024);
	assert_int_equal(iolog.n, 1); /* bio 1 ended inside submit_bio */
	assert_int_equal(iolog.status[1], BLK_STS_IOERR);
	assert_int_equal(blk_status_to_errno(iolog.status[1]), -EIO);
	assert_true(log_contains_since(
		mark, "] swapper/0: attempt to access beyond end of device\n"));
	assert_true(log_contains_since(
		mark, "] sda: rw=0, sector=2047, nr_sectors = 2 limit=2048\n"));
	/* Not a whole number of sectors; a flush with data; an unknown
	 * operation; a discard on a disk without discard. */
	submit(2, the_bdev(), REQ_OP_READ, 0, 100);
	submit(3, the_bdev(), REQ_OP_FLUSH, 0, 512);
	submit(4, the_bdev(), 9, 0, 512);
	submit(5, the_bdev(), REQ_OP_DISCARD, 0, 512);
	assert_int_equal(iolog.n, 5);
	assert_int_equal(iolog.status[2], BLK_STS_IOERR);
	assert_int_equal(iolog.status[3], BLK_STS_IOERR);
	assert_int_equal(iolog.status[4], BLK_STS_NOTSUPP);
	assert_int_equal(iolog.status[5], BLK_STS_NOTSUPP);
	assert_int_equal(blk_status_to_errno(BLK_STS_NOTSUPP), -EOPNOTSUPP);
	sched_run_for(NSEC_PER_SEC);
	assert_int_equal(iolog.n, 6);
	assert_int_equal(iolog.status[0], BLK_STS_OK);
	/* Only the good write was counted. */
	assert_proc("/sys/block/sda/stat",
		    "       0        0        0        0        1        0"
		    "        1       12        0       12       12        0"
		    "        0        0        0        0        0\n");
	machine_destroy(m);
}

/* ---- completions --------------------------------------------------------- */

static void test_completion_counts(void **state)
{
	struct completion c;

	(void)state;
	init_completion(&c);
	assert_false(completion_done(&c));
	assert_false(try_wait_for_completion(&c));
	complete(&c);
	complete(&c);
	assert_true(completion_done(&c));
	assert_true(try_wait_for_completion(&c));
	assert_true(try_wait_for_completion(&c));
	assert_false(try_wait_for_completion(&c));
	complete_all(&c);
	for (int i = 0; i < 5; i++)
		assert_true(try_wait_for_completion(&c));
	reinit_completion(&c);
	assert_false(completion_done(&c));
}

struct waiter {
	struct completion *c;
	struct wait_queue_entry wait;
	bool io;
	uint64_t woke; /* the step that got the completion */
};

static int waiter_body(struct task_struct *p, void *arg)
{
	struct waiter *w = arg;
	bool done = w->io ? wait_for_completion_io_step(w->c, &w->wait) :
			    wait_for_completion_step(w->c, &w->wait);

	(void)p;
	if (!done)
		return TASK_BODY_RUN;
	w->woke = ktime_get_ns();
	return TASK_BODY_EXIT;
}

static enum hrtimer_restart fire_complete(struct hrtimer *t)
{
	struct completion **c = (struct completion **)(t + 1);

	complete(*c);
	return HRTIMER_NORESTART;
}

/* complete() wakes one waiter (in queue order), complete_all() the
 * rest. A plain wait is D without iowait. */
static void test_completion_wakes_waiters(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=2");
	struct completion c;
	struct waiter w[3] = {
		{ .c = &c, .io = true },
		{ .c = &c, .io = true },
		{ .c = &c, .io = false },
	};
	struct {
		struct hrtimer timer;
		struct completion *c;
	} ev = { .c = &c };
	struct task_struct *t[3];

	(void)state;
	init_completion(&c);
	for (int i = 0; i < 3; i++) {
		t[i] = start_task("waiter", waiter_body, &w[i]);
		sched_run_for(10 * US); /* queued in this order */
	}
	assert_int_equal(nr_iowait(), 2);
	assert_int_equal(nr_uninterruptible(), 3);
	assert_int_equal(stat_state(t[2]), 'D');
	hrtimer_setup(&ev.timer, fire_complete);
	hrtimer_start(&ev.timer, MS, HRTIMER_MODE_ABS);
	sched_run_until(2 * MS);
	assert_int_not_equal(w[0].woke, 0);
	assert_int_equal(w[1].woke, 0);
	assert_int_equal(w[2].woke, 0);
	assert_int_equal(nr_iowait(), 1);
	assert_false(completion_done(&c)); /* consumed */
	complete_all(&c);
	sched_run_until(3 * MS);
	assert_int_equal(w[1].woke, 2 * MS + CTX_SWITCH);
	assert_int_not_equal(w[2].woke, 0);
	assert_int_equal(nr_iowait(), 0);
	assert_int_equal(nr_uninterruptible(), 0);
	/* Already done: no sleep at all. */
	w[0].woke = 0;
	start_task("waiter", waiter_body, &w[0]);
	sched_run_for(MS);
	assert_int_not_equal(w[0].woke, 0);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_default_disk_is_nvme0n1,
					  destroy_current),
		cmocka_unit_test_teardown(test_sata_disks_and_none,
					  destroy_current),
		cmocka_unit_test_teardown(test_disk_options, destroy_current),
		cmocka_unit_test_teardown(
			test_reads_one_after_another_take_the_model_time,
			destroy_current),
		cmocka_unit_test_teardown(test_queue_depth_limits_concurrency,
					  destroy_current),
		cmocka_unit_test_teardown(test_hdd_is_sequential_or_seeks,
					  destroy_current),
		cmocka_unit_test_teardown(test_diskstats_after_known_io,
					  destroy_current),
		cmocka_unit_test_teardown(test_io_ticks_follow_busy_time,
					  destroy_current),
		cmocka_unit_test_teardown(test_data_survives_write_and_read,
					  destroy_current),
		cmocka_unit_test_teardown(test_bad_bios_end_at_once,
					  destroy_current),
		cmocka_unit_test(test_completion_counts),
		cmocka_unit_test_teardown(test_completion_wakes_waiters,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
