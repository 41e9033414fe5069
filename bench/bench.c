/* Benchmark framework: monotonic timing, best-of-N rounds of a body and
 * its host reference interleaved, the host references and the random-slot
 * load the allocator benchmarks share, and the report (description,
 * text table or JSON, sanity line) that every `mmsim bench NAME` prints. */
#include "bench/bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/gfp.h"
#include "mm/vmstat.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

double bench_time_once(const struct bench_body *body)
{
	uint64_t t0 = bench_now_ns();

	body->fn(body->arg, body->iters);
	return (double)(bench_now_ns() - t0) / (double)body->ops;
}

void bench_compare(const struct bench_body *subject,
		   const struct bench_body *reference, int rounds,
		   struct bench_result *r)
{
	double best_s = INFINITY, best_r = INFINITY;

	subject->fn(subject->arg, subject->iters);
	reference->fn(reference->arg, reference->iters);
	for (int i = 0; i < rounds; i++) {
		best_s = fmin(best_s, bench_time_once(subject));
		best_r = fmin(best_r, bench_time_once(reference));
	}
	r->ns_per_op = best_s;
	r->reference_ns_per_op = best_r;
}

double bench_ratio(const struct bench_result *r)
{
	if (!(r->reference_ns_per_op > 0))
		return NAN;
	return r->ns_per_op / r->reference_ns_per_op;
}

/* ---- text table ------------------------------------------------------- */

static int name_width(const struct bench_result *r, size_t nr, bool ref)
{
	size_t w = strlen(ref ? "reference" : "benchmark");

	for (size_t i = 0; i < nr; i++)
		w = max(w, strlen(ref ? r[i].reference : r[i].name));
	return (int)w;
}

void bench_print_table(struct seq_file *m, const struct bench_result *r,
		       size_t nr)
{
	int nw = name_width(r, nr, false), rw = name_width(r, nr, true);

	seq_printf(m, "%-*s  %11s  %-*s  %9s  %6s\n", nw, "benchmark",
		   "mmsim ns/op", rw, "reference", "ref ns/op", "ratio");
	for (size_t i = 0; i < nr; i++) {
		double ratio = bench_ratio(&r[i]);

		seq_printf(m, "%-*s  %11.2f  %-*s  %9.2f  ", nw, r[i].name,
			   r[i].ns_per_op, rw, r[i].reference,
			   r[i].reference_ns_per_op);
		if (isfinite(ratio))
			seq_printf(m, "%6.3f\n", ratio);
		else
			seq_printf(m, "%6s\n", "n/a");
	}
}

/* ---- JSON --------------------------------------------------------------- */

static void json_string(struct seq_file *m, const char *s)
{
	seq_putc(m, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			seq_printf(m, "\\%c", c);
		else if (c == '\n')
			seq_puts(m, "\\n");
		else if (c < 0x20)
			seq_printf(m, "\\u%04x", c);
		else
			seq_putc(m, (char)c);
	}
	seq_putc(m, '"');
}

static void json_number(struct seq_file *m, double v, int decimals)
{
	if (isfinite(v))
		seq_printf(m, "%.*f", decimals, v);
	else
		seq_puts(m, "null");
}

static void json_result(struct seq_file *m, const struct bench_result *r)
{
	seq_puts(m, "{\"name\": ");
	json_string(m, r->name);
	seq_puts(m, ", \"ns_per_op\": ");
	json_number(m, r->ns_per_op, 2);
	seq_puts(m, ", \"reference\": ");
	json_string(m, r->reference);
	seq_puts(m, ", \"reference_ns_per_op\": ");
	json_number(m, r->reference_ns_per_op, 2);
	seq_puts(m, ", \"ratio\": ");
	json_number(m, bench_ratio(r), 3);
	seq_putc(m, '}');
}

void bench_print_json(struct seq_file *m, const char *bench,
		      const struct bench_result *r, size_t nr)
{
	seq_puts(m, "{\n  \"bench\": ");
	json_string(m, bench);
	seq_puts(m, ",\n  \"results\": [");
	for (size_t i = 0; i < nr; i++) {
		seq_puts(m, i ? ",\n    " : "\n    ");
		json_result(m, &r[i]);
	}
	seq_puts(m, nr ? "\n  ]\n}\n" : "]\n}\n");
}

/* ---- the report ---------------------------------------------------------- */

struct machine *bench_boot(const struct bench_opts *opts, const char *bench)
{
	char err[256];
	struct machine *m = machine_boot(&opts->cfg, err, sizeof(err));

	if (!m)
		fprintf(stderr, "mmsim bench %s: %s\n", bench, err);
	return m;
}

void bench_describe_machine(struct seq_file *m, const char *extra)
{
	seq_printf(m, "machine: %lu MiB RAM, %d node%s, %d CPU%s, %s",
		   (unsigned long)(M->ram_bytes >> 20), M->nr_nodes,
		   M->nr_nodes == 1 ? "" : "s", M->nr_cpus,
		   M->nr_cpus == 1 ? "" : "s", M->arch->name);
	if (extra)
		seq_printf(m, ", %s", extra);
	seq_putc(m, '\n');
	bench_describe_rounds(m);
}

void bench_describe_rounds(struct seq_file *m)
{
	seq_printf(m, "figures: best of %d rounds, ", BENCH_ROUNDS);
	seq_puts(m, "mmsim and host rounds alternating\n");
}

unsigned long bench_free_pages(void)
{
	unsigned long n;
	struct zone *zone;
	int cpu;

	drain_all_pages(NULL);
	n = nr_free_pages();
	for_each_populated_zone(zone) {
		const struct per_cpu_pages *pcp = zone->per_cpu_pageset;

		if (pcp)
			for_each_online_cpu(cpu)
				n += (unsigned long)pcp[cpu].count;
	}
	return n;
}

int bench_report(const struct bench_opts *opts, const struct bench_report *rep)
{
	struct seq_file out, sanity;
	bool ok;

	seq_init(&out);
	seq_init(&sanity);
	ok = rep->sanity(&sanity, rep->state);
	if (opts->json) {
		bench_print_json(&out, rep->bench, rep->r, rep->nr);
	} else {
		rep->describe(&out, rep->state);
		bench_print_table(&out, rep->r, rep->nr);
		seq_puts(&out, seq_text(&sanity));
	}
	fputs(seq_text(&out), opts->out);
	if (opts->json && !ok)
		fprintf(stderr, "mmsim bench %s: %s", rep->bench,
			seq_text(&sanity));
	seq_release(&out);
	seq_release(&sanity);
	return ok ? 0 : 1;
}

/* ---- host references ----------------------------------------------------- */

void bench_host_malloc_free(void *arg, unsigned long n)
{
	size_t size = *(const size_t *)arg;

	for (unsigned long i = 0; i < n; i++) {
		void *p = malloc(size);

		bench_keep(p);
		free(p);
	}
}

/* ---- the random-slot load ------------------------------------------------ */

bool bench_slots_init(struct bench_slots *t, unsigned long nr)
{
	*t = (struct bench_slots){ .nr = nr };
	t->block = calloc(nr, sizeof(*t->block));
	t->size = calloc(nr, sizeof(*t->size));
	return t->block && t->size;
}

void bench_slots_fill(struct bench_slots *t, const struct bench_slot_ops *ops,
		      uint64_t seed)
{
	prng_seed(&t->rng, seed);
	for (unsigned long s = 0; s < t->nr; s++)
		bench_slot_alloc(t, s, ops);
}

void bench_slots_free_all(struct bench_slots *t,
			  const struct bench_slot_ops *ops)
{
	for (unsigned long s = 0; s < t->nr; s++) {
		if (t->block[s])
			ops->free(t->block[s], t->size[s]);
		t->block[s] = NULL;
	}
}

void bench_slots_destroy(struct bench_slots *t)
{
	free(t->block);
	free(t->size);
}
