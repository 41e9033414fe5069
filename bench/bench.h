/* Benchmark framework shared by every `mmsim bench NAME`: a monotonic
 * clock, best-of-N-rounds timing of an mmsim body against a host
 * reference measured in the same run, the host references and the
 * random-slot load the allocator benchmarks share, and the report (a
 * description, a text table or JSON, a sanity line). Benchmarks report
 * ratios, never pass/fail on time. */
#ifndef MMSIM_BENCH_BENCH_H
#define MMSIM_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/prng.h"
#include "base/seq_file.h"
#include "kernel/machine.h"
#include "kernel/sched/run.h"
#include "workload/access.h"

/* Timed rounds per measurement; the figure reported is the fastest. */
#define BENCH_ROUNDS 5

/* One line of a report. ratio = ns_per_op / reference_ns_per_op. */
struct bench_result {
	const char *name;
	double ns_per_op;
	const char *reference;
	double reference_ns_per_op;
};

/* A timed body: performs n iterations of its operation on arg. */
typedef void (*bench_fn)(void *arg, unsigned long n);

struct bench_body {
	bench_fn fn;
	void *arg;
	unsigned long iters; /* iterations per round */
	unsigned long ops; /* operations those iterations count as */
};

/* Keeps the compiler from eliding work on p (e.g. a malloc/free pair).
 * Not const void *: GCC takes that for a read of *p and, for a block
 * fresh from malloc, warns that it may be uninitialized. */
static inline void bench_keep(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

/* Monotonic host time in nanoseconds. */
uint64_t bench_now_ns(void);

/* Runs body once and returns its nanoseconds per operation. */
double bench_time_once(const struct bench_body *body);

/* Runs one untimed warm-up of each body, then rounds timed rounds that
 * alternate subject and reference (so host noise hits both alike), and
 * stores the fastest ns/op of each in r. */
void bench_compare(const struct bench_body *subject,
		   const struct bench_body *reference, int rounds,
		   struct bench_result *r);

/* ns_per_op / reference_ns_per_op; NAN when the reference is not > 0. */
double bench_ratio(const struct bench_result *r);

/* The text table: benchmark, mmsim ns/op, reference, ref ns/op, ratio. */
void bench_print_table(struct seq_file *m, const struct bench_result *r,
		       size_t nr);

/* {"bench": NAME, "results": [{"name", "ns_per_op", "reference",
 * "reference_ns_per_op", "ratio"}, ...]}: the shape of every
 * `mmsim bench NAME --json`. A ratio that is not finite prints as null. */
void bench_print_json(struct seq_file *m, const char *bench,
		      const struct bench_result *r, size_t nr);

/* What `mmsim bench NAME` hands a benchmark. */
struct bench_opts {
	struct machine_config cfg; /* defaults, then the user's options */
	bool json;
	FILE *out;
};

/* Boots the machine of opts; on failure says so on stderr as
 * "mmsim bench NAME: ..." and returns NULL. */
struct machine *bench_boot(const struct bench_opts *opts, const char *bench);

/* "machine: N MiB RAM, N node(s), N CPU(s), ARCH[, extra]" and how the
 * figures were taken (bench_describe_rounds). */
void bench_describe_machine(struct seq_file *m, const char *extra);
/* Keeps the smallest positive figure of the rounds in *best (0: none
 * yet; a round that failed reports 0). */
static inline void bench_keep_best(double *best, double v)
{
	if (v > 0 && (*best == 0 || v < *best))
		*best = v;
}

/* "figures: best of BENCH_ROUNDS rounds, mmsim and host rounds
 * alternating": how bench_compare measures. */
void bench_describe_rounds(struct seq_file *m);

/* Free pages of the machine once the per-CPU lists are drained back to
 * the buddy lists (counting any page they still hold). */
unsigned long bench_free_pages(void);

/* A benchmark's report, printed once its measurements are done. */
struct bench_report {
	const char *bench; /* NAME, as in `mmsim bench NAME` */
	const struct bench_result *r;
	size_t nr;
	/* Writes the sanity line(s); returns whether the run passed. */
	bool (*sanity)(struct seq_file *m, void *state);
	/* Writes the text above the table (not called with --json). */
	void (*describe)(struct seq_file *m, void *state);
	void *state;
};

/* Checks sanity, then prints to opts->out the JSON results or the
 * description, the table and the sanity lines; with --json a failed
 * sanity check is told on stderr. Returns the exit status: 0 if the
 * sanity check passed, else 1. */
int bench_report(const struct bench_opts *opts, const struct bench_report *rep);

/* ---- host references ---------------------------------------------------- */

/* The host reference of an alloc+free pair: n times malloc(*(size_t *)arg)
 * and free, each one operation. */
void bench_host_malloc_free(void *arg, unsigned long n);

/* ---- the random-slot load ------------------------------------------------ */

/* A table of live blocks in which each step frees a random block and
 * allocates one of a random size in its place. An mmsim table and a host
 * table seeded alike draw the same sizes in the same order. The ops are
 * passed to each call, so that the timed loop (bench_slots_churn, inlined
 * into the benchmark's bench_fn) calls them directly. */
struct bench_slot_ops {
	unsigned (*draw)(struct prng *rng); /* a random size (bytes, order) */
	void *(*alloc)(unsigned size); /* NULL on failure */
	void (*free)(void *block, unsigned size);
};

struct bench_slots {
	unsigned long nr; /* slots */
	unsigned long failures; /* allocations that returned NULL */
	struct prng rng;
	void **block; /* NULL: empty (a failed allocation) */
	unsigned *size; /* what each block was drawn with */
};

/* Sets up an empty table of nr slots; false if host memory ran out. */
bool bench_slots_init(struct bench_slots *t, unsigned long nr);
/* Seeds the table and fills every slot. */
void bench_slots_fill(struct bench_slots *t, const struct bench_slot_ops *ops,
		      uint64_t seed);
/* Frees every block, leaving the slots empty. */
void bench_slots_free_all(struct bench_slots *t,
			  const struct bench_slot_ops *ops);
/* Frees the table's own host memory (after bench_slots_free_all). */
void bench_slots_destroy(struct bench_slots *t);

/* Fills slot s with a block of a newly drawn size. */
static __always_inline void bench_slot_alloc(struct bench_slots *t,
					     unsigned long s,
					     const struct bench_slot_ops *ops)
{
	t->size[s] = ops->draw(&t->rng);
	t->block[s] = ops->alloc(t->size[s]);
	if (unlikely(!t->block[s]))
		t->failures++;
}

/* The body to time: n steps of freeing a random slot and refilling it.
 * Call it from a bench_fn with constant ops. */
static __always_inline void bench_slots_churn(struct bench_slots *t,
					      unsigned long n,
					      const struct bench_slot_ops *ops)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned long s = prng_below(&t->rng, t->nr);

		if (likely(t->block[s]))
			ops->free(t->block[s], t->size[s]);
		bench_slot_alloc(t, s, ops);
	}
}

/* The host side of the load: malloc of the size drawn, and free. */
static inline void *bench_host_malloc(unsigned size)
{
	void *p = malloc(size);

	bench_keep(p);
	return p;
}

static inline void bench_host_free(void *block, unsigned size)
{
	(void)size;
	free(block);
}

/* Benchmarks. Each returns the process exit status (0 = ran and passed
 * its sanity checks). */
int bench_page_alloc(const struct bench_opts *opts);
int bench_slab(const struct bench_opts *opts);
int bench_translate(const struct bench_opts *opts);
int bench_fault(const struct bench_opts *opts);
int bench_fork(const struct bench_opts *opts);
int bench_run(const struct bench_opts *opts);
int bench_reclaim(const struct bench_opts *opts);

/* ---- processes (bench/fault.c, used by bench/fork.c too) ----------------- */

struct task_struct;

/* A user process started as create_user_process() does, made current;
 * NULL if it cannot be. */
struct task_struct *bench_user_process(const char *name);
/* Free pages (per-CPU lists drained) plus the pages slabs hold: what a
 * process's coming and going must leave unchanged. */
unsigned long bench_pages_free_or_slab(void);
/* Writes a byte to each page of [addr, addr + len) of current's memory
 * through user_access(); returns the writes that failed. */
unsigned long bench_touch(unsigned long addr, unsigned long len);
/* The same over host memory. */
void bench_host_touch(char *p, unsigned long len);

/* ---- bench/toucher.c ------------------------------------------------------------- */

/* A new user process running fn(arg), as fork starts a child (queued,
 * referenced), or NULL. */
struct task_struct *bench_start_task(const char *name, task_body_fn fn,
				     void *arg);

/* A process that makes one touch at a time on request. */
struct bench_toucher {
	struct task_struct *task;
	const char *bench; /* "mmsim bench NAME", for messages */
	unsigned long *failures; /* the benchmark's count of failures */
	/* The touch under way (or the last one): fresh: over an mmap of
	 * args.length made at its start and, unless keep, unmapped at its
	 * end (args.addr then tells where it was). */
	struct touch_args args;
	bool fresh, keep, active, started;
	struct touch_state t;
	enum touch_result result;
	uint64_t t0, t1; /* host ns at the touch's start and end */
};

/* Starts the toucher process, asleep until bench_toucher_run(); false if it
 * cannot be made. */
bool bench_toucher_start(struct bench_toucher *tc, const char *name,
			 const char *bench, unsigned long *failures);
/* Has the toucher make touch a and runs the machine until it is done:
 * host ns per access, or 0 if it failed. */
double bench_toucher_run(struct bench_toucher *tc, const struct touch_args *a,
			 bool fresh, bool keep);

#endif
