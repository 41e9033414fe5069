/* Benchmark framework shared by every `mmsim bench NAME`: a monotonic
 * clock, best-of-N-rounds timing of an mmsim body against a host
 * reference measured in the same run, and the report in two shapes (a
 * text table and JSON). Benchmarks report ratios, never pass/fail on time. */
#ifndef MMSIM_BENCH_BENCH_H
#define MMSIM_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/seq_file.h"
#include "kernel/machine.h"

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

/* Keeps the compiler from eliding work on p (e.g. a malloc/free pair). */
static inline void bench_keep(const void *p)
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

/* Benchmarks. Each returns the process exit status (0 = ran and passed
 * its sanity checks). */
int bench_page_alloc(const struct bench_opts *opts);
int bench_slab(const struct bench_opts *opts);
int bench_translate(const struct bench_opts *opts);

#endif
