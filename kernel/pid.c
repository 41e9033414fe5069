/* Process ids (kernel/pid.c): a bitmap of the pids in use below pid_max
 * (Linux uses an IDR with a cursor; the order of allocation is the
 * same), allocated cyclically from the last pid given and wrapping to
 * RESERVED_PIDS; a small hash finds a task by pid. Both are static data
 * of the kernel image's bss, as Linux's init_pid_ns is.
 * Also getpid and getppid. */
#include "kernel/pid.h"

#include <errno.h>
#include <string.h>

#include "base/kernel.h"
#include "kernel/machine.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "mm/mm.h"

#define PID_HASH_SIZE 64

struct pid_table {
	int cursor; /* the next pid to try */
	struct list_head hash[PID_HASH_SIZE];
	unsigned long used[]; /* bit per pid below pid_max */
};

bool pid_idr_init(void)
{
	const struct kernel_image *k = &M->image;
	int max =
		max_t(int, PID_MAX_DEFAULT, PIDS_PER_CPU_DEFAULT * M->nr_cpus);
	size_t bytes;
	struct pid_table *p;

	M->pid_max = min_t(int, max, PID_MAX_LIMIT);
	bytes = sizeof(*p) + BITS_TO_LONGS(M->pid_max) * sizeof(long);
	/* The pages after init_stack, below empty_zero_page. */
	if ((IMAGE_BSS_PID_PAGE << PAGE_SHIFT) + bytes > k->bss - PAGE_SIZE)
		return false;
	p = __va(kernel_bss_start(k) + (IMAGE_BSS_PID_PAGE << PAGE_SHIFT));
	memset(p, 0, bytes);
	p->cursor = 1;
	for (int i = 0; i < PID_HASH_SIZE; i++)
		INIT_LIST_HEAD(&p->hash[i]);
	M->pids = p;
	return true;
}

static bool pid_used(const struct pid_table *p, int nr)
{
	return (p->used[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

/* First free pid in [from, to), or -1. */
static int find_free(const struct pid_table *p, int from, int to)
{
	for (int nr = from; nr < to; nr++)
		if (!pid_used(p, nr))
			return nr;
	return -1;
}

pid_t alloc_pid(void)
{
	struct pid_table *p = M->pids;
	int pid_min = p->cursor > RESERVED_PIDS ? RESERVED_PIDS : 1;
	int nr = find_free(p, max(p->cursor, pid_min), M->pid_max);

	if (nr < 0)
		nr = find_free(p, pid_min, M->pid_max);
	if (nr < 0)
		return -EAGAIN;
	p->used[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
	p->cursor = nr + 1;
	return nr;
}

pid_t pid_last(void)
{
	return M->pids->cursor - 1;
}

void free_pid(pid_t nr)
{
	M->pids->used[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

void attach_pid(struct task_struct *t)
{
	list_add(&t->pid_hash, &M->pids->hash[t->pid % PID_HASH_SIZE]);
}

void detach_pid(struct task_struct *t)
{
	list_del_init(&t->pid_hash);
}

struct task_struct *find_task_by_vpid(pid_t nr)
{
	struct task_struct *t;

	if (nr <= 0)
		return NULL;
	list_for_each_entry(t, &M->pids->hash[nr % PID_HASH_SIZE], pid_hash)
		if (t->pid == nr)
			return t;
	return NULL;
}

/* ---- getpid, getppid (kernel/sys.c in Linux) ------------------------------ */

long sys_getpid(void)
{
	return task_tgid_nr(current);
}

long sys_getppid(void)
{
	return task_tgid_nr(current->real_parent);
}
