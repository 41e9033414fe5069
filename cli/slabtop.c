/* `mmsim slabtop [machine options] [--sort size|objs|name]`: boots a
 * machine and prints what procps's `slabtop -o` would show of it: totals
 * over /proc/slabinfo, then one line per cache, biggest caches first.
 * The numbers come from parsing /proc/slabinfo, as procps does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fs/proc/proc.h"
#include "mm/mm_types.h"

#define NAME_LEN 128 /* procps's SLABINFO_NAME_LEN */

/* One /proc/slabinfo line, as procps's struct slabs_node. */
struct slab_row {
	char name[NAME_LEN + 1];
	unsigned int active_objs, num_objs, obj_size, objs_per_slab;
	unsigned int pages_per_slab, active_slabs, num_slabs;
	unsigned int use; /* percent of objects active */
	unsigned long cache_size; /* bytes of the slabs */
};

enum sort_key { SORT_SIZE, SORT_OBJS, SORT_NAME };

struct slabtop_opts {
	struct machine_config cfg;
	enum sort_key sort;
	bool help;
};

/* ---- reading /proc/slabinfo ------------------------------------------- */

static bool parse_row(const char *line, struct slab_row *r)
{
	if (sscanf(line,
		   "%128s %u %u %u %u %u : tunables %*u %*u %*u : slabdata %u %u %*u",
		   r->name, &r->active_objs, &r->num_objs, &r->obj_size,
		   &r->objs_per_slab, &r->pages_per_slab, &r->active_slabs,
		   &r->num_slabs) < 8)
		return false;
	r->cache_size =
		(unsigned long)r->num_slabs * r->pages_per_slab * PAGE_SIZE;
	r->use = r->num_objs ? (unsigned int)(100 * ((float)r->active_objs /
						     r->num_objs)) :
			       0;
	return true;
}

/* The caches of a /proc/slabinfo text (version 2.x) into *rows (free()
 * it); the number of rows, or -1 if the text is not slabinfo 2.x. */
static long parse_slabinfo(const char *text, struct slab_row **rows)
{
	size_t n = 0, cap = 0;
	const char *line = text;
	int major, minor;

	*rows = NULL;
	if (sscanf(text, "slabinfo - version: %d.%d", &major, &minor) != 2 ||
	    major != 2)
		return -1;
	while ((line = strchr(line, '\n')) && *++line) {
		if (*line == '#')
			continue;
		if (n == cap) {
			struct slab_row *nr;

			cap = cap ? 2 * cap : 64;
			nr = realloc(*rows, cap * sizeof(**rows));
			if (!nr)
				return -1;
			*rows = nr;
		}
		if (!parse_row(line, &(*rows)[n]))
			return -1;
		n++;
	}
	return (long)n;
}

/* ---- sorting -------------------------------------------------------------- */

/* Whether a goes before b: bigger first (name: A to Z). */
static bool row_before(const struct slab_row *a, const struct slab_row *b,
		       enum sort_key key)
{
	if (key == SORT_SIZE)
		return a->cache_size > b->cache_size;
	if (key == SORT_OBJS)
		return a->num_objs > b->num_objs;
	return strcmp(a->name, b->name) < 0;
}

/* A stable insertion sort (a few dozen caches): ties keep the order of
 * /proc/slabinfo. */
static void sort_rows(struct slab_row *r, size_t n, enum sort_key key)
{
	for (size_t i = 1; i < n; i++) {
		struct slab_row t = r[i];
		size_t j = i;

		for (; j > 0 && row_before(&t, &r[j - 1], key); j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
}

/* ---- printing (procps slabtop's print_summary and print_details) ------- */

static double percent(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0.0;
}

static void print_summary(FILE *f, const struct slab_row *r, size_t n)
{
	unsigned int objs = 0, aobjs = 0, slabs = 0, aslabs = 0, acaches = 0;
	unsigned int lo = n ? ~0u : 0, hi = 0, avg = 0;
	unsigned long total = 0, active = 0;

	for (size_t i = 0; i < n; i++) {
		objs += r[i].num_objs;
		aobjs += r[i].active_objs;
		slabs += r[i].num_slabs;
		aslabs += r[i].active_slabs;
		acaches += r[i].num_objs != 0;
		total += (unsigned long)r[i].num_objs * r[i].obj_size;
		active += (unsigned long)r[i].active_objs * r[i].obj_size;
		lo = min(lo, r[i].obj_size);
		hi = max(hi, r[i].obj_size);
	}
	if (objs)
		avg = (unsigned int)(total / objs);
	fprintf(f, " %-35s: %u / %u (%.1f%%)\n",
		"Active / Total Objects (% used)", aobjs, objs,
		percent(aobjs, objs));
	fprintf(f, " %-35s: %u / %u (%.1f%%)\n",
		"Active / Total Slabs (% used)", aslabs, slabs,
		percent(aslabs, slabs));
	fprintf(f, " %-35s: %u / %u (%.1f%%)\n",
		"Active / Total Caches (% used)", acaches, (unsigned int)n,
		percent(acaches, (double)n));
	fprintf(f, " %-35s: %.2fK / %.2fK (%.1f%%)\n",
		"Active / Total Size (% used)", active / 1024.0, total / 1024.0,
		percent((double)active, (double)total));
	fprintf(f, " %-35s: %.2fK / %.2fK / %.2fK\n\n",
		"Minimum / Average / Maximum Object", lo / 1024.0, avg / 1024.0,
		hi / 1024.0);
}

static void print_rows(FILE *f, const struct slab_row *r, size_t n)
{
	fprintf(f, "%-78s\n",
		"  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%6u %6u %3u%% %7.2fK %6u %8u %9luK %-23s\n",
			r[i].num_objs, r[i].active_objs, r[i].use,
			r[i].obj_size / 1024.0, r[i].num_slabs,
			r[i].objs_per_slab, r[i].cache_size / 1024, r[i].name);
}

/* ---- the command ------------------------------------------------------------ */

static void slabtop_help(FILE *f)
{
	fputs("Usage: mmsim slabtop [OPTIONS]\n"
	      "\n"
	      "Boots a simulated machine and prints its slab caches as procps's\n"
	      "'slabtop -o' would: totals over /proc/slabinfo, then one line per\n"
	      "cache (objects, active objects, percent used, object size, slabs,\n"
	      "objects per slab, cache size, name).\n"
	      "\n",
	      f);
	machine_options_help(f);
	fputs("\n"
	      "Output options:\n"
	      "  --sort KEY            order of the caches: size (cache size, the\n"
	      "                        default), objs (number of objects) or name;\n"
	      "                        also procps's letters c, o and n\n"
	      "  --help                show this help\n"
	      "\n"
	      "Exit status: 0 on success, 1 when the machine does not boot or has\n"
	      "no /proc/slabinfo (--slab slob), 2 for bad options.\n"
	      "\n"
	      "Example: mmsim slabtop --cpus 4 --sort objs\n",
	      f);
}

static int parse_sort(const struct cli_args *a, const char *v,
		      enum sort_key *key)
{
	static const struct {
		const char *word, *letter;
		enum sort_key key;
	} keys[] = { { "size", "c", SORT_SIZE },
		     { "objs", "o", SORT_OBJS },
		     { "name", "n", SORT_NAME } };

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(v, keys[i].word) || !strcmp(v, keys[i].letter)) {
			*key = keys[i].key;
			return 0;
		}
	return cli_usage_error(
		a, "--sort %s: unknown key (accepted: size, objs, name)", v);
}

/* One argument: 0 to go on, or an exit status. */
static int slabtop_parse_one(struct cli_args *a, struct slabtop_opts *o)
{
	int ret = machine_option(a, &o->cfg);

	if (ret)
		return ret < 0 ? EXIT_USAGE : 0;
	if ((ret = cli_option(a, "--sort", true)))
		return ret < 0 ? EXIT_USAGE : parse_sort(a, a->value, &o->sort);
	if (cli_option(a, "--help", false) || cli_option(a, "-h", false)) {
		o->help = true;
		return 0;
	}
	return cli_bad_argument(a);
}

/* Prints the report of the current machine; returns the exit status. */
static int slabtop_report(const struct cli_args *a, enum sort_key key)
{
	struct slab_row *rows = NULL;
	struct seq_file s;
	long n;

	seq_init(&s);
	if (proc_read("/proc/slabinfo", &s) == -ENOENT) {
		fprintf(stderr,
			"%s: /proc/slabinfo: No such file or directory\n",
			a->cmd);
		seq_release(&s);
		return 1;
	}
	n = parse_slabinfo(seq_text(&s), &rows);
	seq_release(&s);
	if (n < 0) {
		fprintf(stderr, "%s: cannot parse /proc/slabinfo\n", a->cmd);
		free(rows);
		return 1;
	}
	sort_rows(rows, (size_t)n, key);
	print_summary(stdout, rows, (size_t)n);
	print_rows(stdout, rows, (size_t)n);
	free(rows);
	return 0;
}

int cmd_slabtop(int argc, char **argv)
{
	struct slabtop_opts o = { .sort = SORT_SIZE };
	struct cli_args a;
	struct machine *m;
	int status = 0;

	cli_args_init(&a, "mmsim slabtop", argc, argv);
	machine_config_default(&o.cfg);
	while (!status && !cli_args_done(&a) && !o.help)
		status = slabtop_parse_one(&a, &o);
	if (status)
		return status;
	if (o.help) {
		slabtop_help(stdout);
		return 0;
	}
	if ((status = cli_check_config(&a, &o.cfg)))
		return status;
	m = cli_boot(&a, &o.cfg);
	if (!m)
		return 1;
	status = slabtop_report(&a, o.sort);
	machine_destroy(m);
	return status;
}
