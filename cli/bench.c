/* `mmsim bench NAME [--json] [machine options]`: runs one named benchmark
 * from bench/ on a freshly booted machine and prints its figures beside a
 * host reference measured in the same run, as a table or as JSON. */
#include <string.h>

#include "bench/bench.h"
#include "cli/cli.h"

struct bench_entry {
	const char *name;
	const char *ram; /* default RAM, before the user's --ram */
	const char *summary;
	int (*run)(const struct bench_opts *opts);
};

static const struct bench_entry benches[] = {
	{ "page_alloc", "4G",
	  "order-0 alloc+free pair with and without the per-CPU lists;\n"
	  "mixed orders 0..4 with 10,000 live blocks, random frees.\n"
	  "Reference: host malloc/free of the same sizes.",
	  bench_page_alloc },
	{ "slab", "1G",
	  "kmem_cache_alloc+free pair of a 64-byte object (fast path);\n"
	  "kmalloc of random sizes 16..512 with 10,000 live objects, and\n"
	  "the slab memory they hold per byte requested.\n"
	  "Reference: host malloc/free of the same sizes.\n"
	  "Option: --slab slub|slab|slob picks the allocator.",
	  bench_slab },
	{ "translate", "1G",
	  "translate() of a user read on an L1 dTLB hit, on an L1 miss\n"
	  "that hits the STLB, and on a full page walk (both miss).\n"
	  "Reference: a host load per page over an array of the same\n"
	  "footprint, pages in the same order.",
	  bench_translate },
	{ "fault", "4G",
	  "first-touch write faults of anonymous memory, 1 GiB written a\n"
	  "byte per page through user_access(); munmap of that GiB.\n"
	  "Reference: the host kernel doing the same in this process\n"
	  "(4 KiB pages).",
	  bench_fault },
	{ "fork", "4G",
	  "fork of a process with 1 GiB touched; copy-on-write faults as\n"
	  "the parent writes 256 MiB while the child maps it.\n"
	  "Reference: a host fork() of this process with 1 GiB touched,\n"
	  "the host's COW faults (4 KiB pages).",
	  bench_fork },
	{ "run", "1G",
	  "the running system: one task touching memory from its body\n"
	  "steps (sequential over the L1 dTLB, random over 10x the STLB's\n"
	  "reach, first-touch faults of 256 MiB), and context switches\n"
	  "with 100 runnable tasks yielding. Reference: the same host\n"
	  "memory accesses over a host buffer of the same size, host\n"
	  "first-touch faults, a host pipe ping-pong on one CPU.",
	  bench_run },
	{ "reclaim", "512M",
	  "anonymous pages reclaimed to swap (MADV_PAGEOUT of half of RAM,\n"
	  "the writes completed, the pages freed) and faulted back in;\n"
	  "a thrashing load: random writes over 1.25 x RAM with swap.\n"
	  "Reference: host memcpy of the same 4 KiB pages; the same number\n"
	  "of host random writes. Swap: twice the RAM unless --swap is\n"
	  "given. Clean file pages: not measured (no page cache yet).",
	  bench_reclaim },
};

static void list_benches(FILE *f, const char *sep)
{
	for (size_t i = 0; i < ARRAY_SIZE(benches); i++)
		fprintf(f, "%s%s", i ? sep : "", benches[i].name);
}

static void print_summary(FILE *f, const struct bench_entry *b)
{
	const char *s = b->summary;

	fprintf(f, "  %-20s default --ram %s\n", b->name, b->ram);
	while (*s) {
		size_t len = strcspn(s, "\n");

		fprintf(f, "      %.*s\n", (int)len, s);
		s += len + (s[len] == '\n');
	}
}

static void bench_help(FILE *f)
{
	fputs("Usage: mmsim bench NAME [--json] [MACHINE OPTIONS]\n"
	      "\n"
	      "Boots a simulated machine and times one part of the kernel on\n"
	      "it, beside a host reference measured in the same run. Each\n"
	      "figure is the best of several rounds; ratio = mmsim ns/op /\n"
	      "reference ns/op (below 1 means mmsim is faster). Figures depend\n"
	      "on the host: compare ratios, not absolute times.\n"
	      "\n"
	      "Benchmarks:\n",
	      f);
	for (size_t i = 0; i < ARRAY_SIZE(benches); i++)
		print_summary(f, &benches[i]);
	fputs("\n"
	      "Output options:\n"
	      "  --json                print {\"bench\": NAME, \"results\": [{\"name\",\n"
	      "                        \"ns_per_op\", \"reference\",\n"
	      "                        \"reference_ns_per_op\", \"ratio\"}, ...]}\n"
	      "  --help                show this help\n"
	      "\n",
	      f);
	machine_options_help(f);
	fputs("\n"
	      "Exit status: 0 on success, 1 when the machine does not boot or a\n"
	      "benchmark's sanity check fails, 2 for bad options, an unknown NAME\n"
	      "or a machine too small for the benchmark.\n"
	      "\n"
	      "Example: mmsim bench page_alloc --json\n",
	      f);
}

static const struct bench_entry *find_bench(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(benches); i++)
		if (!strcmp(benches[i].name, name))
			return &benches[i];
	return NULL;
}

static int unknown_bench(const struct cli_args *a, const char *name)
{
	fprintf(stderr, "%s: unknown benchmark '%s'; available: ", a->cmd,
		name);
	list_benches(stderr, ", ");
	fputc('\n', stderr);
	return EXIT_USAGE;
}

static int missing_bench(const struct cli_args *a)
{
	fprintf(stderr, "%s: missing benchmark NAME; available: ", a->cmd);
	list_benches(stderr, ", ");
	fprintf(stderr, " (try '%s --help')\n", a->cmd);
	return EXIT_USAGE;
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* Options after NAME: 0 to run, -1 when --help was asked, or an exit
 * status. */
static int parse_options(struct cli_args *a, struct bench_opts *o)
{
	int ret;

	while (!cli_args_done(a)) {
		if (is_help(cli_arg(a)))
			return -1;
		ret = machine_option(a, &o->cfg);
		if (ret < 0)
			return EXIT_USAGE;
		if (ret > 0)
			continue;
		if (cli_option(a, "--json", false)) {
			o->json = true;
			continue;
		}
		return cli_bad_argument(a);
	}
	return 0;
}

static int set_default_ram(const struct cli_args *a, struct bench_opts *o,
			   const struct bench_entry *b)
{
	char err[256];

	machine_config_default(&o->cfg);
	if (machine_config_set(&o->cfg, "ram", b->ram, err, sizeof(err)))
		return 0;
	return cli_usage_error(a, "%s", err);
}

int cmd_bench(int argc, char **argv)
{
	struct cli_args a;
	struct bench_opts o = { .out = stdout };
	const struct bench_entry *b;
	int status;

	cli_args_init(&a, "mmsim bench", argc, argv);
	if (cli_args_done(&a))
		return missing_bench(&a);
	if (is_help(cli_arg(&a))) {
		bench_help(stdout);
		return 0;
	}
	if (cli_arg(&a)[0] == '-')
		return missing_bench(&a);
	b = find_bench(cli_arg(&a));
	if (!b)
		return unknown_bench(&a, cli_arg(&a));
	a.i++;
	if ((status = set_default_ram(&a, &o, b)))
		return status;
	status = parse_options(&a, &o);
	if (status < 0) {
		bench_help(stdout);
		return 0;
	}
	if (status)
		return status;
	return b->run(&o);
}
