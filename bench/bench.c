/* Benchmark framework: monotonic timing, best-of-N rounds of a body and
 * its host reference interleaved, and the text-table and JSON reports
 * that every `mmsim bench NAME` prints. */
#include "bench/bench.h"

#include <math.h>
#include <string.h>
#include <time.h>

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
