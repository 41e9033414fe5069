/* The /proc tree: one table of every system file mmsim shows, looked up
 * by path; the per-process directories /proc/PID/ and /proc/self/
 * (fs/proc/base.c), SLUB's /sys/kernel/slab attributes and the disks'
 * /sys/block attributes are reached through the same calls. A text file
 * is rendered whole; proc_pread() reads a slice of one, or of a binary
 * file (pagemap, kpagecount, kpageflags) that has no whole-file
 * rendering. */
#include "fs/proc/proc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arch/tlb.h"
#include "drivers/block/blkdev.h"
#include "fs/proc/internal.h"
#include "kernel/machine.h"
#include "kernel/sched/psi.h"
#include "kernel/sysctl.h"
#include "mm/reclaim_policy.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

static void show_plain(struct seq_file *m, const void *priv)
{
	void (*show)(struct seq_file *) = (void (*)(struct seq_file *))priv;

	show(m);
}

#define PLAIN(path, fn)                                  \
	{                                                \
		path, show_plain, NULL, (const void *)fn \
	}

/* /proc/slabinfo takes SLAB's tunables (and refuses writes otherwise). */
static int write_slabinfo(const char *value, char *err, size_t errlen,
			  const void *priv)
{
	(void)priv;
	return slabinfo_write(value, err, errlen);
}

static int write_vma_ra_enabled(const char *value, char *err, size_t errlen,
				const void *priv)
{
	(void)priv;
	return vma_ra_enabled_store(value, err, errlen);
}

static const struct proc_entry proc_files[] = {
	PLAIN("/proc/buddyinfo", buddyinfo_show),
	PLAIN("/proc/diskstats", diskstats_show),
	PLAIN("/proc/loadavg", loadavg_show),
	PLAIN("/proc/meminfo", meminfo_show),
	PLAIN("/proc/pagetypeinfo", pagetypeinfo_show),
	PLAIN("/proc/partitions", partitions_show),
	PLAIN("/proc/pressure/cpu", psi_cpu_show),
	PLAIN("/proc/pressure/io", psi_io_show),
	PLAIN("/proc/pressure/memory", psi_memory_show),
	{ "/proc/slabinfo", show_plain, write_slabinfo,
	  (const void *)slabinfo_show },
	PLAIN("/proc/stat", stat_show),
	PLAIN("/proc/swaps", swaps_show),
	PLAIN("/proc/uptime", uptime_show),
	PLAIN("/proc/vmallocinfo", vmallocinfo_show),
	PLAIN("/proc/vmstat", vmstat_show),
	PLAIN("/proc/zoneinfo", zoneinfo_show),
	PLAIN("/proc/mmsim/reclaim", reclaim_policy_show),
	PLAIN("/proc/mmsim/tlb", tlb_show),
	{ "/sys/kernel/mm/swap/vma_ra_enabled", show_plain,
	  write_vma_ra_enabled, (const void *)vma_ra_enabled_show },
};

#define MAX_ENTRIES 64

/* Whether a file exists on the current machine: /proc/slabinfo does not
 * under SLOB, as in Linux. */
static bool proc_present(const struct proc_entry *e)
{
	return e->priv != (const void *)slabinfo_show || slabinfo_present();
}

const struct proc_entry *proc_entries(size_t *n)
{
	static _Thread_local struct proc_entry all[MAX_ENTRIES];
	size_t nvm, nkern, k = 0;
	const struct proc_entry *vm = sysctl_vm_entries(&nvm);
	const struct proc_entry *kern = sysctl_kernel_entries(&nkern);

	for (size_t i = 0; i < ARRAY_SIZE(proc_files); i++)
		if (proc_present(&proc_files[i]))
			all[k++] = proc_files[i];
	for (size_t i = 0; i < nkern && k < MAX_ENTRIES; i++)
		all[k++] = kern[i];
	for (size_t i = 0; i < nvm && k < MAX_ENTRIES; i++)
		all[k++] = vm[i];
	*n = k;
	return all;
}

static const struct proc_entry *proc_lookup(const char *path)
{
	size_t n;
	const struct proc_entry *e = proc_entries(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(e[i].path, path))
			return &e[i];
	return NULL;
}

/* sysfs files rendered by their subsystem: /sys/kernel/slab/NAME/ATTR
 * (SLUB), looked up by prefix rather than listed. */
#define SYS_KERNEL_SLAB "/sys/kernel/slab/"

static const char *sys_kernel_slab_path(const char *path)
{
	size_t len = strlen(SYS_KERNEL_SLAB);

	return strncmp(path, SYS_KERNEL_SLAB, len) ? NULL : path + len;
}

/* The disks' attributes, /sys/block/NAME/ATTR (block/genhd.c). */
#define SYS_BLOCK "/sys/block/"

static const char *sys_block_path(const char *path)
{
	size_t len = strlen(SYS_BLOCK);

	return strncmp(path, SYS_BLOCK, len) ? NULL : path + len;
}

/* Whether a /sys/block attribute exists (they are all read-only). */
static bool sys_block_exists(const char *block)
{
	struct seq_file s;
	bool found;

	seq_init(&s);
	found = !blk_sysfs_show(block, &s);
	seq_release(&s);
	return found;
}

/* The binary system files: no text, only a read at an offset; root
 * may open them for writing, but a write is refused (EACCES). */
typedef long binary_read_fn(void *buf, size_t count, unsigned long long off);

static const struct {
	const char *path;
	binary_read_fn *pread;
} binary_files[] = {
	{ "/proc/kpagecount", kpagecount_read },
	{ "/proc/kpageflags", kpageflags_read },
};

static binary_read_fn *binary_lookup(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(binary_files); i++)
		if (!strcmp(binary_files[i].path, path))
			return binary_files[i].pread;
	return NULL;
}

int proc_read(const char *path, struct seq_file *out)
{
	const struct proc_entry *e = proc_lookup(path);
	const char *slab = sys_kernel_slab_path(path);
	const char *block = sys_block_path(path);

	if (binary_lookup(path))
		return -EINVAL;
	if (!e && slab)
		return slab_sysfs_show(slab, out);
	if (!e && block)
		return blk_sysfs_show(block, out);
	if (!e)
		return proc_pid_read(path, out);
	e->show(out, e->priv);
	return 0;
}

long proc_pread(const char *path, void *buf, size_t count,
		unsigned long long off)
{
	binary_read_fn *binary = binary_lookup(path);
	struct seq_file m;
	long ret;

	if (binary)
		return binary(buf, count, off);
	if (proc_pid_binary(path))
		return proc_pid_pread(path, buf, count, off);
	seq_init(&m);
	ret = proc_read(path, &m);
	if (!ret && off < m.count) {
		ret = (long)min(count, (size_t)(m.count - off));
		memcpy(buf, seq_text(&m) + off, (size_t)ret);
	}
	seq_release(&m);
	return ret;
}

int proc_write(const char *path, const char *value, char *err, size_t errlen)
{
	const struct proc_entry *e = proc_lookup(path);
	const char *slab = sys_kernel_slab_path(path);
	const char *block = sys_block_path(path);

	if (!e && slab)
		return slab_sysfs_store(slab, value, err, errlen);
	if (!e && proc_pid_exists(path))
		return proc_pid_write(path, value, err, errlen);
	if (!e && !(block && sys_block_exists(block)) && !binary_lookup(path)) {
		snprintf(err, errlen, "%s: No such file or directory", path);
		return -ENOENT;
	}
	if (!e || !e->write) {
		snprintf(err, errlen, "%s: Permission denied", path);
		return -EACCES;
	}
	return e->write(value, err, errlen, e->priv);
}
