/* base/: size and integer parsing of outside input (every failure names
 * the input), int_sqrt against a naive search, seq_file growth, and the
 * seeded PRNG's determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/kernel.h"
#include "base/parse.h"
#include "base/prng.h"
#include "base/seq_file.h"

/* ---- parse_size --------------------------------------------------------- */

static void assert_size(const char *s, uint64_t want)
{
	char err[200] = "";
	uint64_t v = 0;

	if (!parse_size(s, &v, err, sizeof(err)))
		fail_msg("parse_size(\"%s\") refused: %s", s, err);
	if (v != want)
		fail_msg("parse_size(\"%s\") = %llu, want %llu", s,
			 (unsigned long long)v, (unsigned long long)want);
}

/* Refused, with a message that quotes the input. */
static void assert_bad_size(const char *s)
{
	char err[200] = "";
	char quoted[64];
	uint64_t v = 12345;

	if (parse_size(s, &v, err, sizeof(err)))
		fail_msg("parse_size(\"%s\") accepted it as %llu", s,
			 (unsigned long long)v);
	snprintf(quoted, sizeof(quoted), "'%s'", s);
	if (!strstr(err, quoted))
		fail_msg(
			"parse_size(\"%s\"): message \"%s\" does not quote the input",
			s, err);
	assert_int_equal(v, 12345); /* output untouched on failure */
}

static void test_parse_size_units(void **state)
{
	(void)state;
	assert_size("512M", 512ULL << 20);
	assert_size("1G", 1ULL << 30);
	assert_size("64k", 64ULL << 10);
	assert_size("64K", 64ULL << 10);
	assert_size("4096", 4096);
	assert_size("0", 0);
	assert_size("1GiB", 1ULL << 30);
	assert_size("2gb", 2ULL << 30);
	assert_size("3MB", 3ULL << 20);
	assert_size("1T", 1ULL << 40);
	assert_size("128G", 128ULL << 30);
}

static void test_parse_size_rejects_bad_input(void **state)
{
	(void)state;
	assert_bad_size("");
	assert_bad_size("12Q");
	assert_bad_size("-1");
	assert_bad_size("M");
	assert_bad_size("99999999999999999999");
	assert_bad_size("1G5");
	assert_bad_size("1 G");
	assert_bad_size("17179869184G"); /* 2^34 GiB overflows 64 bits */
}

/* ---- parse_long --------------------------------------------------------- */

static void test_parse_long_in_range(void **state)
{
	char err[200] = "";
	long v = 0;

	(void)state;
	assert_true(parse_long("0", 0, 100, &v, err, sizeof(err)));
	assert_int_equal(v, 0);
	assert_true(parse_long("100", 0, 100, &v, err, sizeof(err)));
	assert_int_equal(v, 100);
	assert_true(parse_long("-7", -10, 10, &v, err, sizeof(err)));
	assert_int_equal(v, -7);
	assert_true(parse_long("9223372036854775807", LONG_MIN, LONG_MAX, &v,
			       err, sizeof(err)));
	assert_true(v == LONG_MAX);
	assert_true(parse_long("-9223372036854775808", LONG_MIN, LONG_MAX, &v,
			       err, sizeof(err)));
	assert_true(v == LONG_MIN);
}

static void test_parse_long_out_of_range_names_range(void **state)
{
	char err[200] = "";
	long v = 42;

	(void)state;
	assert_false(parse_long("101", 0, 100, &v, err, sizeof(err)));
	assert_non_null(strstr(err, "101"));
	assert_non_null(strstr(err, "0..100"));
	assert_false(parse_long("-1", 0, 100, &v, err, sizeof(err)));
	assert_non_null(strstr(err, "-1"));
	assert_non_null(strstr(err, "0..100"));
	assert_int_equal(v, 42);
}

static void test_parse_long_rejects_non_integers(void **state)
{
	static const char *const bad[] = {
		"",
		"abc",
		"12x",
		"1.5",
		"0x10",
		"5 ",
		"99999999999999999999",
		"-99999999999999999999",
	};
	char err[200];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char quoted[64];
		long v = 42;

		err[0] = '\0';
		if (parse_long(bad[i], LONG_MIN, LONG_MAX, &v, err,
			       sizeof(err)))
			fail_msg("parse_long(\"%s\") accepted %ld", bad[i], v);
		snprintf(quoted, sizeof(quoted), "'%s'", bad[i]);
		if (!strstr(err, quoted))
			fail_msg(
				"parse_long(\"%s\"): message \"%s\" does not quote it",
				bad[i], err);
		assert_int_equal(v, 42);
	}
}

/* ---- int_sqrt ----------------------------------------------------------- */

/* floor(sqrt(x)) by bisection, overflow-safe. */
static unsigned long naive_sqrt(unsigned long x)
{
	unsigned long lo = 0, hi = 1UL << 32; /* hi*hi > ULONG_MAX */

	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (mid <= x / mid)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void assert_sqrt(unsigned long x)
{
	unsigned long got = int_sqrt(x), want = naive_sqrt(x);

	if (got != want)
		fail_msg("int_sqrt(%lu) = %lu, want %lu", x, got, want);
}

static void test_parse_duration_units(void **state)
{
	static const struct {
		const char *s;
		uint64_t ns;
	} ok[] = {
		{ "250ns", 250 },
		{ "200us", 200000 },
		{ "10ms", 10000000 },
		{ "1.5s", 1500000000 },
		{ "2min", 120000000000ULL },
		{ "0.5h", 1800000000000ULL },
		{ "5000h", 18000000000000000ULL },
	};
	static const char *const bad[] = { "",	      "10",  "s",    "-1s",
					   "1m",      "1 s", "1sec", "5parsecs",
					   "6000000h" /* past 2^64 ns */ };
	char err[160];
	uint64_t ns;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_true(parse_duration(ok[i].s, &ns, err, sizeof(err)));
		assert_int_equal(ns, ok[i].ns);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(parse_duration(bad[i], &ns, err, sizeof(err)));
		assert_non_null(strstr(err, "is not a duration"));
		assert_non_null(strstr(err, "units ns, us, ms, s, min, h"));
	}
}

static void test_int_sqrt_small_values(void **state)
{
	unsigned long r = 0;

	(void)state;
	/* Walk 0..200000 against a running floor(sqrt). */
	for (unsigned long x = 0; x <= 200000; x++) {
		while ((r + 1) * (r + 1) <= x)
			r++;
		if (int_sqrt(x) != r)
			fail_msg("int_sqrt(%lu) = %lu, want %lu", x,
				 int_sqrt(x), r);
	}
}

static void test_int_sqrt_squares_and_neighbours(void **state)
{
	(void)state;
	for (unsigned long k = 1; k < (1UL << 32); k = k * 3 + 1) {
		assert_sqrt(k * k);
		assert_sqrt(k * k - 1);
		if (k * k < ULONG_MAX)
			assert_sqrt(k * k + 1);
	}
	assert_sqrt(0xffffffffUL * 0xffffffffUL); /* largest square */
	assert_sqrt(ULONG_MAX);
	assert_sqrt(ULONG_MAX - 1);
	assert_sqrt(1UL << 63);
	/* The values min_free_kbytes sees: lowmem_kbytes * 16. */
	assert_int_equal(int_sqrt(998364UL * 16), 3996);
	assert_int_equal(int_sqrt(16481232UL * 16), 16238);
}

static void test_int_sqrt_random_large(void **state)
{
	struct prng r;

	(void)state;
	prng_seed(&r, 1);
	for (int i = 0; i < 100000; i++) {
		uint64_t x = prng_next(&r) >> (prng_next(&r) % 64);

		assert_sqrt((unsigned long)x);
	}
}

/* ---- seq_file ------------------------------------------------------------ */

static void test_seq_empty_text_is_empty_string(void **state)
{
	struct seq_file m;

	(void)state;
	seq_init(&m);
	assert_string_equal(seq_text(&m), "");
	seq_reset(&m);
	assert_string_equal(seq_text(&m), "");
	seq_release(&m);
}

static void test_seq_grows_with_long_strings(void **state)
{
	const size_t n = 1 << 20;
	char *big = malloc(n + 1);
	struct seq_file m;

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	seq_init(&m);
	seq_puts(&m, "head:");
	seq_printf(&m, "%s", big); /* one printf far beyond the first buffer */
	seq_putc(&m, '|');
	seq_puts(&m, big);
	seq_printf(&m, "|%d:%s", 42, "tail");
	assert_int_equal(m.count, 5 + n + 1 + n + 8);
	assert_int_equal(strlen(seq_text(&m)), m.count);
	assert_true(m.size > m.count);
	assert_memory_equal(seq_text(&m), "head:", 5);
	assert_memory_equal(seq_text(&m) + 5, big, n);
	assert_int_equal(seq_text(&m)[5 + n], '|');
	assert_memory_equal(seq_text(&m) + 6 + n, big, n);
	assert_string_equal(seq_text(&m) + 6 + 2 * n, "|42:tail");
	seq_release(&m);
	free(big);
}

static void test_seq_many_small_writes(void **state)
{
	struct seq_file m;
	char want[16];

	(void)state;
	seq_init(&m);
	for (int i = 0; i < 100000; i++)
		seq_printf(&m, "%05d\n", i);
	assert_int_equal(m.count, 100000 * 6);
	snprintf(want, sizeof(want), "%05d\n", 99999);
	assert_string_equal(seq_text(&m) + m.count - 6, want);
	assert_memory_equal(seq_text(&m), "00000\n00001\n", 12);
	seq_release(&m);
}

static void test_seq_reset_keeps_buffer_reusable(void **state)
{
	struct seq_file m;

	(void)state;
	seq_init(&m);
	seq_puts(&m, "first text");
	seq_reset(&m);
	assert_int_equal(m.count, 0);
	assert_string_equal(seq_text(&m), "");
	seq_write(&m, "abcdef", 3);
	assert_string_equal(seq_text(&m), "abc");
	seq_release(&m);
	assert_null(m.buf);
	assert_int_equal(m.count, 0);
}

/* ---- prng ------------------------------------------------------------------- */

static void test_prng_same_seed_same_sequence(void **state)
{
	struct prng a, b;

	(void)state;
	prng_seed(&a, 12345);
	prng_seed(&b, 12345);
	for (int i = 0; i < 10000; i++)
		assert_true(prng_next(&a) == prng_next(&b));
}

static void test_prng_reseed_restarts_sequence(void **state)
{
	uint64_t first[16];
	struct prng a;

	(void)state;
	prng_seed(&a, 7);
	for (int i = 0; i < 16; i++)
		first[i] = prng_next(&a);
	prng_seed(&a, 7);
	for (int i = 0; i < 16; i++)
		assert_true(prng_next(&a) == first[i]);
}

static void test_prng_different_seeds_differ(void **state)
{
	struct prng a, b;
	int same = 0;

	(void)state;
	prng_seed(&a, 1);
	prng_seed(&b, 2);
	for (int i = 0; i < 1000; i++)
		same += prng_next(&a) == prng_next(&b);
	assert_int_equal(same, 0);
}

/* Seed 0 must not leave xoshiro in its all-zero fixed point. */
static void test_prng_seed_zero_is_not_stuck(void **state)
{
	struct prng a;
	uint64_t x;

	(void)state;
	prng_seed(&a, 0);
	x = prng_next(&a);
	assert_true(x != 0 || prng_next(&a) != 0);
	assert_true(prng_next(&a) != prng_next(&a));
}

static void test_prng_below_stays_in_range(void **state)
{
	unsigned hits[10] = { 0 };
	struct prng a;

	(void)state;
	prng_seed(&a, 99);
	for (int i = 0; i < 100000; i++) {
		uint64_t v = prng_below(&a, 10);

		assert_true(v < 10);
		hits[v]++;
	}
	for (int i = 0; i < 10; i++)
		assert_in_range(hits[i], 9000, 11000);
	assert_true(prng_below(&a, 1) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size_units),
		cmocka_unit_test(test_parse_size_rejects_bad_input),
		cmocka_unit_test(test_parse_long_in_range),
		cmocka_unit_test(test_parse_long_out_of_range_names_range),
		cmocka_unit_test(test_parse_long_rejects_non_integers),
		cmocka_unit_test(test_parse_duration_units),
		cmocka_unit_test(test_int_sqrt_small_values),
		cmocka_unit_test(test_int_sqrt_squares_and_neighbours),
		cmocka_unit_test(test_int_sqrt_random_large),
		cmocka_unit_test(test_seq_empty_text_is_empty_string),
		cmocka_unit_test(test_seq_grows_with_long_strings),
		cmocka_unit_test(test_seq_many_small_writes),
		cmocka_unit_test(test_seq_reset_keeps_buffer_reusable),
		cmocka_unit_test(test_prng_same_seed_same_sequence),
		cmocka_unit_test(test_prng_reseed_restarts_sequence),
		cmocka_unit_test(test_prng_different_seeds_differ),
		cmocka_unit_test(test_prng_seed_zero_is_not_stuck),
		cmocka_unit_test(test_prng_below_stays_in_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
