/* The benchmarks' toucher (bench run, bench reclaim): a user process
 * whose body makes one touch (workload/access.h) at a time on request,
 * a tick of CPU time per step, and sleeps in between; the benchmark
 * runs the machine until the touch is done and times it in host ns. */
#include <sys/mman.h>

#include "bench/bench.h"
#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/sched/run.h"
#include "kernel/syscalls.h"
#include "kernel/time/time.h"
#include "mm/vma.h"

struct task_struct *bench_start_task(const char *name, task_body_fn fn,
				     void *arg)
{
	struct exec_image img;
	struct task_struct *t;
	int err;

	set_current_task(NULL);
	exec_image_default(&img, name, 64 * 1024, 8192, 8192);
	t = create_user_process(&img, &err);
	if (!t)
		return NULL;
	task_body_set(t, fn, arg);
	return get_task_struct(t);
}

static void sleep_now(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	schedule();
}

static bool job_start(struct bench_toucher *tc)
{
	char err[256];

	if (tc->fresh) {
		long a = sys_mmap(0, tc->args.length, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);

		if (IS_ERR_VALUE(a))
			return false;
		tc->args.addr = (unsigned long)a;
	}
	if (touch_init(&tc->t, &tc->args, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", tc->bench, err);
		return false;
	}
	tc->started = true;
	tc->t0 = bench_now_ns();
	return true;
}

static void job_end(struct bench_toucher *tc)
{
	tc->t1 = bench_now_ns();
	if (tc->result != TOUCH_DONE)
		(*tc->failures)++;
	if (tc->fresh && !tc->keep)
		*tc->failures += sys_munmap(tc->args.addr, tc->args.length) !=
				 0;
	tc->active = false;
}

static int toucher_body(struct task_struct *p, void *arg)
{
	struct bench_toucher *tc = arg;

	(void)p;
	if (!tc->active) {
		sleep_now();
		return TASK_BODY_RUN;
	}
	if (!tc->started && !job_start(tc)) {
		(*tc->failures)++;
		tc->active = false;
		return TASK_BODY_RUN;
	}
	tc->result = touch_run(&tc->t, TICK_NSEC);
	if (tc->result == TOUCH_MORE || tc->result == TOUCH_BLOCKED)
		return TASK_BODY_RUN;
	job_end(tc);
	sleep_now();
	return TASK_BODY_RUN;
}

bool bench_toucher_start(struct bench_toucher *tc, const char *name,
			 const char *bench, unsigned long *failures)
{
	*tc = (struct bench_toucher){ .bench = bench, .failures = failures };
	tc->task = bench_start_task(name, toucher_body, tc);
	return tc->task;
}

double bench_toucher_run(struct bench_toucher *tc, const struct touch_args *a,
			 bool fresh, bool keep)
{
	tc->args = *a;
	tc->fresh = fresh;
	tc->keep = keep;
	tc->active = true;
	tc->started = false;
	tc->result = TOUCH_DONE;
	wake_up_process(tc->task);
	while (tc->active && tc->task->__state != TASK_DEAD)
		sched_run_for(100 * NSEC_PER_MSEC);
	if (tc->active || tc->result != TOUCH_DONE || !tc->t.done)
		return 0;
	return (double)(tc->t1 - tc->t0) / (double)tc->t.done;
}
