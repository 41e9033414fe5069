/* `mmsim demo buddy`: a tour of physical memory as a Linux user sees it
 * (`mmsim demo` itself runs the built-in scenario, examples/demo.lua). Boots a machine, shows the boot log, buddyinfo, the zone
 * watermarks and meminfo, then makes a few allocations of different
 * orders and GFP flags and shows what each changed in buddyinfo and
 * vmstat. Finally frees everything, checks that the buddy lists are back
 * where they started, and shows the kernel's report of a double free. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fs/proc/proc.h"
#include "mm/internal.h"

#define PAGEBLOCK (-1) /* order: one page block (pageblock_order) */
#define DEMO_MAX_COUNT 256

/* One allocation step: count blocks of 2^order pages with gfp. */
struct demo_step {
	const char *why; /* one line, printed after "### " */
	gfp_t gfp;
	int order;
	unsigned count;
};

static const struct demo_step demo_steps[] = {
	{ "256 kernel pages: order 0 is served by this CPU's per-CPU list, "
	  "refilled from the buddy lists in batches",
	  GFP_KERNEL, 0, 256 },
	{ "One page block of user memory: a movable block of pageblock order "
	  "comes straight from the buddy lists",
	  GFP_HIGHUSER_MOVABLE, PAGEBLOCK, 1 },
	{ "Four order-3 blocks for an ISA device: GFP_DMA can only use "
	  "ZONE_DMA, the first 16 MiB",
	  GFP_DMA, 3, 4 },
	{ "One page in atomic context: GFP_ATOMIC cannot sleep and may dip "
	  "below the min watermark",
	  GFP_ATOMIC, 0, 1 },
};

#define NR_DEMO_STEPS ARRAY_SIZE(demo_steps)

struct demo {
	struct machine *m;
	struct seq_file proc; /* scratch for /proc reads */
	struct seq_file vmstat; /* /proc/vmstat before the current step */
	struct seq_file buddyinfo; /* /proc/buddyinfo after boot */
	struct page *held[NR_DEMO_STEPS][DEMO_MAX_COUNT];
	unsigned nr_held[NR_DEMO_STEPS];
	unsigned long problems; /* invariant violations found */
};

/* Reads path into s (replacing its text); returns the text. */
static const char *proc_text(struct seq_file *s, const char *path)
{
	seq_reset(s);
	if (proc_read(path, s))
		seq_printf(s, "(%s is not available)\n", path);
	return seq_text(s);
}

static void title(const char *why)
{
	printf("\n### %s\n", why);
}

/* Prints the first n lines of text (all of them when n is 0). */
static void print_lines(const char *text, unsigned n)
{
	const char *end = text;

	for (unsigned i = 0; *end && (!n || i < n); i++) {
		const char *nl = strchr(end, '\n');

		end = nl ? nl + 1 : end + strlen(end);
	}
	fwrite(text, 1, (size_t)(end - text), stdout);
}

static void show_buddyinfo(struct demo *d)
{
	printf("/proc/buddyinfo:\n");
	print_lines(proc_text(&d->proc, "/proc/buddyinfo"), 0);
}

/* Is this /proc/zoneinfo line a zone header or one of its watermarks? */
static bool is_watermark_line(const char *line)
{
	static const char *const keep[] = {
		"boost",   "min",     "low",	 "high",	"promo",
		"spanned", "present", "managed", "protection:",
	};
	char word[32], next[32];
	int n = sscanf(line, "%31s %31s", word, next);

	if (!strncmp(line, "Node ", 5))
		return true;
	if (n == 2 && !strcmp(word, "pages") && !strcmp(next, "free"))
		return true;
	for (size_t i = 0; n >= 1 && i < ARRAY_SIZE(keep); i++)
		if (!strcmp(word, keep[i]))
			return true;
	return false;
}

static void show_watermarks(struct demo *d)
{
	const char *line = proc_text(&d->proc, "/proc/zoneinfo");

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);

		if (is_watermark_line(line))
			fwrite(line, 1, len, stdout);
		line += len;
	}
}

/* The value of counter name in a /proc/vmstat text; false if absent. */
static bool vmstat_value(const char *text, const char *name,
			 unsigned long long *val)
{
	char word[128];
	unsigned long long v;

	for (const char *line = text; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (sscanf(line, "%127s %llu", word, &v) == 2 &&
		    !strcmp(word, name)) {
			*val = v;
			return true;
		}
	}
	return false;
}

/* Prints "name: old -> new" for every counter whose value changed since
 * d->vmstat, then makes the current values the reference. */
static void show_vmstat_changes(struct demo *d)
{
	const char *now = proc_text(&d->proc, "/proc/vmstat");
	unsigned long long old, v;
	char name[128];
	int changed = 0;

	printf("/proc/vmstat counters that changed:\n");
	for (const char *line = now; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (sscanf(line, "%127s %llu", name, &v) != 2)
			continue;
		if (!vmstat_value(seq_text(&d->vmstat), name, &old))
			old = 0;
		if (old != v) {
			printf("  %s: %llu -> %llu\n", name, old, v);
			changed++;
		}
	}
	if (!changed)
		printf("  (none)\n");
	seq_reset(&d->vmstat);
	seq_puts(&d->vmstat, now);
}

/* Prints how many blocks each zone gave. */
static void show_zones(struct page **pages, unsigned n)
{
	unsigned from[MAX_NR_ZONES] = { 0 };
	const char *names[MAX_NR_ZONES] = { 0 };

	for (unsigned i = 0; i < n; i++) {
		struct zone *z = page_zone(pages[i]);

		from[page_zonenum(pages[i])]++;
		names[page_zonenum(pages[i])] = z->name;
	}
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (from[z])
			printf(", %u from zone %s", from[z], names[z]);
}

static void run_step(struct demo *d, size_t i)
{
	const struct demo_step *s = &demo_steps[i];
	unsigned order = s->order == PAGEBLOCK ? pageblock_order() :
						 (unsigned)s->order;
	struct seq_file gfp;
	unsigned n = 0;

	/* Without ZONE_DMA (riscv64) GFP_DMA means ZONE_NORMAL or below. */
	if (s->gfp == GFP_DMA && !arch_has_zone(M->arch, ZONE_DMA))
		title("Four order-3 blocks with GFP_DMA: this arch has no "
		      "ZONE_DMA, so GFP_DMA takes ZONE_NORMAL or below");
	else
		title(s->why);
	while (n < s->count && n < DEMO_MAX_COUNT &&
	       (d->held[i][n] = alloc_pages(s->gfp, order)))
		n++;
	d->nr_held[i] = n;

	seq_init(&gfp);
	format_gfp_flags(&gfp, s->gfp);
	printf("alloc_pages(%s, order %u) x %u (%lu KiB each): %u allocated",
	       seq_text(&gfp), order, s->count, (PAGE_SIZE << order) / 1024, n);
	seq_release(&gfp);
	show_zones(d->held[i], n);
	printf("\n");
	show_buddyinfo(d);
	show_vmstat_changes(d);
}

static void free_all(struct demo *d)
{
	for (size_t i = NR_DEMO_STEPS; i-- > 0;) {
		const struct demo_step *s = &demo_steps[i];
		unsigned order = s->order == PAGEBLOCK ? pageblock_order() :
							 (unsigned)s->order;

		for (unsigned n = 0; n < d->nr_held[i]; n++)
			__free_pages(d->held[i][n], order);
		d->nr_held[i] = 0;
	}
	drain_all_pages(NULL);
}

static void check_invariants(struct demo *d)
{
	unsigned long n = check_page_alloc_invariants();

	printf("check_page_alloc_invariants(): %lu problems\n", n);
	d->problems += n;
}

/* Frees everything; returns whether buddyinfo is back to its boot state. */
static bool restore(struct demo *d)
{
	bool same;

	title("Free everything and drain the per-CPU lists: buddies merge back");
	free_all(d);
	show_buddyinfo(d);
	show_vmstat_changes(d);
	same = !strcmp(proc_text(&d->proc, "/proc/buddyinfo"),
		       seq_text(&d->buddyinfo));
	printf("buddyinfo restored: %s\n", same ? "yes" : "no");
	check_invariants(d);
	return same;
}

/* A double free: the kernel reports it in the log and refuses it. */
static void misuse(struct demo *d)
{
	size_t mark = d->m->log.count;
	struct page *page;

	title("Misuse: free the same page twice; the kernel reports the bug");
	page = alloc_page(GFP_KERNEL);
	if (!page) {
		printf("alloc_page(GFP_KERNEL) failed\n");
		return;
	}
	__free_page(page);
	__free_page(page);
	printf("Kernel log of the second __free_page():\n");
	fputs(seq_text(&d->m->log) + mark, stdout);
	drain_all_pages(NULL);
	printf("The bad free was refused; the allocator is still consistent:\n");
	check_invariants(d);
}

static void tour(struct demo *d)
{
	printf("mmsim demo buddy: physical memory of an %s machine with %llu MiB of "
	       "RAM, %d node(s) and %d CPU(s)\n",
	       d->m->arch->name, (unsigned long long)(d->m->ram_bytes >> 20),
	       d->m->nr_nodes, d->m->nr_cpus);
	title("Boot: the kernel log shows the memory map, zones and free pages");
	fputs(seq_text(&d->m->log), stdout);
	/* Boot's slab caches left pages on the per-CPU lists: return them to
	 * the buddy lists so the tour starts from (and returns to) a state
	 * where every free page is in buddyinfo. */
	drain_all_pages(NULL);
	title("/proc/buddyinfo: free blocks of order 0..10 in each zone "
	      "(per-CPU lists drained)");
	print_lines(proc_text(&d->buddyinfo, "/proc/buddyinfo"), 0);
	title("/proc/zoneinfo: free pages and watermarks (kswapd wakes below "
	      "low, allocations stall below min)");
	show_watermarks(d);
	title("/proc/meminfo: the totals free(1) shows");
	print_lines(proc_text(&d->proc, "/proc/meminfo"), 5);
	proc_text(&d->vmstat, "/proc/vmstat");
	for (size_t i = 0; i < NR_DEMO_STEPS; i++)
		run_step(d, i);
}

static void demo_help(FILE *f)
{
	fputs("Usage: mmsim demo buddy [OPTIONS]\n"
	      "\n"
	      "A tour of physical memory as a Linux user sees it: boots a machine\n"
	      "(1G of RAM and 2 CPUs unless told otherwise), shows the boot log,\n"
	      "/proc/buddyinfo, the zone watermarks and /proc/meminfo, makes\n"
	      "allocations of different orders and GFP flags showing what each\n"
	      "changes in buddyinfo and /proc/vmstat, frees them, checks that\n"
	      "buddyinfo is back where it started, and shows the report of a\n"
	      "double free. Exits 1 if buddyinfo is not restored or the page\n"
	      "allocator's invariant checks find a problem.\n"
	      "\n",
	      f);
	machine_options_help(f);
	fputs("  --help                show this help\n", f);
}

/* Parses the options into cfg: 0 to go on, -1 after --help, or an exit
 * status. */
static int demo_parse(struct cli_args *a, struct machine_config *cfg)
{
	int ret;

	machine_config_default(cfg);
	cfg->nr_cpus = 2;
	while (!cli_args_done(a)) {
		ret = machine_option(a, cfg);
		if (ret < 0)
			return EXIT_USAGE;
		if (ret)
			continue;
		if (cli_option(a, "--help", false) ||
		    cli_option(a, "-h", false)) {
			demo_help(stdout);
			return -1;
		}
		return cli_bad_argument(a);
	}
	return 0;
}

/* mmsim demo buddy */
static int buddy_tour(int argc, char **argv)
{
	struct machine_config cfg;
	struct cli_args a;
	struct demo *d;
	bool restored;
	int ret;

	cli_args_init(&a, "mmsim demo buddy", argc, argv);
	ret = demo_parse(&a, &cfg);
	if (!ret)
		ret = cli_check_config(&a, &cfg);
	if (ret)
		return ret < 0 ? 0 : ret;
	d = calloc(1, sizeof(*d));
	if (!d)
		return 1;
	d->m = cli_boot(&a, &cfg);
	if (!d->m) {
		free(d);
		return 1;
	}
	seq_init(&d->proc);
	seq_init(&d->vmstat);
	seq_init(&d->buddyinfo);
	tour(d);
	restored = restore(d);
	misuse(d);
	machine_destroy(d->m);
	seq_release(&d->proc);
	seq_release(&d->vmstat);
	seq_release(&d->buddyinfo);
	ret = restored && !d->problems ? 0 : 1;
	free(d);
	if (ret)
		fprintf(stderr, "mmsim demo buddy: %s\n",
			restored ?
				"the page allocator's invariant checks failed" :
				"buddyinfo was not restored after freeing");
	return ret;
}

/* mmsim demo: the built-in scenario (cli/run.c); mmsim demo buddy: the
 * tour of physical memory. */
int cmd_demo(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "buddy"))
		return buddy_tour(argc - 1, argv + 1);
	return cmd_demo_story(argc, argv);
}
