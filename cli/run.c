/* `mmsim run SCRIPT.lua`: runs a Lua scenario (workload/scenario.h) and
 * ends with a report a Linux user recognises: a `free`-style memory
 * summary, a `ps`-style table, the vmstat counters that changed, the
 * new kernel log lines and the virtual time. --json writes every figure,
 * --csv a sampled time series, --proc-dir a snapshot of /proc. */
#define _GNU_SOURCE /* sigabbrev_np */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/parse.h"
#include "cli/cli.h"
#include "fs/proc/proc.h"
#include "kernel/fork.h"
#include "kernel/sched/task.h"
#include "kernel/time/time.h"
#include "mm/mm.h"
#include "workload/scenario.h"

/* The meminfo and vmstat figures of the CSV time series. */
static const char *const csv_meminfo[] = {
	"MemFree", "MemAvailable", "AnonPages",	 "Mapped",	 "Shmem",
	"Slab",	   "KernelStack",  "PageTables", "Committed_AS",
};
static const char *const csv_vmstat[] = {
	"pgfault", "pgmajfault", "pswpin", "pswpout", "nr_free_pages",
};

struct run_opts {
	int argc;
	char **argv;
	const char *cmd; /* "mmsim run" or "mmsim demo" */
	const char *text; /* a built-in script's text, or NULL */
	const char *script; /* its file name */
	const char *json, *csv, *proc_dir;
	uint64_t sample_ns;
	bool quiet, help;
	bool progress; /* a progress line on stderr (a terminal) */
	FILE *csv_file;
	char *vmstat_at_boot;
	size_t log_at_boot;
	double host_start; /* for the progress line */
	double last_progress;
};

static void run_help(FILE *f, const struct run_opts *o)
{
	if (o->text)
		fputs("Usage: mmsim demo [OPTIONS]\n"
		      "       mmsim demo buddy [OPTIONS]\n"
		      "\n"
		      "Runs the built-in scenario examples/demo.lua: demand paging,\n"
		      "fork and copy-on-write, threads sharing memory, CFS sharing a\n"
		      "CPU by nice level; then the report 'mmsim run' prints. 'mmsim\n"
		      "demo buddy' is a tour of physical memory instead (see its --help).\n"
		      "\n",
		      f);
	else
		fputs("Usage: mmsim run SCRIPT.lua [OPTIONS]\n"
		      "\n"
		      "Runs a Lua scenario: the machine it describes, the processes it\n"
		      "spawns, over virtual time, then prints a report: free, ps, the vmstat\n"
		      "counters that changed, new kernel log lines, the time elapsed.\n"
		      "The scenario API is in docs/scenarios.md; examples/ has scenarios.\n"
		      "\n",
		      f);
	fputs("Machine options given here override the script's machine{}.\n\n",
	      f);
	machine_options_help(f);
	fputs("\n"
	      "Output options:\n"
	      "  --json FILE           write every meminfo and vmstat figure and each\n"
	      "                        process's figures as JSON\n"
	      "  --csv FILE            write a time series of the main meminfo and\n"
	      "                        vmstat figures (needs --sample)\n"
	      "  --sample INTERVAL     virtual time between CSV rows, e.g. 10ms\n"
	      "  --proc-dir DIR        write the /proc tree at the end into DIR\n"
	      "  --quiet               print only the report (not the script's output)\n"
	      "  --help                show this help\n"
	      "\n"
	      "Exit status: 0 on success, 1 when the script fails (after the report\n"
	      "of what ran), 2 for bad options, 130 after Ctrl-C (which stops the\n"
	      "run where it is and reports on it; a second Ctrl-C kills mmsim).\n"
	      "\n",
	      f);
	fprintf(f, "Example: %s --cpus 2 --seed 7\n",
		o->text ? "mmsim demo" : "mmsim run examples/fork-cow.lua");
}

/* ---- options ------------------------------------------------------------- */

static int run_parse_one(struct cli_args *a, struct run_opts *o,
			 struct machine_config *cfg)
{
	char err[128];
	int ret = machine_option(a, cfg);

	if (ret)
		return ret < 0 ? EXIT_USAGE : 0;
	if ((ret = cli_option(a, "--json", true)))
		o->json = a->value;
	else if ((ret = cli_option(a, "--csv", true)))
		o->csv = a->value;
	else if ((ret = cli_option(a, "--proc-dir", true)))
		o->proc_dir = a->value;
	else if ((ret = cli_option(a, "--sample", true))) {
		if (ret > 0 &&
		    !parse_duration(a->value, &o->sample_ns, err, sizeof(err)))
			return cli_usage_error(a, "--sample: %s", err);
		if (ret > 0 && !o->sample_ns)
			return cli_usage_error(a,
					       "--sample: must be more than 0");
	} else if ((ret = cli_option(a, "--quiet", false)))
		o->quiet = true;
	else if ((ret = cli_option(a, "--help", false)))
		o->help = true;
	else if (a->argv[a->i][0] != '-' && !o->script && !o->text) {
		o->script = a->argv[a->i++];
		return 0;
	} else
		return cli_bad_argument(a);
	return ret < 0 ? EXIT_USAGE : 0;
}

/* Walks the arguments; with cfg, only the machine options count (the
 * scenario applies them over machine{}). */
static int run_parse(struct run_opts *o, struct machine_config *cfg)
{
	struct cli_args a;

	cli_args_init(&a, o->cmd, o->argc, o->argv);
	while (!cli_args_done(&a)) {
		int ret = run_parse_one(&a, o, cfg);

		if (ret)
			return ret;
	}
	return 0;
}

static bool machine_overrides(struct machine_config *cfg, void *ctx, char *err,
			      size_t errlen)
{
	struct run_opts copy = *(struct run_opts *)ctx;

	if (!copy.text)
		copy.script = NULL;
	/* Checked once already: it cannot fail now. */
	if (run_parse(&copy, cfg)) {
		snprintf(err, errlen, "bad machine options");
		return false;
	}
	return true;
}

/* ---- reading /proc ------------------------------------------------------- */

static char *proc_str(const char *path)
{
	struct seq_file m;
	char *s;

	seq_init(&m);
	proc_read(path, &m);
	s = strdup(seq_text(&m));
	seq_release(&m);
	return s;
}

/* The number after "name" at a line's start in text ("Name: N kB" or
 * "name N"); 0 when absent. */
static unsigned long long field(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = text; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, name, len) && (p[len] == ':' || p[len] == ' '))
			return strtoull(p + len + 1 + strspn(p + len + 1, " "),
					NULL, 10);
	return 0;
}

/* ---- the time series ----------------------------------------------------- */

static void csv_row(struct run_opts *o, uint64_t t)
{
	char *mi = proc_str("/proc/meminfo"), *vs = proc_str("/proc/vmstat");

	fprintf(o->csv_file, "%.6f", (double)t / NSEC_PER_SEC);
	for (size_t i = 0; i < ARRAY_SIZE(csv_meminfo); i++)
		fprintf(o->csv_file, ",%llu", field(mi, csv_meminfo[i]));
	for (size_t i = 0; i < ARRAY_SIZE(csv_vmstat); i++)
		fprintf(o->csv_file, ",%llu", field(vs, csv_vmstat[i]));
	fputc('\n', o->csv_file);
	free(mi);
	free(vs);
}

static double host_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Called at boot, every --sample interval and every run slice. */
static void sample(void *ctx, uint64_t since_boot, bool row)
{
	struct run_opts *o = ctx;
	double now;

	if (!o->vmstat_at_boot) {
		o->vmstat_at_boot = proc_str("/proc/vmstat");
		o->log_at_boot = strlen(seq_text(&M->log));
		o->host_start = host_seconds();
	}
	if (row && o->csv_file)
		csv_row(o, since_boot);
	if (!o->progress)
		return;
	now = host_seconds();
	if (now - o->last_progress < 0.25)
		return;
	o->last_progress = now;
	fprintf(stderr, "\r%s: %.3f s of virtual time (%.1f s of host time)",
		o->cmd, (double)since_boot / NSEC_PER_SEC, now - o->host_start);
}

/* ---- the report ---------------------------------------------------------- */

static void print_free(FILE *f)
{
	char *mi = proc_str("/proc/meminfo");
	unsigned long long total = field(mi, "MemTotal"),
			   free_kb = field(mi, "MemFree"),
			   cache = field(mi, "Buffers") + field(mi, "Cached") +
				   field(mi, "SReclaimable"),
			   swap = field(mi, "SwapTotal"),
			   swapfree = field(mi, "SwapFree");

	fprintf(f, "%-7s %11s %11s %11s %11s %11s %11s\n", "", "total", "used",
		"free", "shared", "buff/cache", "available");
	fprintf(f, "%-7s %11llu %11llu %11llu %11llu %11llu %11llu\n",
		"Mem:", total, total - free_kb - cache, free_kb,
		field(mi, "Shmem"), cache, field(mi, "MemAvailable"));
	fprintf(f, "%-7s %11llu %11llu %11llu\n", "Swap:", swap,
		swap - swapfree, swapfree);
	free(mi);
}

/* ps's STAT: the state letter, then < (high priority), N (low), l
 * (multi-threaded). */
static void ps_stat(const struct task_struct *p, char *buf)
{
	char *s = buf;

	*s++ = task_state_to_char(p);
	if (task_nice(p) < 0)
		*s++ = '<';
	else if (task_nice(p) > 0)
		*s++ = 'N';
	if (!thread_group_empty(p))
		*s++ = 'l';
	*s = '\0';
}

static void print_time(FILE *f, uint64_t ns)
{
	fprintf(f, "%3llu:%02llu.%03llu",
		(unsigned long long)(ns / (60 * NSEC_PER_SEC)),
		(unsigned long long)(ns / NSEC_PER_SEC % 60),
		(unsigned long long)(ns / NSEC_PER_MSEC % 1000));
}

/* A process's CPU time and fault counts, of all its threads (those of
 * a reaped process stay in its signal_struct while the task is held). */
static void process_figures(struct task_struct *p, uint64_t *cpu,
			    unsigned long *minflt, unsigned long *majflt)
{
	struct task_struct *t;
	uint64_t u, s;

	thread_group_cputime(p, &u, &s);
	*cpu = u + s;
	*minflt = p->signal->min_flt;
	*majflt = p->signal->maj_flt;
	for_each_thread(p, t)
	{
		*minflt += t->min_flt;
		*majflt += t->maj_flt;
	}
}

static void print_ps(FILE *f, uint64_t now)
{
	struct task_struct *p;

	fprintf(f, "%7s %-4s %5s %9s %8s %7s %6s %9s COMMAND\n", "PID", "STAT",
		"%CPU", "VSZ", "RSS", "MINFL", "MAJFL", "TIME");
	for_each_process(p)
	{
		unsigned long minflt, majflt;
		uint64_t cpu, age = now - p->start_time;
		char stat[8];

		process_figures(p, &cpu, &minflt, &majflt);
		ps_stat(p, stat);
		fprintf(f, "%7d %-4s %5.1f %9lu %8lu %7lu %6lu ", p->pid, stat,
			age ? 100.0 * (double)cpu / (double)age : 0.0,
			p->mm ? p->mm->total_vm * (PAGE_SIZE / 1024) : 0,
			p->mm ? get_mm_rss(p->mm) * (PAGE_SIZE / 1024) : 0,
			minflt, majflt);
		print_time(f, cpu);
		fprintf(f, (p->flags & PF_KTHREAD) ? " [%s]\n" : " %s\n",
			p->comm);
	}
}

/* How an exited process ended, as a shell says it. */
static void exit_status(const struct task_struct *p, char *buf, size_t len)
{
	int code = p->exit_code;

	if (code & 0x7f)
		snprintf(buf, len, "SIG%s", sigabbrev_np(code & 0x7f));
	else
		snprintf(buf, len, "exit %d", (code >> 8) & 0xff);
}

static void print_exited(FILE *f, const struct scenario *sc)
{
	const struct scenario_proc *pr;
	size_t n;
	bool header = false;

	pr = scenario_procs(sc, &n);
	for (size_t i = 0; i < n; i++) {
		struct task_struct *p = pr[i].task;
		unsigned long minflt, majflt;
		uint64_t cpu;
		char st[24];

		if (!pr[i].exited)
			continue;
		process_figures(p, &cpu, &minflt, &majflt);
		if (!header)
			fprintf(f, "\nExited:\n%7s %-10s %7s %6s %9s COMMAND\n",
				"PID", "STATUS", "MINFL", "MAJFL", "TIME");
		header = true;
		exit_status(p, st, sizeof(st));
		fprintf(f, "%7d %-10s %7lu %6lu ", p->pid, st, minflt, majflt);
		print_time(f, cpu);
		fprintf(f, " %s\n", p->comm);
	}
}

/* Each vmstat line whose value changed since boot. */
static void print_vmstat_changes(FILE *f, const char *before)
{
	char *now = proc_str("/proc/vmstat"), *line, *save;

	fprintf(f, "\nvmstat counters that changed:\n");
	for (line = strtok_r(now, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long long v;

		if (sscanf(line, "%63s %llu", name, &v) != 2)
			continue;
		if (v != field(before, name))
			fprintf(f, "  %-28s %12llu (%+lld)\n", name, v,
				(long long)(v - field(before, name)));
	}
	free(now);
}

static void print_report(FILE *f, struct run_opts *o, struct scenario *sc)
{
	uint64_t now = M->clock_ns;
	const char *log = seq_text(&M->log) + o->log_at_boot;

	if (*log && !o->quiet)
		fprintf(f, "\nKernel log:\n%s", log);
	fprintf(f, "\nVirtual time: %.9f s\n\n",
		(double)(now - scenario_start_ns(sc)) / NSEC_PER_SEC);
	print_free(f);
	fputc('\n', f);
	print_ps(f, now);
	print_exited(f, sc);
	print_vmstat_changes(f, o->vmstat_at_boot);
}

/* ---- --json ---------------------------------------------------------------- */

/* "name": value pairs of a /proc file's "name[:] value" lines. */
static void json_fields(FILE *f, const char *path)
{
	char *text = proc_str(path), *line, *save;
	bool first = true;

	fputc('{', f);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long long v;

		if (sscanf(line, "%63[^: ]%*[: ]%llu", name, &v) != 2)
			continue;
		fprintf(f, "%s\"%s\": %llu", first ? "" : ", ", name, v);
		first = false;
	}
	fputc('}', f);
	free(text);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fprintf(f,
			(*s == '"' || *s == '\\') ? "\\%c" :
			(unsigned char)*s < 0x20  ? "\\u%04x" :
						    "%c",
			*s);
	fputc('"', f);
}

static void json_process(FILE *f, struct task_struct *p, bool exited,
			 bool first)
{
	unsigned long minflt, majflt;
	uint64_t cpu;
	char st[24];

	process_figures(p, &cpu, &minflt, &majflt);
	fprintf(f, "%s\n    {\"pid\": %d, \"comm\": ", first ? "" : ",",
		p->pid);
	json_string(f, p->comm);
	fprintf(f,
		", \"state\": \"%c\", \"kthread\": %s, \"cpu_ns\": %llu, "
		"\"minflt\": %lu, \"majflt\": %lu",
		exited ? 'X' : task_state_to_char(p),
		(p->flags & PF_KTHREAD) ? "true" : "false",
		(unsigned long long)cpu, minflt, majflt);
	if (!exited && p->mm)
		fprintf(f, ", \"vsz_kb\": %lu, \"rss_kb\": %lu",
			p->mm->total_vm * (PAGE_SIZE / 1024),
			get_mm_rss(p->mm) * (PAGE_SIZE / 1024));
	if (exited) {
		exit_status(p, st, sizeof(st));
		fprintf(f, ", \"exit\": \"%s\"", st);
	}
	fputc('}', f);
}

static int write_json(const struct run_opts *o, struct scenario *sc,
		      const char *error)
{
	FILE *f = fopen(o->json, "w");
	const struct scenario_proc *pr;
	struct task_struct *p;
	bool first = true;
	size_t n;

	if (!f) {
		fprintf(stderr, "%s: --json %s: %s\n", o->cmd, o->json,
			strerror(errno));
		return -1;
	}
	fprintf(f, "{\n  \"script\": ");
	json_string(f, o->script);
	fprintf(f, ",\n  \"error\": ");
	if (error)
		json_string(f, error);
	else
		fputs("null", f);
	fprintf(f, ",\n  \"time_ns\": %llu,\n  \"meminfo_kb\": ",
		(unsigned long long)(M->clock_ns - scenario_start_ns(sc)));
	json_fields(f, "/proc/meminfo");
	fprintf(f, ",\n  \"vmstat\": ");
	json_fields(f, "/proc/vmstat");
	fprintf(f, ",\n  \"processes\": [");
	for_each_process(p)
	{
		json_process(f, p, false, first);
		first = false;
	}
	pr = scenario_procs(sc, &n);
	for (size_t i = 0; i < n; i++)
		if (pr[i].exited) {
			json_process(f, pr[i].task, true, first);
			first = false;
		}
	fprintf(f, "\n  ]\n}\n");
	return fclose(f) ? -1 : 0;
}

/* ---- --proc-dir ------------------------------------------------------------ */

/* mkdir -p of path's directories. */
static int make_dirs(char *path)
{
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

/* Writes /proc file path as dir + path without "/proc". */
static int snapshot_file(const char *dir, const char *path)
{
	struct seq_file m;
	char out[4096];
	FILE *f;
	int ret;

	seq_init(&m);
	ret = proc_read(path, &m);
	snprintf(out, sizeof(out), "%s%s", dir, path + strlen("/proc"));
	if (!ret && !make_dirs(out) && (f = fopen(out, "w"))) {
		fputs(seq_text(&m), f);
		ret = fclose(f) ? -1 : 0;
	} else if (!ret) {
		ret = -1;
	} else {
		/* nothing to show (a kernel thread's smaps_rollup), or no text
		 * (clear_refs is write-only, pagemap binary): no file */
		ret = 0;
	}
	seq_release(&m);
	return ret;
}

static int write_proc_dir(const struct run_opts *o)
{
	const char *dir = o->proc_dir;
	const char *file;
	const struct proc_entry *e;
	struct task_struct *p;
	char path[64];
	size_t n;
	int ret = 0;

	e = proc_entries(&n);
	for (size_t i = 0; i < n; i++)
		if (!strncmp(e[i].path, "/proc/", 6))
			ret |= snapshot_file(dir, e[i].path);
	for_each_process(p) for (size_t i = 0; (file = proc_pid_file_name(i));
				 i++)
	{
		snprintf(path, sizeof(path), "/proc/%d/%s", p->pid, file);
		ret |= snapshot_file(dir, path);
	}
	if (ret)
		fprintf(stderr, "%s: --proc-dir %s: %s\n", o->cmd, dir,
			strerror(errno));
	return ret;
}

/* ---- the command ----------------------------------------------------------- */

static int open_csv(struct run_opts *o)
{
	o->csv_file = fopen(o->csv, "w");
	if (!o->csv_file) {
		fprintf(stderr, "%s: --csv %s: %s\n", o->cmd, o->csv,
			strerror(errno));
		return -1;
	}
	fputs("time_s", o->csv_file);
	for (size_t i = 0; i < ARRAY_SIZE(csv_meminfo); i++)
		fprintf(o->csv_file, ",%s_kb", csv_meminfo[i]);
	for (size_t i = 0; i < ARRAY_SIZE(csv_vmstat); i++)
		fprintf(o->csv_file, ",%s", csv_vmstat[i]);
	fputc('\n', o->csv_file);
	return 0;
}

/* The outputs after the run: report, JSON, /proc; 0 or 1. */
static int finish(struct run_opts *o, struct scenario *sc, const char *error)
{
	int status = error ? 1 : 0;

	if (o->progress)
		fputc('\n', stderr);
	if (error)
		fprintf(stderr, "%s: %s\n", o->cmd, error);
	if (!scenario_machine(sc))
		return status;
	print_report(stdout, o, sc);
	if (o->json && write_json(o, sc, error))
		status = 1;
	if (o->proc_dir && write_proc_dir(o))
		status = 1;
	if (o->csv_file && fclose(o->csv_file))
		status = 1;
	o->csv_file = NULL;
	return status;
}

/* Ctrl-C: the run stops where it is and reports (a second one kills). */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void catch_sigint(void)
{
	struct sigaction sa = { .sa_handler = on_sigint,
				.sa_flags = SA_RESETHAND };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/* mmsim run and mmsim demo: o holds the arguments and the script. */
static int run_main(struct run_opts *o)
{
	struct machine_config check;
	struct scenario_config cfg = { 0 };
	struct scenario *sc;
	char err[1024];
	int status;

	machine_config_default(&check);
	status = run_parse(o, &check);
	if (status)
		return status;
	if (o->help) {
		run_help(stdout, o);
		return 0;
	}
	if (!o->script) {
		fprintf(stderr, "%s: no script given (try '%s --help')\n",
			o->cmd, o->cmd);
		return EXIT_USAGE;
	}
	if (!!o->csv != !!o->sample_ns) {
		fprintf(stderr, "%s: --csv and --sample go together\n", o->cmd);
		return EXIT_USAGE;
	}
	if (o->csv && open_csv(o))
		return 1;
	o->progress = !o->quiet && isatty(STDERR_FILENO);
	cfg = (struct scenario_config){
		.machine_overrides = machine_overrides,
		.ctx = o,
		.out = o->quiet ? NULL : stdout,
		.sample_ns = o->sample_ns,
		.sample = sample,
		.interrupt = &interrupted,
	};
	catch_sigint();
	sc = scenario_new(&cfg);
	if (!sc) {
		fprintf(stderr, "%s: out of host memory\n", o->cmd);
		return 1;
	}
	if (o->text)
		status = scenario_run_string(sc, o->script, o->text, err,
					     sizeof(err));
	else
		status = scenario_run_file(sc, o->script, err, sizeof(err));
	status = finish(o, sc, status ? err : NULL);
	if (interrupted)
		status = 128 + SIGINT;
	free(o->vmstat_at_boot);
	scenario_free(sc);
	return status;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .argc = argc, .argv = argv, .cmd = "mmsim run" };

	return run_main(&o);
}

extern const char demo_lua[]; /* examples/demo.lua, built in */

int cmd_demo_story(int argc, char **argv)
{
	struct run_opts o = { .argc = argc,
			      .argv = argv,
			      .cmd = "mmsim demo",
			      .text = demo_lua,
			      .script = "examples/demo.lua" };

	return run_main(&o);
}
