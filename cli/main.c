/* The mmsim command: dispatches `mmsim COMMAND ...` to the subcommand,
 * and answers --help and --version. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run,
	  "run a Lua scenario and report on it (free, ps, vmstat)" },
	{ "boot", cmd_boot,
	  "boot a machine, print its kernel log and /proc files" },
	{ "demo", cmd_demo,
	  "the built-in scenario: paging, COW, threads, CFS (and 'demo buddy')" },
	{ "bench", cmd_bench,
	  "run benchmarks (ratios against an in-run reference)" },
	{ "slabtop", cmd_slabtop,
	  "boot a machine and print its slab caches, as slabtop -o" },
	{ "vmtest", cmd_vmtest,
	  "run a script of memory system calls as a process, strace-style" },
};

static void usage(FILE *f)
{
	fputs("Usage: mmsim COMMAND [OPTIONS]\n"
	      "       mmsim --help | --version\n"
	      "\n"
	      "mmsim simulates Linux's memory management in user space: it boots\n"
	      "a simulated machine whose kernel keeps Linux's data structures,\n"
	      "algorithms and /proc files.\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s%s\n", commands[i].name, commands[i].summary);
	fputs("\nRun 'mmsim COMMAND --help' for details.\n", f);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Output lost to a full disk or closed pipe must not pass as success. */
static int close_stdout(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		perror("mmsim: error writing output");
		return status ? status : 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return close_stdout(0);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("mmsim " MMSIM_VERSION
		       " (models Linux " MMSIM_LINUX_VERSION
		       " memory management)\n");
		return close_stdout(0);
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr,
			"mmsim: unknown command '%s' (try 'mmsim --help')\n",
			argv[1]);
		return EXIT_USAGE;
	}
	return close_stdout(cmd->run(argc - 1, argv + 1));
}
