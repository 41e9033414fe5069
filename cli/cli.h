/* The mmsim command's subcommands and the helpers they share: walking a
 * subcommand's argv, the machine options every command that boots a
 * machine accepts (--ram, --nodes, ..., -o vm.NAME=VALUE), and booting. */
#ifndef MMSIM_CLI_CLI_H
#define MMSIM_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "base/kernel.h"
#include "mmsim/mmsim.h"

/* Exit status for bad command-line input (status 1 is a failed run). */
#define EXIT_USAGE 2

/* Subcommands: argv[0] is the subcommand's name; they return the exit
 * status. cmd_bench lives in cli/bench.c. */
int cmd_boot(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_slabtop(int argc, char **argv); /* cli/slabtop.c */
int cmd_vmtest(int argc, char **argv); /* cli/vmtest.c */
int cmd_run(int argc, char **argv); /* cli/run.c */
int cmd_demo_story(int argc, char **argv); /* cli/run.c: mmsim demo */

/* A walk over one subcommand's arguments. */
struct cli_args {
	const char *cmd; /* e.g. "mmsim boot": the prefix of every message */
	int argc;
	char **argv;
	int i; /* index of the argument being looked at */
	const char *value; /* value of the option cli_option() last matched */
};

void cli_args_init(struct cli_args *a, const char *cmd, int argc, char **argv);

static inline bool cli_args_done(const struct cli_args *a)
{
	return a->i >= a->argc;
}

static inline const char *cli_arg(const struct cli_args *a)
{
	return a->argv[a->i];
}

/* Matches the current argument against option name ("--ram", "-o").
 * Options with a value accept "--name VALUE" and "--name=VALUE" (short
 * options "-o VALUE" and "-oVALUE"). Returns 1 and moves past it when it
 * matches (its value in a->value), 0 when it does not, and -1 after
 * printing an error when the value is missing. */
int cli_option(struct cli_args *a, const char *name, bool takes_value);

/* Prints "CMD: message" on stderr and returns EXIT_USAGE. */
__printf(2, 3) int cli_usage_error(const struct cli_args *a, const char *fmt,
				   ...);
/* The error for an argument no option matched. */
int cli_bad_argument(const struct cli_args *a);

/* Machine options (cli/boot.c). Consumes the current argument when it is
 * one and applies it to cfg: returns 1 when consumed, 0 when it is not a
 * machine option, -1 after printing an error (exit with EXIT_USAGE). */
int machine_option(struct cli_args *a, struct machine_config *cfg);
/* Describes the machine options and their accepted ranges. */
void machine_options_help(FILE *f);
/* Checks limits involving several machine options: 0, or EXIT_USAGE after
 * printing "CMD: error". */
int cli_check_config(const struct cli_args *a,
		     const struct machine_config *cfg);
/* Boots cfg, or prints "CMD: error" and returns NULL. */
struct machine *cli_boot(const struct cli_args *a,
			 const struct machine_config *cfg);

#endif
