/* Lua 5.4 scenarios (workload/lua.c): a script describes a machine and
 * the processes that run on it; each simulated thread's body is a Lua
 * function run as a coroutine, calling the kernel's system calls as its
 * process. The API a script sees is documented in docs/scenarios.md. */
#ifndef MMSIM_WORKLOAD_SCENARIO_H
#define MMSIM_WORKLOAD_SCENARIO_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/machine.h"

struct scenario;
struct task_struct;

struct scenario_config {
	/* Called on the config a script's machine{} built (or the
	 * defaults): the command line's machine options go on top. false
	 * with err filled in rejects them. */
	bool (*machine_overrides)(struct machine_config *cfg, void *ctx,
				  char *err, size_t errlen);
	void *ctx;
	FILE *out; /* the script's print() and messages; NULL: silent */
	/* Called with row set at boot and every sample_ns of virtual time
	 * (0: only at boot), and with row clear after every slice of a run
	 * (for a progress line); since_boot is the virtual time. */
	uint64_t sample_ns;
	void (*sample)(void *ctx, uint64_t since_boot, bool row);
	/* When *interrupt turns non-zero (a signal handler sets it), the run
	 * stops as at an error, "interrupted at T s"; NULL: never. */
	volatile sig_atomic_t *interrupt;
};

/* What a scenario knows of a process it started (spawn, fork, clone's
 * process) for its report, alive or not. */
struct scenario_proc {
	struct task_struct *task; /* referenced: readable after the end */
	bool exited;
};

struct scenario *scenario_new(const struct scenario_config *cfg);
/* Runs the script at path: its top level, then the machine until every
 * process it started has ended (or nothing can wake them). 0, or -1
 * with err holding "FILE:LINE: message" (the machine, if booted, stays
 * as the run left it, for the report). */
int scenario_run_file(struct scenario *sc, const char *path, char *err,
		      size_t errlen);
/* The same for a script given as text; name stands for its file in
 * error messages. */
int scenario_run_string(struct scenario *sc, const char *name, const char *text,
			char *err, size_t errlen);
/* The booted machine (current), or NULL if the script never booted one. */
struct machine *scenario_machine(const struct scenario *sc);
/* The virtual time when the machine booted (ns). */
uint64_t scenario_start_ns(const struct scenario *sc);
/* The processes the script started, in order. */
const struct scenario_proc *scenario_procs(const struct scenario *sc,
					   size_t *n);
/* Frees the script state and the machine. */
void scenario_free(struct scenario *sc);

#endif
