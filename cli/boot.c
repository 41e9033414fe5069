/* `mmsim boot`: boots a machine, prints its kernel log and the /proc files
 * asked for with --cat. Also the pieces every booting command shares:
 * walking argv, the machine options (--ram, --nodes, --cpus, --arch,
 * --kernel-size, --slab, --reclaim, --seed, --disk, --swap, -o mmsim.NAME=VALUE,
 * -o vm.NAME=VALUE, -o kernel.NAME=VALUE) and booting with a clear error. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fs/proc/proc.h"

void cli_args_init(struct cli_args *a, const char *cmd, int argc, char **argv)
{
	a->cmd = cmd;
	a->argc = argc;
	a->argv = argv;
	a->i = 1; /* argv[0] is the subcommand */
	a->value = NULL;
}

int cli_usage_error(const struct cli_args *a, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", a->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

int cli_bad_argument(const struct cli_args *a)
{
	const char *arg = cli_arg(a);

	if (arg[0] == '-')
		return cli_usage_error(a,
				       "unknown option '%s' (try '%s --help')",
				       arg, a->cmd);
	return cli_usage_error(a, "unexpected argument '%s' (try '%s --help')",
			       arg, a->cmd);
}

/* "--name=VALUE" (or "-oVALUE" for a short option): the value, or NULL. */
static const char *attached_value(const char *arg, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(arg, name, len))
		return NULL;
	if (name[1] != '-' && arg[len])
		return arg + len;
	if (arg[len] == '=')
		return arg + len + 1;
	return NULL;
}

int cli_option(struct cli_args *a, const char *name, bool takes_value)
{
	const char *arg = cli_arg(a);

	if (takes_value && (a->value = attached_value(arg, name))) {
		a->i++;
		return 1;
	}
	if (strcmp(arg, name))
		return 0;
	a->i++;
	if (!takes_value)
		return 1;
	if (cli_args_done(a)) {
		cli_usage_error(a, "option '%s' needs a value", name);
		return -1;
	}
	a->value = a->argv[a->i++];
	return 1;
}

/* Machine options and the machine_config_set() key each one sets. */
static const struct {
	const char *option;
	const char *key;
} machine_keys[] = {
	{ "--ram", "ram" },
	{ "--nodes", "nodes" },
	{ "--cpus", "cpus" },
	{ "--arch", "arch" },
	{ "--kernel-size", "kernel-size" },
	{ "--slab", "slab" },
	{ "--reclaim", "reclaim" },
	{ "--seed", "seed" },
	{ "--disk", "disk" },
	{ "--swap", "swap" },
};

static int set_config(const struct cli_args *a, struct machine_config *cfg,
		      const char *key, const char *value)
{
	char err[256];

	if (machine_config_set(cfg, key, value, err, sizeof(err)))
		return 1;
	cli_usage_error(a, "%s", err);
	return -1;
}

/* -o vm.NAME=VALUE or kernel.NAME=VALUE. The text is split in place at
 * '=': the config may keep pointers to the key and value, and argv lives
 * as long as the run. */
static int sysctl_option(const struct cli_args *a, struct machine_config *cfg,
			 char *text)
{
	char *eq = strchr(text, '=');
	size_t dir = 0; /* length of "vm." or "kernel." */

	if (!strncmp(text, "vm.", 3))
		dir = 3;
	else if (!strncmp(text, "kernel.", 7))
		dir = 7;

	/* -o mmsim.NAME=VALUE: a machine option (la57, sv48, tlb.dtlb...). */
	if (!strncmp(text, "mmsim.", 6) && eq && eq > text + 6) {
		*eq = '\0';
		return set_config(a, cfg, text + 6, eq + 1);
	}
	if (!dir) {
		cli_usage_error(
			a,
			"-o '%s': only vm.NAME=VALUE and kernel.NAME=VALUE sysctls (or mmsim.NAME=VALUE machine options) can be set",
			text);
		return -1;
	}
	if (!eq || eq == text + dir) {
		cli_usage_error(a, "-o '%s': expected %.*sNAME=VALUE", text,
				(int)dir, text);
		return -1;
	}
	*eq = '\0';
	return set_config(a, cfg, text, eq + 1);
}

int machine_option(struct cli_args *a, struct machine_config *cfg)
{
	int ret;

	for (size_t k = 0; k < ARRAY_SIZE(machine_keys); k++) {
		ret = cli_option(a, machine_keys[k].option, true);
		if (ret == 1)
			return set_config(a, cfg, machine_keys[k].key,
					  a->value);
		if (ret < 0)
			return ret;
	}
	ret = cli_option(a, "-o", true);
	if (ret == 1)
		return sysctl_option(a, cfg, (char *)a->value);
	return ret;
}

/* The writable files under prefix (/proc/sys/vm/...), comma-separated,
 * wrapped at 80 columns under the option descriptions. */
static void list_sysctls(FILE *f, const char *prefix)
{
	const int indent = 24, width = 80;
	int col = 0;
	size_t n;
	const struct proc_entry *e = proc_entries(&n);

	for (size_t i = 0; i < n; i++) {
		const char *name;
		int len;

		if (!e[i].write || strncmp(e[i].path, prefix, strlen(prefix)))
			continue;
		name = e[i].path + strlen(prefix);
		len = (int)strlen(name);
		if (col && col + len + 2 >= width) {
			fputs(",\n", f);
			col = 0;
		} else if (col) {
			fputs(", ", f);
			col += 2;
		}
		if (!col)
			col = fprintf(f, "%*s", indent, "");
		col += fprintf(f, "%s", name);
	}
	if (col)
		fputc('\n', f);
}

void machine_options_help(FILE *f)
{
	fputs("Machine options (SIZE takes K, M, G or T, e.g. 512M, 2G):\n"
	      "  --ram SIZE            RAM, 64M..128G on x86_64, 64M..4G on i386,\n"
	      "                        64M..124G on riscv64 (default 1G)\n"
	      "  --nodes N             NUMA nodes, 1..64, at least 32M of RAM each\n"
	      "                        (default 1)\n"
	      "  --cpus N              CPUs, 1..256, spread over the nodes (default 1)\n"
	      "  --arch ARCH           x86_64 (default), i386 (HighMem above 896M) or\n"
	      "                        riscv64 (RAM from 0x80000000, Sv39 paging)\n"
	      "  --kernel-size SIZE    size of the kernel image, 1M..256M; it loads\n"
	      "                        16M into RAM (riscv64: 2M), and that offset +\n"
	      "                        SIZE must be at most 3/4 of RAM (default 32M)\n"
	      "  --slab slub|slab|slob slab allocator, as CONFIG_SLUB, CONFIG_SLAB or\n"
	      "                        CONFIG_SLOB chose it (default slub)\n"
	      "  --reclaim POLICY      reclaim policy: lru (Linux's active/inactive\n"
	      "                        LRU, the default), clock (second chance),\n"
	      "                        fifo or exact-lru (docs/reclaim-policies.md)\n"
	      "  --disk TYPE           the disk: nvme (NVMe nvme0n1, 259:0; default),\n"
	      "                        ssd or hdd (SATA sda, 8:0), or none; 16G\n"
	      "                        (docs/block-model.md gives each one's figures)\n"
	      "  --swap SIZE[:TYPE][:FILE]\n"
	      "                        a swap area, swapped on at boot (repeatable,\n"
	      "                        up to 8; priorities -2, -3, ...): SIZE 40K..1T\n"
	      "                        on a disk of its own, TYPE nvme, ssd or hdd\n"
	      "                        (default: the --disk type; nvme1n1, sdb...),\n"
	      "                        or in the host file FILE (created; its I/O\n"
	      "                        timed on the machine's disk, or on a new disk\n"
	      "                        of TYPE when given)\n"
	      "  -o mmsim.NAME=VALUE   MMU option: la57=1 (x86_64 5-level paging),\n"
	      "                        sv48=1 (riscv64 Sv48 paging), and on x86_64\n"
	      "                        pcid=0|1, gbpages=0|1 (1G direct-map pages);\n"
	      "                        tlb.ARRAY=ENTRIES:WAYS for ARRAY dtlb (64:4),\n"
	      "                        dtlb2m (32:4), dtlb1g (4:4), itlb (64:8),\n"
	      "                        itlb2m (8:8), stlb (1536:12), stlb1g (16:4)\n"
	      "  --seed N              seed of the machine's random numbers (address-\n"
	      "                        space layouts...), 0..2^64-1, decimal or 0x\n"
	      "                        hex (default 0); the same seed, the same run\n"
	      "  -o mmsim.disk.NAME=VALUE\n"
	      "                        the disk's figures over its preset:\n"
	      "                        size=SIZE (1M..16T), latency_ns=NS,\n"
	      "                        bandwidth=BYTES (per second, 1K..1T),\n"
	      "                        depth=N (requests served at once, 1..65536),\n"
	      "                        and for hdd seek_ns=NS, rotation_ns=NS\n"
	      "  -o vm.NAME=VALUE      set sysctl /proc/sys/vm/NAME after boot\n"
	      "                        (repeatable); NAME is one of:\n",
	      f);
	list_sysctls(f, "/proc/sys/vm/");
	fputs("  -o kernel.NAME=VALUE  set sysctl /proc/sys/kernel/NAME after boot;\n"
	      "                        NAME is one of:\n",
	      f);
	list_sysctls(f, "/proc/sys/kernel/");
	fputs("Options take their value as '--ram 512M' or '--ram=512M'.\n", f);
}

int cli_check_config(const struct cli_args *a, const struct machine_config *cfg)
{
	char err[256];

	if (machine_config_check(cfg, err, sizeof(err)))
		return 0;
	return cli_usage_error(a, "%s", err);
}

struct machine *cli_boot(const struct cli_args *a,
			 const struct machine_config *cfg)
{
	char err[256] = "";
	struct machine *m = machine_boot(cfg, err, sizeof(err));

	if (!m)
		fprintf(stderr, "%s: %s\n", a->cmd, err);
	return m;
}

/* What `mmsim boot` was asked to do. */
struct boot_opts {
	struct machine_config cfg;
	bool quiet;
	bool help;
	int nr_cats;
	const char **cats; /* --cat paths, in order */
};

static void boot_help(FILE *f)
{
	fputs("Usage: mmsim boot [OPTIONS]\n"
	      "\n"
	      "Boots a simulated machine, prints its kernel log (dmesg) and then\n"
	      "each /proc file given with --cat.\n"
	      "\n",
	      f);
	machine_options_help(f);
	fputs("\n"
	      "Output options:\n"
	      "  --cat PATH            print /proc file PATH after boot, e.g.\n"
	      "                        /proc/meminfo, /proc/buddyinfo (repeatable;\n"
	      "                        with several, each gets a '==> PATH <==' line)\n"
	      "  --quiet               do not print the kernel log\n"
	      "  --help                show this help\n"
	      "\n"
	      "Exit status: 0 on success, 1 when boot fails or a --cat PATH does\n"
	      "not exist (after printing everything else), 2 for bad options.\n"
	      "\n"
	      "Example: mmsim boot --ram 512M --cpus 4 --quiet --cat /proc/zoneinfo\n",
	      f);
}

/* One argument of `mmsim boot`: 0 to go on, or an exit status. */
static int boot_parse_one(struct cli_args *a, struct boot_opts *o)
{
	int ret = machine_option(a, &o->cfg);

	if (ret)
		return ret < 0 ? EXIT_USAGE : 0;
	if ((ret = cli_option(a, "--cat", true))) {
		if (ret > 0)
			o->cats[o->nr_cats++] = a->value;
		return ret < 0 ? EXIT_USAGE : 0;
	}
	if (cli_option(a, "--quiet", false) || cli_option(a, "-q", false)) {
		o->quiet = true;
		return 0;
	}
	if (cli_option(a, "--help", false) || cli_option(a, "-h", false)) {
		o->help = true;
		return 0;
	}
	return cli_bad_argument(a);
}

static int boot_parse(struct cli_args *a, struct boot_opts *o)
{
	int ret;

	machine_config_default(&o->cfg);
	while (!cli_args_done(a) && !o->help)
		if ((ret = boot_parse_one(a, o)))
			return ret;
	return 0;
}

/* Prints each --cat file; returns the exit status. */
static int print_cats(const struct cli_args *a, const struct boot_opts *o)
{
	struct seq_file s;
	int status = 0;

	seq_init(&s);
	for (int i = 0; i < o->nr_cats; i++) {
		int err;

		seq_reset(&s);
		if ((err = proc_read(o->cats[i], &s))) {
			fflush(stdout);
			fprintf(stderr, "%s: --cat %s: %s\n", a->cmd,
				o->cats[i], strerror(-err));
			status = 1;
			continue;
		}
		if (o->nr_cats > 1)
			printf("%s==> %s <==\n", i ? "\n" : "", o->cats[i]);
		fputs(seq_text(&s), stdout);
	}
	seq_release(&s);
	return status;
}

int cmd_boot(int argc, char **argv)
{
	struct cli_args a;
	struct boot_opts o = { 0 };
	struct machine *m;
	int status;

	cli_args_init(&a, "mmsim boot", argc, argv);
	o.cats = calloc((size_t)argc, sizeof(*o.cats));
	if (!o.cats)
		return 1;
	status = boot_parse(&a, &o);
	if (!status && !o.help)
		status = cli_check_config(&a, &o.cfg);
	if (!status && o.help)
		boot_help(stdout);
	if (status || o.help)
		goto out;
	m = cli_boot(&a, &o.cfg);
	if (!m) {
		status = 1;
		goto out;
	}
	if (!o.quiet)
		fputs(seq_text(&m->log), stdout);
	status = print_cats(&a, &o);
	machine_destroy(m);
out:
	free(o.cats);
	return status;
}
