/* The JSON every `mmsim bench NAME --json` prints: scripts parse it, so
 * its exact text (keys, order, number formats, escaping, null for a
 * ratio without a reference) is pinned here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bench/bench.h"

static void print_json(struct seq_file *m, const struct bench_result *r,
		       size_t nr)
{
	seq_init(m);
	bench_print_json(m, "page_alloc", r, nr);
}

static void test_two_results(void **state)
{
	const struct bench_result r[] = {
		{ "order0_pair_pcp", 12.5, "malloc(4096)+free", 25.0 },
		{ "mixed_order0_4", 41.25, "malloc(4096<<order)/free", 20.5 },
	};
	struct seq_file m;

	(void)state;
	print_json(&m, r, 2);
	assert_string_equal(
		seq_text(&m),
		"{\n"
		"  \"bench\": \"page_alloc\",\n"
		"  \"results\": [\n"
		"    {\"name\": \"order0_pair_pcp\", \"ns_per_op\": 12.50, "
		"\"reference\": \"malloc(4096)+free\", "
		"\"reference_ns_per_op\": 25.00, \"ratio\": 0.500},\n"
		"    {\"name\": \"mixed_order0_4\", \"ns_per_op\": 41.25, "
		"\"reference\": \"malloc(4096<<order)/free\", "
		"\"reference_ns_per_op\": 20.50, \"ratio\": 2.012}\n"
		"  ]\n"
		"}\n");
	seq_release(&m);
}

static void test_no_reference_and_escaping(void **state)
{
	const struct bench_result r[] = {
		{ "a\"b\\c", 3.0, "none\n", 0.0 },
	};
	struct seq_file m;

	(void)state;
	print_json(&m, r, 1);
	assert_string_equal(
		seq_text(&m),
		"{\n"
		"  \"bench\": \"page_alloc\",\n"
		"  \"results\": [\n"
		"    {\"name\": \"a\\\"b\\\\c\", \"ns_per_op\": 3.00, "
		"\"reference\": \"none\\n\", "
		"\"reference_ns_per_op\": 0.00, \"ratio\": null}\n"
		"  ]\n"
		"}\n");
	seq_release(&m);
}

static void test_empty(void **state)
{
	struct seq_file m;

	(void)state;
	print_json(&m, NULL, 0);
	assert_string_equal(seq_text(&m), "{\n"
					  "  \"bench\": \"page_alloc\",\n"
					  "  \"results\": []\n"
					  "}\n");
	seq_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_results),
		cmocka_unit_test(test_no_reference_and_escaping),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
