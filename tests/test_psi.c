/* Pressure stall information: /proc/pressure/{cpu,io,memory} for known
 * loads on the virtual clock: CPU contention, a task waiting for I/O,
 * a task in reclaim (memstall) beside others. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "helpers.h"
#include "vm_helpers.h"

#include "kernel/sched/psi.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"
#include "kernel/time/time.h"

#define MS (1000 * 1000ULL)
#define SEC (1000 * MS)
#define PSI_PERIOD (2 * SEC + 4 * MS) /* PSI_FREQ: 2 s and a tick */

static void assert_pressure(const char *path, const char *want)
{
	char *text = proc_text(path);

	assert_string_equal(text, want);
	free(text);
}

static int hog(struct task_struct *p, void *arg)
{
	(void)p, (void)arg;
	compute(MS);
	return TASK_BODY_RUN;
}

/* Two hogs on one CPU: one always waits, so CPU "some" is 100% of the
 * time; the averages after five periods are 1 - e^(-t/T) of it, in
 * Linux's fixed point: 63.18, 15.32 and 3.37. */
static void test_cpu_pressure(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=1");

	(void)state;
	start_task("a", hog, NULL);
	start_task("b", hog, NULL);
	sched_run_until(5 * PSI_PERIOD);
	assert_pressure(
		"/proc/pressure/cpu",
		"some avg10=63.18 avg60=15.32 avg300=3.37 total=10020000\n"
		"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	assert_pressure("/proc/pressure/io",
			"some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
			"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	machine_destroy(m);
}

struct waiter {
	int step;
	bool memstall; /* the wait is a memory stall (a swap-in) too */
	unsigned long flags;
	struct hrtimer timer;
	struct task_struct *task;
};

static enum hrtimer_restart wake_waiter(struct hrtimer *t)
{
	struct waiter *w =
		(struct waiter *)((char *)t - offsetof(struct waiter, timer));

	wake_up_process(w->task);
	return HRTIMER_NORESTART;
}

/* Step 0 waits in D for I/O until the timer; step 1 ends. */
static int io_waiter(struct task_struct *p, void *arg)
{
	struct waiter *w = arg;

	(void)p;
	if (w->step++) {
		if (w->memstall)
			psi_memstall_leave(&w->flags);
		return TASK_BODY_EXIT;
	}
	if (w->memstall)
		psi_memstall_enter(&w->flags);
	set_current_state(TASK_UNINTERRUPTIBLE);
	io_schedule();
	return TASK_BODY_RUN;
}

/* A task alone waits 1 s for I/O: I/O "some" and "full" (nobody runs)
 * for 1 s of the 2.004 s period; the averages take it as 49% (Linux
 * truncates a period's share to whole percents). */
static void test_io_pressure(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=1");
	struct waiter w = { 0 };

	(void)state;
	w.task = start_task("io", io_waiter, &w);
	hrtimer_setup(&w.timer, wake_waiter);
	hrtimer_start(&w.timer, SEC, HRTIMER_MODE_ABS);
	sched_run_until(PSI_PERIOD);
	assert_int_equal(w.step, 2);
	assert_pressure(
		"/proc/pressure/io",
		"some avg10=8.87 avg60=1.60 avg300=0.33 total=999998\n"
		"full avg10=8.87 avg60=1.60 avg300=0.33 total=999998\n");
	assert_pressure("/proc/pressure/memory",
			"some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
			"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	machine_destroy(m);
}

/* The same wait as a memory stall (a swap-in), beside a hog on the same
 * CPU (which runs first, for a tick): memory "some" from the stall's
 * start, I/O "some" from the sleep 2 us later; never "full" (the hog
 * runs all along). */
static void test_memory_pressure(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=1");
	struct waiter w = { .memstall = true };

	(void)state;
	w.task = start_task("swapin", io_waiter, &w);
	start_task("hog", hog, NULL);
	hrtimer_setup(&w.timer, wake_waiter);
	hrtimer_start(&w.timer, SEC, HRTIMER_MODE_ABS);
	sched_run_until(PSI_PERIOD);
	assert_int_equal(w.step, 2);
	assert_false(w.task->in_memstall);
	assert_pressure("/proc/pressure/memory",
			"some avg10=8.87 avg60=1.60 avg300=0.33 total=996000\n"
			"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	assert_pressure("/proc/pressure/io",
			"some avg10=8.87 avg60=1.60 avg300=0.33 total=995998\n"
			"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	machine_destroy(m);
}

/* A memory stall with nothing else to run is "full" as well: the stall
 * from its start in the running task (1 s, 2 us before the sleep). */
static void test_memory_pressure_full(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=2");
	struct waiter w = { .memstall = true };

	(void)state;
	w.task = start_task("swapin", io_waiter, &w);
	hrtimer_setup(&w.timer, wake_waiter);
	hrtimer_start(&w.timer, SEC, HRTIMER_MODE_ABS);
	sched_run_until(PSI_PERIOD);
	assert_pressure(
		"/proc/pressure/memory",
		"some avg10=8.87 avg60=1.60 avg300=0.33 total=1000000\n"
		"full avg10=8.87 avg60=1.60 avg300=0.33 total=1000000\n");
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_pressure),
		cmocka_unit_test(test_io_pressure),
		cmocka_unit_test(test_memory_pressure),
		cmocka_unit_test(test_memory_pressure_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
