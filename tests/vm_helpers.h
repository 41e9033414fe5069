/* Helpers for the tests of process address spaces: start a simulated
 * process from the default exec image and make it current (or start one
 * running a task body under the scheduler), end it, and
 * render the VMAs of a range as /proc/PID/maps would name their bounds
 * and permissions ("start-end rwxp"), in pages relative to a base so
 * that tables of expected layouts stay short. Include <cmocka.h> and
 * "helpers.h" first. */
#ifndef MMSIM_TESTS_VM_HELPERS_H
#define MMSIM_TESTS_VM_HELPERS_H

#include <stdio.h>
#include <string.h>

#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/sched/run.h"
#include "kernel/syscalls.h"
#include "mm/vma.h"

#define MiB (1UL << 20)
#define PG(n) ((unsigned long)(n)*PAGE_SIZE)

static inline struct task_struct *start_process(const char *name)
{
	struct exec_image img;
	struct task_struct *t;
	int err;

	exec_image_default(&img, name, 64 * 1024, 8192, 8192);
	t = create_user_process(&img, &err);
	assert_non_null(t);
	set_current_task(t);
	return t;
}

/* A user process named name that runs fn(arg) under the scheduler, created
 * from swapper (nice 0, every CPU) and queued as fork queues it. The test
 * keeps a reference: the task stays readable after it exits. */
static inline struct task_struct *start_task(const char *name, task_body_fn fn,
					     void *arg)
{
	struct exec_image img;
	struct task_struct *t;
	int err;

	set_current_task(NULL);
	exec_image_default(&img, name, 8192, 4096, 4096);
	t = create_user_process(&img, &err);
	assert_non_null(t);
	task_body_set(t, fn, arg);
	return get_task_struct(t);
}

static inline void end_process(struct task_struct *t)
{
	set_current_task(NULL);
	release_task(t);
}

/* maps' "rwxp"/"rwxs" of a VMA. */
static inline void vma_perms(const struct vm_area_struct *v, char out[5])
{
	out[0] = v->vm_flags & VM_READ ? 'r' : '-';
	out[1] = v->vm_flags & VM_WRITE ? 'w' : '-';
	out[2] = v->vm_flags & VM_EXEC ? 'x' : '-';
	out[3] = v->vm_flags & VM_MAYSHARE ? 's' : 'p';
	out[4] = '\0';
}

/* The VMAs of current->mm overlapping [base, base + PG(pages)) as lines
 * "FIRST-END perms", in pages from base (clipped to the range). */
static inline const char *layout(unsigned long base, unsigned long pages)
{
	static char buf[4096];
	unsigned long end = base + PG(pages);
	struct vm_area_struct *v = find_vma(current->mm, base);
	size_t n = 0;

	buf[0] = '\0';
	for (; v && v->vm_start < end && n < sizeof(buf) - 64; v = v->vm_next) {
		char perms[5];
		unsigned long s = max(v->vm_start, base),
			      e = min(v->vm_end, end);

		vma_perms(v, perms);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%lu-%lu %s\n",
				      (s - base) / PAGE_SIZE,
				      (e - base) / PAGE_SIZE, perms);
	}
	return buf;
}

#define assert_layout(base, pages, expected) \
	assert_string_equal(layout(base, pages), expected)

/* An anonymous private mapping of pages at the fixed address a. */
static inline unsigned long map_fixed(unsigned long a, unsigned long pages,
				      unsigned long prot, unsigned long flags)
{
	long r = sys_mmap(a, PG(pages), prot, flags | MAP_ANONYMOUS | MAP_FIXED,
			  -1UL, 0);

	assert_int_equal(r, (long)a);
	return a;
}

/* One byte written or read by the task; 0 or -EFAULT. */
static inline int poke(unsigned long a, char c)
{
	return user_access(a, &c, 1, true);
}

static inline int peek(unsigned long a, char *c)
{
	return user_access(a, c, 1, false);
}

/* The task of pid (a syscall's return value), which must exist. */
static inline struct task_struct *task_by_pid(long pid)
{
	struct task_struct *t;

	assert_true(pid > 0);
	t = find_task_by_vpid((pid_t)pid);
	assert_non_null(t);
	return t;
}

/* The PTE mapping a in current->mm, or an empty one. */
static inline pte_t pte_at(unsigned long a)
{
	pte_t *p = mm_find_pte(current->mm, a);

	return p ? ptep_get(p) : __pte(0);
}

/* A "Name:   N kB" field of /proc/meminfo, in kB. */
static inline unsigned long meminfo_kb(const char *name)
{
	char label[64];

	snprintf(label, sizeof(label), "%s:", name);
	return proc_counter("/proc/meminfo", label);
}

#endif
