/* The running system: virtual time and events, the scheduler and task
 * bodies. CFS shares CPUs by weight, FIFO preempts CFS, RR rotates every
 * 100 ms, RT throttling leaves CFS 5%, sleepers wake with the latency
 * the cost model gives, load balancing spreads tasks over CPUs, context
 * switches are counted as Linux counts them, and two runs of the same
 * scenario give the same trace. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "vm_helpers.h"

#include <errno.h>
#include <time.h>

#include "arch/tlbflush.h"
#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/kthread.h"
#include "kernel/pid.h"
#include "kernel/printk.h"
#include "kernel/sched/run.h"
#include "kernel/sched/wait.h"
#include "kernel/syscalls.h"
#include "kernel/time/time.h"
#include "mm/mm_types.h"

#define MS NSEC_PER_MSEC
#define SEC NSEC_PER_SEC

/* ---- helpers ------------------------------------------------------------- */

static void set_policy(struct task_struct *t, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	assert_int_equal(sched_setscheduler_nocheck(t, policy, &sp), 0);
}

static bool log_has(const char *s)
{
	return strstr(seq_text(&M->log), s) != NULL;
}

/* A CPU hog: 1 ms of user time per step, for ever. */
static int hog(struct task_struct *p, void *arg)
{
	(void)p;
	(void)arg;
	compute(MS);
	return TASK_BODY_RUN;
}

/* Runs for *arg ns in 1 ms steps, then exits. */
static int worker(struct task_struct *p, void *arg)
{
	uint64_t *left = arg;
	uint64_t n = min(*left, MS);

	(void)p;
	if (!n)
		return TASK_BODY_EXIT;
	*left -= n;
	compute(n);
	return TASK_BODY_RUN;
}

static int idle_cpus(void)
{
	int n = 0;

	for (int cpu = 0; cpu < M->nr_cpus; cpu++)
		n += (cpu_curr(cpu)->flags & PF_IDLE) != 0;
	return n;
}

static uint64_t runtime(struct task_struct *t)
{
	return task_sched_runtime(t);
}

/* Share of a in a + b, against wa / (wa + wb), relative error. */
static double share_error(uint64_t a, uint64_t b, double wa, double wb)
{
	double share = (double)a / (double)(a + b);
	double want = wa / (wa + wb);

	return share > want ? (share - want) / want : (want - share) / want;
}

/* ---- time and events ----------------------------------------------------- */

static int n_fired;
static uint64_t fired_at[8];
static int fired_order[8];

static enum hrtimer_restart note_timer(struct hrtimer *t)
{
	fired_at[n_fired] = ktime_get_ns();
	fired_order[n_fired++] = (int)(t->seq & 0xff);
	return HRTIMER_NORESTART;
}

static void test_timers_fire_in_order_on_the_virtual_clock(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct hrtimer t[4];
	int seqs[4];

	(void)state;
	n_fired = 0;
	for (int i = 0; i < 4; i++)
		hrtimer_setup(&t[i], note_timer);
	hrtimer_start(&t[0], 5 * MS, HRTIMER_MODE_REL);
	hrtimer_start(&t[1], 2 * MS, HRTIMER_MODE_ABS);
	hrtimer_start(&t[2], 5 * MS, HRTIMER_MODE_ABS); /* ties: start order */
	hrtimer_start(&t[3], 9 * MS, HRTIMER_MODE_ABS);
	for (int i = 0; i < 4; i++)
		seqs[i] = (int)(t[i].seq & 0xff);
	assert_int_equal(hrtimer_cancel(&t[3]), 1);
	assert_int_equal(hrtimer_cancel(&t[3]), 0);
	assert_int_equal(hrtimer_next_expiry(), 2 * MS);
	sched_run_until(6 * MS);
	assert_int_equal(n_fired, 3);
	assert_int_equal(fired_at[0], 2 * MS);
	assert_int_equal(fired_order[0], seqs[1]);
	assert_int_equal(fired_at[1], 5 * MS);
	assert_int_equal(fired_order[1], seqs[0]);
	assert_int_equal(fired_order[2], seqs[2]);
	assert_int_equal(ktime_get_ns(), 6 * MS);
	/* hrtimer_forward: whole intervals to the first one after now */
	t[0].expires = 1 * MS;
	assert_int_equal(hrtimer_forward_now(&t[0], 2 * MS), 3);
	assert_int_equal(t[0].expires, 7 * MS);
	machine_destroy(m);
}

static void test_jiffies_and_ticks(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=2");
	uint64_t left = 10 * MS;
	struct task_struct *t;

	(void)state;
	assert_int_equal(HZ, 250);
	assert_int_equal(TICK_NSEC, 4 * MS);
	assert_int_equal(get_jiffies_64(), INITIAL_JIFFIES);
	assert_int_equal(msecs_to_jiffies(100), 25);
	/* An idle machine has no tick: time jumps straight to the end. */
	sched_run_until(SEC);
	assert_int_equal(get_jiffies_64(), INITIAL_JIFFIES + HZ);
	assert_false(tick_running(0));
	assert_false(tick_running(1));
	t = start_task("work", worker, &left);
	sched_run_for(MS);
	assert_true(tick_running(task_cpu(t)));
	assert_false(tick_running(!task_cpu(t)));
	sched_run_for(20 * MS);
	assert_int_equal(t->__state, TASK_DEAD);
	assert_false(tick_running(0));
	assert_false(tick_running(1));
	machine_destroy(m);
}

static void test_cost_model_options(void **state)
{
	struct machine_config cfg;
	char err[256];

	(void)state;
	machine_config_default(&cfg);
	assert_int_equal(cfg.cost.ns[COST_CONTEXT_SWITCH], 1500);
	assert_true(machine_config_set(&cfg, "cost.context_switch", "2000", err,
				       sizeof(err)));
	assert_int_equal(cfg.cost.ns[COST_CONTEXT_SWITCH], 2000);
	assert_true(machine_config_set(&cfg, "cost.tlb_hit", "0", err,
				       sizeof(err)));
	assert_false(machine_config_set(&cfg, "cost.walk_step", "-1", err,
					sizeof(err)));
	assert_non_null(strstr(err, "cost.walk_step=-1"));
	assert_false(machine_config_set(&cfg, "cost.nothing", "5", err,
					sizeof(err)));
	assert_string_equal(
		err,
		"mmsim.cost.nothing: unknown cost (accepted: tlb_hit, walk_step, fault_entry, fault_exit, zero_page, copy_page, syscall, context_switch)");
	for (int i = 0; i < NR_COST_ITEMS; i++)
		assert_non_null(cost_item_name((enum cost_item)i));
}

/* Charged costs are system time; compute() is user time. */
static int charger(struct task_struct *p, void *arg)
{
	int *steps = arg;

	(void)p;
	if (!(*steps)--)
		return TASK_BODY_EXIT;
	cost_charge(COST_SYSCALL);
	cost_charge_n(COST_ZERO_PAGE, 4);
	compute(10000);
	return TASK_BODY_RUN;
}

static void test_costs_become_system_time(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cost.syscall=300");
	int steps = 100;
	struct task_struct *t;
	uint64_t ut, st;

	(void)state;
	t = start_task("charger", charger, &steps);
	sched_run_until(SEC);
	task_cputime(t, &ut, &st);
	assert_int_equal(t->__state, TASK_DEAD);
	assert_int_equal(ut, 100 * 10000);
	/* one context switch in, then 100 x (syscall + 4 zeroed pages) */
	assert_int_equal(st, 1500 + 100 * (300 + 4 * 250));
	assert_int_equal(t->se.sum_exec_runtime, ut + st);
	assert_int_equal(kcpustat_cpu(0, CPUTIME_USER), ut);
	assert_int_equal(kcpustat_cpu(0, CPUTIME_SYSTEM), st);
	assert_int_equal(kcpustat_cpu(0, CPUTIME_IDLE), SEC - ut - st);
	machine_destroy(m);
}

/* ---- CFS ----------------------------------------------------------------- */

static void test_cfs_tunables_scale_with_cpus(void **state)
{
	static const struct {
		const char *cpus;
		unsigned factor;
	} cases[] = { { "cpus=1", 1 },
		      { "cpus=2", 2 },
		      { "cpus=4", 3 },
		      { "cpus=8", 4 },
		      { "cpus=64", 4 } };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct machine *m = boot_machine("ram=256M", cases[i].cpus);
		struct task_struct *t = start_task("t", hog, NULL);
		struct timespec ts;

		sched_run_for(10 * MS);
		/* one task: the whole latency (6 ms x factor) in jiffies */
		assert_int_equal(sys_sched_rr_get_interval(t->pid, &ts), 0);
		assert_int_equal(ts.tv_sec, 0);
		assert_int_equal((uint64_t)ts.tv_nsec,
				 6 * MS * cases[i].factor / TICK_NSEC *
					 TICK_NSEC);
		machine_destroy(m);
	}
}

static void check_shares(int nice_a, int nice_b, double wa, double wb)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *a = start_task("a", hog, NULL);
	struct task_struct *b = start_task("b", hog, NULL);
	double err;

	set_user_nice(a, nice_a);
	set_user_nice(b, nice_b);
	sched_run_until(20 * SEC);
	err = share_error(runtime(a), runtime(b), wa, wb);
	print_message("nice %d vs %d: %.3f%% off the weight ratio\n", nice_a,
		      nice_b, err * 100);
	assert_true(err < 0.01);
	/* the CPU was never idle */
	assert_true(runtime(a) + runtime(b) > 20 * SEC - 10 * MS);
	machine_destroy(m);
}

static void test_cfs_shares_follow_weights(void **state)
{
	(void)state;
	check_shares(0, 0, 1024, 1024);
	check_shares(0, 5, 1024, 335);
	check_shares(-3, 2, 1991, 655);
	check_shares(0, 19, 1024, 15);
}

/* /proc/PID/sched and schedstat of a nice-5 hog sharing one CPU with a
 * nice-0 one for a second. */
static void test_proc_pid_sched(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *a = start_task("a", hog, NULL);
	struct task_struct *b = start_task("b", hog, NULL);
	char path[64], *text;

	(void)state;
	set_user_nice(b, 5);
	sched_run_until(SEC);
	/* b ran 248 ms in 62 slices of 4 ms (24.8%; its weight's share
	 * is 335 / 1359 = 24.65%), its vruntime going 1024/335 as fast. */
	snprintf(path, sizeof(path), "/proc/%d/sched", b->pid);
	text = proc_text(path);
	assert_string_equal(
		text,
		"b (2, #threads: 1)\n"
		"-------------------------------------------------------------------\n"
		"se.exec_start                                :           992.000000\n"
		"se.vruntime                                  :           760.017054\n"
		"se.sum_exec_runtime                          :           248.000000\n"
		"se.nr_migrations                             :                    0\n"
		"nr_switches                                  :                   62\n"
		"nr_voluntary_switches                        :                    0\n"
		"nr_involuntary_switches                      :                   62\n"
		"se.load.weight                               :               343040\n"
		"policy                                       :                    0\n"
		"prio                                         :                  125\n"
		"clock-delta                                  :                    0\n");
	free(text);
	snprintf(path, sizeof(path), "/proc/%d/schedstat", b->pid);
	text = proc_text(path);
	/* b waits since 992 ms: a wait counts when it ends (sched_info_arrive) */
	assert_string_equal(text, "248000000 744000000 62\n");
	free(text);
	assert_int_equal(a->se.sum_exec_runtime + b->se.sum_exec_runtime, SEC);
	machine_destroy(m);
}

static void test_cfs_three_tasks_and_batch(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *t[3];
	static const int nice[3] = { 0, 1, 10 };
	static const double w[3] = { 1024, 820, 110 };
	uint64_t total = 0;

	(void)state;
	for (int i = 0; i < 3; i++) {
		t[i] = start_task("t", hog, NULL);
		set_user_nice(t[i], nice[i]);
	}
	set_policy(t[1], SCHED_BATCH,
		   0); /* same weight, no wakeup preemption */
	sched_run_until(30 * SEC);
	for (int i = 0; i < 3; i++)
		total += runtime(t[i]);
	for (int i = 0; i < 3; i++) {
		double share = (double)runtime(t[i]) / (double)total;
		double want = w[i] / (w[0] + w[1] + w[2]);

		assert_true(share > want * 0.99 && share < want * 1.01);
	}
	machine_destroy(m);
}

/* ---- sleeping and waking ------------------------------------------------- */

struct sleeper {
	uint64_t period; /* sleep this long, then run work */
	uint64_t work;
	uint64_t expected; /* when the timer should have fired */
	uint64_t max_latency, sum_latency;
	int wakeups, rounds;
	bool asleep;
};

static int sleeper_body(struct task_struct *p, void *arg)
{
	struct sleeper *s = arg;

	(void)p;
	if (s->asleep) {
		uint64_t lat = ktime_get_ns() - s->expected;

		s->asleep = false;
		s->wakeups++;
		s->sum_latency += lat;
		s->max_latency = max(s->max_latency, lat);
		compute(s->work);
		return TASK_BODY_RUN;
	}
	if (s->rounds-- <= 0)
		return TASK_BODY_EXIT;
	s->expected = ktime_get_ns() + s->period;
	s->asleep = true;
	hrtimer_nanosleep(s->period, HRTIMER_MODE_REL);
	return TASK_BODY_RUN;
}

static void test_sleep_wakeup_latency(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct sleeper s = { .period = 10 * MS, .work = 100000, .rounds = 50 };
	struct task_struct *sl, *h;

	(void)state;
	/* Alone: the wakeup costs one context switch from idle. */
	sl = start_task("sleeper", sleeper_body, &s);
	sched_run_until(SEC);
	assert_int_equal(s.wakeups, 50);
	assert_int_equal(s.max_latency, 1500);
	assert_int_equal(sl->nvcsw, 51); /* 50 sleeps and the exit */
	assert_int_equal(sl->__state, TASK_DEAD);
	machine_destroy(m);

	/* Beside a CPU hog: the sleeper credit (half a latency) makes the
	 * wakeup preempt the hog at once. */
	m = boot_machine("ram=128M", "cost.context_switch=0");
	s = (struct sleeper){ .period = 10 * MS, .work = 100000, .rounds = 50 };
	h = start_task("hog", hog, NULL);
	sl = start_task("sleeper", sleeper_body, &s);
	sched_run_until(2 * SEC);
	assert_int_equal(s.wakeups, 50);
	assert_int_equal(s.max_latency, 0);
	assert_int_equal(sl->nvcsw, 51);
	/* every wakeup preempted the hog */
	assert_true(h->nivcsw >= 50);
	assert_int_equal(sl->sched_info.pcount, 51);
	machine_destroy(m);
}

/* schedule_timeout() wakes at a tick boundary. */
static int timeout_body(struct task_struct *p, void *arg)
{
	uint64_t *woke = arg;

	(void)p;
	if (woke[0]) {
		woke[1] = ktime_get_ns();
		return TASK_BODY_EXIT;
	}
	woke[0] = 1;
	schedule_timeout_interruptible(3);
	return TASK_BODY_RUN;
}

static void test_schedule_timeout_on_the_tick_grid(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cost.context_switch=0");
	uint64_t woke[2] = { 0, 0 };
	struct task_struct *t;

	(void)state;
	sched_run_until(5 * MS + 123);
	t = start_task("to", timeout_body, woke);
	sched_run_for(MS);
	assert_int_equal(t->__state, TASK_INTERRUPTIBLE);
	sched_run_until(SEC);
	assert_int_equal(woke[1], (1 + 3) * TICK_NSEC);
	machine_destroy(m);
}

/* Ping-pong through wait queues: each task waits for its token. */
struct pingpong {
	struct wait_queue_head wq[2];
	struct wait_queue_entry wait[2];
	struct task_struct *task[2];
	int token; /* whose turn */
	int rounds;
};

static int pp_body(struct task_struct *p, void *arg)
{
	struct pingpong *pp = arg;
	int me = p == pp->task[1];

	prepare_to_wait(&pp->wq[me], &pp->wait[me], TASK_INTERRUPTIBLE);
	if (pp->token != me) {
		schedule();
		return TASK_BODY_RUN;
	}
	finish_wait(&pp->wq[me], &pp->wait[me]);
	if (pp->rounds-- <= 0)
		return TASK_BODY_EXIT;
	compute(10000);
	pp->token = !me;
	wake_up(&pp->wq[!me]);
	return TASK_BODY_RUN;
}

static void test_context_switch_counts(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct pingpong pp = { .rounds = 100 };
	uint64_t before;

	(void)state;
	/* Both are SCHED_BATCH, so that a wakeup never preempts: every
	 * switch is a sleep. */
	for (int i = 0; i < 2; i++) {
		init_waitqueue_head(&pp.wq[i]);
		pp.task[i] = start_task(i ? "pong" : "ping", pp_body, &pp);
		set_policy(pp.task[i], SCHED_BATCH, 0);
		set_current_task(NULL);
		init_wait(&pp.wait[i]);
		pp.wait[i].private = pp.task[i];
	}
	before = nr_context_switches();
	sched_run_until(SEC);
	assert_int_equal(pp.rounds, -1);
	/* ping: 50 rounds, each ending in a sleep; pong likewise */
	assert_int_equal(pp.task[0]->nvcsw, 51);
	assert_int_equal(pp.task[1]->nvcsw, 50);
	assert_int_equal(pp.task[0]->nivcsw + pp.task[1]->nivcsw, 0);
	assert_int_equal(nr_context_switches() - before, 102);
	machine_destroy(m);
}

/* sched_yield: an involuntary switch, as Linux counts it. The yield is
 * refused while the other task is more than wakeup_granularity behind
 * (b starts half a slice ahead of a, START_DEBIT), then they alternate. */
static int yielder(struct task_struct *p, void *arg)
{
	(void)p;
	(void)arg;
	compute(10000);
	sys_sched_yield();
	return TASK_BODY_RUN;
}

static void test_sched_yield_alternates(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *a = start_task("a", yielder, NULL);
	struct task_struct *b = start_task("b", yielder, NULL);

	(void)state;
	sched_run_until(SEC);
	/* each turn is 10 us and a context switch */
	assert_true(a->nivcsw > 40000 && b->nivcsw > 40000);
	assert_int_equal(a->nvcsw + b->nvcsw, 0);
	assert_true(share_error(runtime(a), runtime(b), 1, 1) < 0.01);
	machine_destroy(m);
}

/* Kernel code acting as a task (set_current_task) that goes to sleep:
 * the task leaves its CPU at once if it only waits in the queue, at the
 * next run if it was running; a wakeup brings it back. */
static void test_borrowed_current_sleeps(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *a = start_task("a", hog, NULL);
	struct task_struct *b = start_task("b", hog, NULL);
	struct task_struct *running, *waiting;

	(void)state;
	sched_run_for(MS);
	running = cpu_curr(0);
	waiting = running == a ? b : a;
	set_current_task(waiting);
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule();
	assert_int_equal(waiting->on_rq, 0);
	set_current_task(running);
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule();
	sched_run_for(MS);
	assert_int_equal(running->on_rq, 0);
	assert_int_equal(idle_cpus(), 1);
	assert_int_equal(wake_up_process(waiting), 1);
	sched_run_for(MS);
	assert_ptr_equal(cpu_curr(0), waiting);
	machine_destroy(m);
}

static void test_exclusive_wakeups(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct wait_queue_head wq;
	struct wait_queue_entry w[3];
	struct task_struct *t[3];

	(void)state;
	init_waitqueue_head(&wq);
	for (int i = 0; i < 3; i++) {
		t[i] = start_task("w", hog, NULL);
	}
	sched_run_for(MS);
	for (int i = 0; i < 3; i++) {
		/* put them to sleep as their bodies would */
		init_waitqueue_entry(&w[i], t[i]);
		if (i)
			add_wait_queue_exclusive(&wq, &w[i]);
		else
			add_wait_queue(&wq, &w[i]);
		t[i]->__state = TASK_INTERRUPTIBLE;
	}
	sched_run_for(10 * MS);
	for (int i = 0; i < 3; i++)
		assert_int_equal(t[i]->on_rq, 0);
	wake_up(&wq); /* the non-exclusive one and one exclusive */
	assert_int_equal(t[0]->__state, TASK_RUNNING);
	assert_int_equal(t[1]->__state, TASK_RUNNING);
	assert_int_equal(t[2]->__state, TASK_INTERRUPTIBLE);
	wake_up_all(&wq);
	assert_int_equal(t[2]->__state, TASK_RUNNING);
	assert_int_equal(wake_up_process(t[2]), 0); /* already running */
	machine_destroy(m);
}

/* ---- real time ----------------------------------------------------------- */

struct rt_burst {
	uint64_t start, left;
	uint64_t first_run;
	bool slept;
};

/* Sleeps until start, then runs left ns and exits. */
static int rt_burst_body(struct task_struct *p, void *arg)
{
	struct rt_burst *r = arg;

	if (!r->slept) {
		r->slept = true;
		hrtimer_nanosleep(r->start, HRTIMER_MODE_ABS);
		return TASK_BODY_RUN;
	}
	if (!r->first_run)
		r->first_run = ktime_get_ns();
	return worker(p, &r->left);
}

static void test_fifo_preempts_cfs(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct rt_burst r = { .start = 100 * MS, .left = 50 * MS };
	struct task_struct *h, *f;
	uint64_t hog_at_100;

	(void)state;
	h = start_task("hog", hog, NULL);
	f = start_task("fifo", rt_burst_body, &r);
	set_policy(f, SCHED_FIFO, 10);
	sched_run_until(100 * MS);
	hog_at_100 = runtime(h);
	sched_run_until(100 * MS + 20 * MS);
	/* the hog was preempted at once and has not run since */
	assert_int_equal(r.first_run, 100 * MS + 1500);
	assert_ptr_equal(cpu_curr(0), f);
	assert_int_equal(runtime(h), hog_at_100);
	sched_run_until(160 * MS);
	assert_int_equal(f->__state, TASK_DEAD);
	assert_true(runtime(h) > hog_at_100 + 8 * MS);
	assert_int_equal(h->nivcsw, 1); /* the FIFO task's wakeup */
	machine_destroy(m);
}

/* Records which RR task runs at each step, to find its turns. */
struct rr_trace {
	struct task_struct *last;
	uint64_t switches[64];
	int n;
};

static int rr_body(struct task_struct *p, void *arg)
{
	struct rr_trace *tr = arg;

	if (tr->last != p && tr->n < 64) {
		tr->switches[tr->n++] = ktime_get_ns();
		tr->last = p;
	}
	compute(MS);
	return TASK_BODY_RUN;
}

static void test_rr_rotates_every_100ms(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cost.context_switch=0");
	struct rr_trace tr = { 0 };
	struct task_struct *t[3];
	struct timespec ts;

	(void)state;
	for (int i = 0; i < 3; i++) {
		t[i] = start_task("rr", rr_body, &tr);
		set_policy(t[i], SCHED_RR, 20);
	}
	sched_run_until(940 * MS); /* RT throttling stops them at 952 ms */
	/* turns of 25 ticks: 0, 100 ms, 200 ms, ... */
	assert_int_equal(tr.n, 10);
	for (int i = 0; i < tr.n; i++)
		assert_int_equal(tr.switches[i], (uint64_t)i * 100 * MS);
	for (int i = 0; i < 3; i++)
		assert_true(t[i]->nivcsw >= 3);
	assert_int_equal(sys_sched_rr_get_interval(t[0]->pid, &ts), 0);
	assert_int_equal(ts.tv_sec, 0);
	assert_int_equal(ts.tv_nsec, 100 * MS);
	machine_destroy(m);
}

static void test_fifo_runs_until_a_higher_priority_comes(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *a = start_task("a", hog, NULL);
	struct task_struct *b = start_task("b", hog, NULL);

	(void)state;
	set_policy(a, SCHED_FIFO, 5);
	set_policy(b, SCHED_FIFO, 5);
	sched_run_until(500 * MS);
	assert_int_equal(runtime(b), 0);
	assert_true(runtime(a) > 470 * MS);
	/* a higher priority takes the CPU; then b's turn comes when a's
	 * priority drops below it */
	set_policy(b, SCHED_FIFO, 6);
	sched_run_until(600 * MS);
	assert_ptr_equal(cpu_curr(0), b);
	machine_destroy(m);
}

/* On 2 CPUs the two most urgent RT tasks run; when one of them sleeps,
 * the waiting one is pulled to its CPU, and comes back behind when it
 * wakes (pushed nowhere: both CPUs run more urgent tasks). */
static void test_rt_tasks_spread_over_cpus(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=2");
	struct rt_burst r = { .start = 100 * MS, .left = 200 * MS };
	struct task_struct *lo = start_task("lo", hog, NULL);
	struct task_struct *mid = start_task("mid", hog, NULL);
	struct task_struct *hi = start_task("hi", rt_burst_body, &r);
	struct task_struct *cfs = start_task("cfs", hog, NULL);

	(void)state;
	set_policy(lo, SCHED_FIFO, 10);
	set_policy(mid, SCHED_FIFO, 20);
	set_policy(hi, SCHED_FIFO, 30);
	sched_run_until(50 * MS);
	/* hi sleeps until 100 ms: mid and lo have the CPUs */
	assert_true(cpu_curr(0) == mid || cpu_curr(1) == mid);
	assert_true(cpu_curr(0) == lo || cpu_curr(1) == lo);
	sched_run_until(150 * MS);
	assert_true(cpu_curr(0) == hi || cpu_curr(1) == hi);
	assert_true(cpu_curr(0) == mid || cpu_curr(1) == mid);
	assert_int_equal(lo->on_rq, TASK_ON_RQ_QUEUED);
	sched_run_until(400 * MS);
	assert_int_equal(hi->__state, TASK_DEAD);
	assert_true(cpu_curr(0) == lo || cpu_curr(1) == lo);
	/* CFS got no CPU while RT tasks had both */
	assert_true(runtime(cfs) < 2 * MS);
	machine_destroy(m);
}

static void test_rt_throttling_leaves_cfs_5_percent(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *rt = start_task("rt", hog, NULL);
	struct task_struct *cfs = start_task("cfs", hog, NULL);
	double share;

	(void)state;
	set_policy(rt, SCHED_FIFO, 50);
	sched_run_until(10 * SEC);
	share = (double)runtime(cfs) / (double)(10 * SEC);
	print_message("CFS share under an RT hog: %.3f%%\n", share * 100);
	assert_true(share > 0.048 && share < 0.052);
	assert_true(log_has("sched: RT throttling activated\n"));
	machine_destroy(m);
}

/* ---- several CPUs -------------------------------------------------------- */

static void test_load_balancing_spreads_tasks(void **state)
{
	struct machine *m = boot_machine("ram=256M", "cpus=4");
	unsigned long cpu0[BITS_TO_LONGS(NR_CPUS)] = { 1 };
	unsigned long all[BITS_TO_LONGS(NR_CPUS)] = { 0xf };
	struct task_struct *t[4];
	bool used[4] = { false };

	(void)state;
	for (int i = 0; i < 4; i++) {
		t[i] = start_task("busy", hog, NULL);
		assert_int_equal(set_cpus_allowed_ptr(t[i], cpu0), 0);
	}
	sched_run_until(100 * MS);
	for (int i = 0; i < 4; i++)
		assert_int_equal(task_cpu(t[i]), 0);
	assert_int_equal(idle_cpus(), 3);
	for (int i = 0; i < 4; i++)
		assert_int_equal(
			sys_sched_setaffinity(t[i]->pid, sizeof(all), all), 0);
	sched_run_until(300 * MS);
	for (int i = 0; i < 4; i++)
		used[task_cpu(t[i])] = true;
	for (int i = 0; i < 4; i++)
		assert_true(used[i]);
	/* and they stay spread: each gets its CPU from now on */
	{
		uint64_t before[4];

		for (int i = 0; i < 4; i++)
			before[i] = runtime(t[i]);
		sched_run_until(SEC + 300 * MS);
		for (int i = 0; i < 4; i++)
			assert_true(runtime(t[i]) - before[i] > SEC - 10 * MS);
	}
	machine_destroy(m);
}

static void test_fork_places_tasks_on_idle_cpus(void **state)
{
	struct machine *m = boot_machine("ram=256M", "cpus=4");
	bool used[4] = { false };
	struct task_struct *t[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		t[i] = start_task("busy", hog, NULL);
	for (int i = 0; i < 4; i++)
		used[task_cpu(t[i])] = true;
	for (int i = 0; i < 4; i++)
		assert_true(used[i]);
	sched_run_until(SEC);
	for (int i = 0; i < 4; i++) {
		assert_true(runtime(t[i]) > SEC - 5 * MS);
		assert_int_equal(t[i]->se.nr_migrations, 0);
	}
	machine_destroy(m);
}

static void test_setaffinity_moves_a_running_task(void **state)
{
	struct machine *m = boot_machine("ram=256M", "cpus=2");
	unsigned long cpu1[BITS_TO_LONGS(NR_CPUS)] = { 2 };
	unsigned long got[BITS_TO_LONGS(NR_CPUS)] = { 0 };
	struct task_struct *t = start_task("busy", hog, NULL);

	(void)state;
	sched_run_until(10 * MS);
	assert_int_equal(task_cpu(t), 0);
	assert_ptr_equal(cpu_curr(0), t);
	assert_int_equal(sys_sched_setaffinity(t->pid, 8, cpu1), 0);
	sched_run_for(MS);
	assert_int_equal(task_cpu(t), 1);
	assert_ptr_equal(cpu_curr(1), t);
	assert_int_equal(idle_cpus(), 1);
	assert_int_equal(sys_sched_getaffinity(t->pid, 8, got), 8);
	assert_int_equal(got[0], 2);
	assert_int_equal(sys_sched_getaffinity(t->pid, 4, got), -EINVAL);
	assert_int_equal(sys_sched_getaffinity(99999, 8, got), -ESRCH);
	got[0] = 4; /* CPU 2 does not exist */
	assert_int_equal(sys_sched_setaffinity(t->pid, 8, got), -EINVAL);
	machine_destroy(m);
}

static void test_setscheduler_checks(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *t = start_task("t", hog, NULL);
	struct sched_param sp = { 0 };

	(void)state;
	sched_run_for(MS);
	/* bad arguments */
	assert_int_equal(sys_sched_setscheduler(t->pid, 4, &sp), -EINVAL);
	assert_int_equal(sys_sched_setscheduler(t->pid, SCHED_FIFO, &sp),
			 -EINVAL);
	sp.sched_priority = 5;
	assert_int_equal(sys_sched_setscheduler(t->pid, SCHED_NORMAL, &sp),
			 -EINVAL);
	sp.sched_priority = 100;
	assert_int_equal(sys_sched_setscheduler(t->pid, SCHED_RR, &sp),
			 -EINVAL);
	assert_int_equal(sys_sched_setscheduler(-1, SCHED_RR, &sp), -EINVAL);
	assert_int_equal(sys_sched_setscheduler(4242, SCHED_RR, &sp), -ESRCH);
	/* an unprivileged task needs RLIMIT_RTPRIO */
	sp.sched_priority = 10;
	assert_int_equal(sys_sched_setscheduler(t->pid, SCHED_FIFO, &sp),
			 -EPERM);
	t->signal->rlim[RLIMIT_RTPRIO].rlim_cur = 50;
	assert_int_equal(sys_sched_setscheduler(t->pid, SCHED_FIFO, &sp), 0);
	assert_int_equal(sys_sched_getscheduler(t->pid), SCHED_FIFO);
	assert_int_equal(task_prio(t), -11);
	sp.sched_priority = 51;
	assert_int_equal(sys_sched_setparam(t->pid, &sp), -EPERM);
	sp.sched_priority = 0;
	assert_int_equal(sys_sched_getparam(t->pid, &sp), 0);
	assert_int_equal(sp.sched_priority, 10);
	sp.sched_priority = 0;
	assert_int_equal(
		sys_sched_setscheduler(t->pid,
				       SCHED_NORMAL | SCHED_RESET_ON_FORK, &sp),
		0);
	assert_int_equal(sys_sched_getscheduler(t->pid),
			 SCHED_NORMAL | SCHED_RESET_ON_FORK);
	assert_int_equal(task_prio(t), 20);
	/* nice: lowering priority is free, raising it needs RLIMIT_NICE */
	assert_int_equal(sys_setpriority(0, t->pid, 5), 0);
	assert_int_equal(task_nice(t), 5);
	assert_int_equal(sys_getpriority(0, t->pid), 15);
	assert_int_equal(sys_setpriority(0, t->pid, 0), -EACCES);
	assert_int_equal(sys_setpriority(1, t->pid, 0), -EINVAL);
	assert_int_equal(sys_setpriority(0, t->pid, 100), 0);
	assert_int_equal(task_nice(t), 19);
	assert_int_equal(t->se.load.weight, 15);
	t->signal->rlim[RLIMIT_NICE].rlim_cur = 20; /* down to nice 0 */
	assert_int_equal(sys_setpriority(0, t->pid, 0), 0);
	assert_int_equal(sys_setpriority(0, t->pid, -1), -EACCES);
	assert_int_equal(sys_sched_get_priority_max(SCHED_FIFO), 99);
	assert_int_equal(sys_sched_get_priority_min(SCHED_RR), 1);
	assert_int_equal(sys_sched_get_priority_max(SCHED_NORMAL), 0);
	assert_int_equal(sys_sched_get_priority_min(9), -EINVAL);
	machine_destroy(m);
}

/* SCHED_RESET_ON_FORK: the child of an RT task starts as SCHED_NORMAL. */
static void test_reset_on_fork(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *parent = start_task("parent", hog, NULL), *child;
	struct exec_image img;
	int err;

	(void)state;
	set_policy(parent, SCHED_FIFO | SCHED_RESET_ON_FORK, 30);
	set_user_nice(parent, -5);
	sched_run_for(MS);
	set_current_task(parent);
	exec_image_default(&img, "child", 8192, 4096, 4096);
	child = create_user_process(&img, &err);
	assert_non_null(child);
	sched_fork(child);
	assert_int_equal(child->policy, SCHED_NORMAL);
	assert_int_equal(task_nice(child), 0);
	assert_false(child->sched_reset_on_fork);
	set_policy(parent, SCHED_FIFO, 30);
	sched_fork(child); /* again, as a plain FIFO parent's child */
	assert_int_equal(child->policy, SCHED_FIFO);
	assert_int_equal(child->rt_priority, 30);
	assert_int_equal(task_nice(child), -5);
	machine_destroy(m);
}

/* ---- checks -------------------------------------------------------------- */

static void test_might_sleep_in_atomic_context(void **state)
{
	struct machine *m = boot_machine("ram=128M");

	(void)state;
	might_sleep();
	assert_false(log_has("BUG: sleeping function"));
	preempt_disable();
	might_sleep();
	preempt_enable();
	assert_true(log_has(
		"BUG: sleeping function called from invalid context at "));
	assert_true(log_has("preempt_count: 1, expected: 0\n"));
	machine_destroy(m);
}

static int atomic_sleeper(struct task_struct *p, void *arg)
{
	int *step = arg;

	(void)p;
	if ((*step)++)
		return TASK_BODY_EXIT;
	preempt_disable(); /* and never enabled: a bug */
	hrtimer_nanosleep(MS, HRTIMER_MODE_REL);
	return TASK_BODY_RUN;
}

static void test_scheduling_while_atomic(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	int step = 0;
	struct task_struct *t = start_task("atomic", atomic_sleeper, &step);
	char line[64];

	(void)state;
	sched_run_until(10 * MS);
	snprintf(line, sizeof(line),
		 "BUG: scheduling while atomic: atomic/%d/0x00000001\n",
		 t->pid);
	assert_true(log_has("BUG: sleeping function called from invalid "
			    "context"));
	assert_true(log_has(line));
	/* the count was reset and the task went on */
	assert_int_equal(preempt_count(), 0);
	assert_int_equal(step, 2);
	assert_int_equal(t->__state, TASK_DEAD);
	machine_destroy(m);
}

static int do_nothing(struct task_struct *p, void *arg)
{
	(void)p;
	(void)arg;
	return TASK_BODY_RUN;
}

static void test_body_without_progress_is_stopped(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *t = start_task("spin", do_nothing, NULL);
	struct task_struct *idle = start_task("idle", NULL, NULL);

	(void)state;
	sched_run_until(MS);
	assert_int_equal(t->__state, TASK_DEAD);
	assert_true(log_has("task body made no progress"));
	/* a task with no body waits, as in pause() */
	assert_int_equal(idle->__state, TASK_INTERRUPTIBLE);
	machine_destroy(m);
}

/* Two tasks that wake each other at no cost would loop at one instant
 * for ever: the engine warns and makes the step take 1 us. */
static int zero_cost_pong(struct task_struct *p, void *arg)
{
	struct task_struct **other = arg;

	wake_up_process(other[p == other[0]]);
	set_current_state(TASK_INTERRUPTIBLE);
	schedule();
	return TASK_BODY_RUN;
}

static void test_time_is_forced_to_move(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cost.context_switch=0");
	struct task_struct *t[2];

	(void)state;
	t[0] = start_task("ping", zero_cost_pong, t);
	t[1] = start_task("pong", zero_cost_pong, t);
	sched_run_until(NSEC_PER_USEC);
	assert_true(log_has("no virtual time passed in 100000 task body "
			    "steps"));
	assert_int_equal(ktime_get_ns(), NSEC_PER_USEC);
	machine_destroy(m);
}

/* ---- address spaces and I/O wait ----------------------------------------- */

struct lazy_check {
	struct mm_struct *user_mm;
	int runs, borrowed, lazy;
};

static int kthread_body(struct task_struct *p, void *arg)
{
	struct lazy_check *c = arg;

	c->runs++;
	c->borrowed += p->active_mm == c->user_mm && c->user_mm->mm_count == 2;
	c->lazy += this_cpu_is_lazy();
	if (c->runs == 20)
		return TASK_BODY_EXIT;
	compute(MS);
	hrtimer_nanosleep(3 * MS, HRTIMER_MODE_REL);
	return TASK_BODY_RUN;
}

static void test_kernel_thread_borrows_the_mm(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *u = start_task("user", hog, NULL), *k;
	struct lazy_check c = { .user_mm = u->mm };

	(void)state;
	sched_run_for(MS);
	k = kthread_run(kthread_body, &c, "kworker/%d:%d", 0, 1);
	assert_non_null(k);
	assert_string_equal(k->comm, "kworker/0:1");
	assert_null(k->mm);
	get_task_struct(k);
	sched_run_until(SEC);
	assert_int_equal(c.runs, 20);
	assert_int_equal(c.borrowed, 20);
	assert_int_equal(c.lazy, 20);
	assert_int_equal(k->__state, TASK_DEAD);
	assert_null(k->active_mm);
	assert_int_equal(u->mm->mm_count, 1);
	assert_ptr_equal(cpu_curr(0), u);
	assert_false(this_cpu_is_lazy());
	machine_destroy(m);
}

static enum hrtimer_restart io_done(struct hrtimer *t)
{
	struct task_struct **p = (struct task_struct **)(t + 1);

	wake_up_process(*p);
	return HRTIMER_NORESTART;
}

static int io_body(struct task_struct *p, void *arg)
{
	int *step = arg;

	(void)p;
	if ((*step)++)
		return TASK_BODY_EXIT;
	set_current_state(TASK_UNINTERRUPTIBLE);
	io_schedule();
	return TASK_BODY_RUN;
}

static void test_io_wait_is_accounted(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct {
		struct hrtimer timer;
		struct task_struct *task;
	} io;
	int step = 0;

	(void)state;
	io.task = start_task("io", io_body, &step);
	hrtimer_setup(&io.timer, io_done);
	hrtimer_start(&io.timer, 10 * MS, HRTIMER_MODE_ABS);
	sched_run_until(5 * MS);
	assert_int_equal(io.task->__state, TASK_UNINTERRUPTIBLE);
	assert_int_equal(nr_iowait(), 1);
	sched_run_until(20 * MS);
	assert_int_equal(step, 2);
	assert_int_equal(nr_iowait(), 0);
	/* idle from 1.5 us to 10 ms waiting for the I/O, then plain idle */
	assert_int_equal(kcpustat_cpu(0, CPUTIME_IOWAIT), 10 * MS - 1500);
	assert_int_equal(kcpustat_cpu(0, CPUTIME_IDLE), 10 * MS - 1500);
	machine_destroy(m);
}

/* Step 1 asks for I/O and the I/O ends before the task leaves its CPU;
 * step 2 sleeps plainly for 10 ms: that sleep is not I/O wait. */
static int quick_io_body(struct task_struct *p, void *arg)
{
	int *step = arg;

	switch ((*step)++) {
	case 0:
		set_current_state(TASK_UNINTERRUPTIBLE);
		io_schedule();
		wake_up_process(p);
		return TASK_BODY_RUN;
	case 1:
		schedule_timeout_interruptible(msecs_to_jiffies(10));
		return TASK_BODY_RUN;
	default:
		return TASK_BODY_EXIT;
	}
}

static void test_io_wait_ends_with_an_early_wakeup(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *t;
	int step = 0;

	(void)state;
	t = start_task("quick", quick_io_body, &step);
	sched_run_until(5 * MS);
	assert_int_equal(step, 2);
	assert_int_equal(t->__state, TASK_INTERRUPTIBLE);
	assert_false(t->in_iowait);
	assert_int_equal(nr_iowait(), 0);
	sched_run_until(20 * MS);
	assert_int_equal(step, 3);
	assert_int_equal(kcpustat_cpu(0, CPUTIME_IOWAIT), 0);
	machine_destroy(m);
}

/* Two CPU hogs and a task asleep in D for 5 minutes: the 1-minute load
 * reaches 3, the 5 and 15-minute ones follow their decay. */
static void test_load_average(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	int step = 0;
	unsigned long load[3];

	(void)state;
	start_task("hog", hog, NULL);
	start_task("hog", hog, NULL);
	start_task("io", io_body, &step); /* never woken */
	sched_run_until(300 * SEC);
	assert_int_equal(nr_uninterruptible(), 1);
	get_avenrun(load, FIXED_1 / 200, 0);
	print_message("load average: %lu.%02lu %lu.%02lu %lu.%02lu\n",
		      LOAD_INT(load[0]), LOAD_FRAC(load[0]), LOAD_INT(load[1]),
		      LOAD_FRAC(load[1]), LOAD_INT(load[2]),
		      LOAD_FRAC(load[2]));
	/* 3 (1 - e^-(t / period)) after 59 samples of LOAD_FREQ (5.004 s),
	 * in Linux's fixed point: 2.98, 1.89, 0.83 */
	get_avenrun(load, 0, 0);
	assert_int_equal(load[0], 6106);
	assert_int_equal(load[1], 3873);
	assert_int_equal(load[2], 1698);
	machine_destroy(m);
}

/* ---- determinism --------------------------------------------------------- */

static char trace_buf[1 << 20];
static size_t trace_len;

static void trace_step(const char *what)
{
	if (trace_len + 64 < sizeof(trace_buf))
		trace_len += (size_t)snprintf(
			trace_buf + trace_len, 64, "%llu %d %d %s\n",
			(unsigned long long)ktime_get_ns(), smp_processor_id(),
			current->pid, what);
}

static int traced_hog(struct task_struct *p, void *arg)
{
	trace_step("hog");
	return hog(p, arg);
}

static int traced_sleeper(struct task_struct *p, void *arg)
{
	trace_step("sleeper");
	return sleeper_body(p, arg);
}

static int traced_rr(struct task_struct *p, void *arg)
{
	(void)arg;
	trace_step("rr");
	compute(3 * MS);
	if (p->se.sum_exec_runtime > 300 * MS)
		return TASK_BODY_EXIT;
	return TASK_BODY_RUN;
}

/* Every running nanosecond is user or system time of the task, and
 * every CPU's nanoseconds are in its /proc/stat columns. */
static void check_accounting(struct task_struct **t, int n)
{
	uint64_t ut, st, cpu_total = 0;

	for (int i = 0; i < n; i++) {
		task_cputime(t[i], &ut, &st);
		assert_int_equal(ut + st, runtime(t[i]));
	}
	for (int cpu = 0; cpu < M->nr_cpus; cpu++)
		for (int s = 0; s < NR_STATS; s++)
			cpu_total += kcpustat_cpu(cpu, s);
	assert_int_equal(cpu_total, (uint64_t)M->nr_cpus * ktime_get_ns());
}

/* A mixed scenario on 3 CPUs; returns its trace (steps and counters). */
static char *run_scenario(void)
{
	struct machine *m = boot_machine("ram=256M", "cpus=3");
	struct sleeper s[2] = {
		{ .period = 7 * MS, .work = 300000, .rounds = 100 },
		{ .period = 13 * MS, .work = 2 * MS, .rounds = 40 },
	};
	struct task_struct *t[7];
	char *out;

	trace_len = 0;
	for (int i = 0; i < 4; i++) {
		t[i] = start_task("hog", traced_hog, NULL);
		set_user_nice(t[i], i * 3 - 2);
	}
	t[4] = start_task("sleeper", traced_sleeper, &s[0]);
	t[5] = start_task("sleeper", traced_sleeper, &s[1]);
	t[6] = start_task("rr", traced_rr, NULL);
	set_policy(t[6], SCHED_RR, 1);
	sched_run_until(SEC);
	check_accounting(t, 7);
	for (int i = 0; i < 7; i++)
		trace_len += (size_t)snprintf(trace_buf + trace_len, 128,
					      "%d cpu%d %llu %lu %lu\n",
					      t[i]->pid, task_cpu(t[i]),
					      (unsigned long long)runtime(t[i]),
					      t[i]->nvcsw, t[i]->nivcsw);
	out = strdup(trace_buf);
	machine_destroy(m);
	return out;
}

static void test_two_runs_give_the_same_trace(void **state)
{
	char *a, *b;

	(void)state;
	a = run_scenario();
	b = run_scenario();
	assert_true(strlen(a) > 10000);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_timers_fire_in_order_on_the_virtual_clock),
		cmocka_unit_test(test_jiffies_and_ticks),
		cmocka_unit_test(test_cost_model_options),
		cmocka_unit_test(test_costs_become_system_time),
		cmocka_unit_test(test_cfs_tunables_scale_with_cpus),
		cmocka_unit_test(test_cfs_shares_follow_weights),
		cmocka_unit_test(test_proc_pid_sched),
		cmocka_unit_test(test_cfs_three_tasks_and_batch),
		cmocka_unit_test(test_sleep_wakeup_latency),
		cmocka_unit_test(test_schedule_timeout_on_the_tick_grid),
		cmocka_unit_test(test_context_switch_counts),
		cmocka_unit_test(test_sched_yield_alternates),
		cmocka_unit_test(test_borrowed_current_sleeps),
		cmocka_unit_test(test_exclusive_wakeups),
		cmocka_unit_test(test_fifo_preempts_cfs),
		cmocka_unit_test(test_rr_rotates_every_100ms),
		cmocka_unit_test(test_fifo_runs_until_a_higher_priority_comes),
		cmocka_unit_test(test_rt_tasks_spread_over_cpus),
		cmocka_unit_test(test_rt_throttling_leaves_cfs_5_percent),
		cmocka_unit_test(test_load_balancing_spreads_tasks),
		cmocka_unit_test(test_fork_places_tasks_on_idle_cpus),
		cmocka_unit_test(test_setaffinity_moves_a_running_task),
		cmocka_unit_test(test_setscheduler_checks),
		cmocka_unit_test(test_reset_on_fork),
		cmocka_unit_test(test_might_sleep_in_atomic_context),
		cmocka_unit_test(test_scheduling_while_atomic),
		cmocka_unit_test(test_body_without_progress_is_stopped),
		cmocka_unit_test(test_time_is_forced_to_move),
		cmocka_unit_test(test_kernel_thread_borrows_the_mm),
		cmocka_unit_test(test_io_wait_is_accounted),
		cmocka_unit_test(test_io_wait_ends_with_an_early_wakeup),
		cmocka_unit_test(test_load_average),
		cmocka_unit_test(test_two_runs_give_the_same_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
