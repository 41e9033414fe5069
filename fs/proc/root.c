/* The /proc tree: one table of every file mmsim shows, looked up by path.
 * System files only for now; per-process directories arrive with tasks. */
#include "fs/proc/proc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "kernel/machine.h"
#include "kernel/sysctl.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

static void show_plain(struct seq_file *m, const void *priv)
{
	void (*show)(struct seq_file *) = (void (*)(struct seq_file *))priv;

	show(m);
}

#define PLAIN(path, fn) { path, show_plain, NULL, (const void *)fn }

static const struct proc_entry proc_files[] = {
	PLAIN("/proc/buddyinfo", buddyinfo_show),
	PLAIN("/proc/meminfo", meminfo_show),
	PLAIN("/proc/pagetypeinfo", pagetypeinfo_show),
	PLAIN("/proc/slabinfo", slabinfo_show),
	PLAIN("/proc/vmstat", vmstat_show),
	PLAIN("/proc/zoneinfo", zoneinfo_show),
};

#define MAX_ENTRIES 64

const struct proc_entry *proc_entries(size_t *n)
{
	static _Thread_local struct proc_entry all[MAX_ENTRIES];
	size_t nvm, k = 0;
	const struct proc_entry *vm = sysctl_vm_entries(&nvm);

	for (size_t i = 0; i < ARRAY_SIZE(proc_files); i++)
		all[k++] = proc_files[i];
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

int proc_read(const char *path, struct seq_file *out)
{
	const struct proc_entry *e = proc_lookup(path);

	if (!e)
		return -ENOENT;
	e->show(out, e->priv);
	return 0;
}

int proc_write(const char *path, const char *value, char *err, size_t errlen)
{
	const struct proc_entry *e = proc_lookup(path);

	if (!e) {
		snprintf(err, errlen, "%s: No such file or directory", path);
		return -ENOENT;
	}
	if (!e->write) {
		snprintf(err, errlen, "%s: Permission denied", path);
		return -EACCES;
	}
	return e->write(value, err, errlen, e->priv);
}
