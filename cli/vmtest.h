/* `mmsim vmtest`: what its parser (cli/vmtest_parse.c: lines, arguments,
 * flag names) and its runner (cli/vmtest.c: the system calls and their
 * strace-like report) share. A script is parsed whole before anything
 * runs, so a mistake anywhere is reported without running half of it. */
#ifndef MMSIM_CLI_VMTEST_H
#define MMSIM_CLI_VMTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define VT_MAX_ARGS 6
#define VT_MAX_TERMS 8

/* What an argument is, and so how it is parsed and printed. */
enum vt_kind {
	VT_NUM, /* ADDR, LEN, PID...: an expression such as $1+8K */
	VT_PROT, /* rw-, r-x or PROT_READ|PROT_WRITE */
	VT_MAP, /* MAP_PRIVATE|MAP_ANONYMOUS... */
	VT_MREMAP, /* MREMAP_MAYMOVE|MREMAP_FIXED... */
	VT_MADV, /* MADV_DONTNEED... (one value) */
	VT_MCL, /* MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT */
	VT_MLOCK, /* MLOCK_ONFAULT */
	VT_CLONE, /* CLONE_VM|CLONE_VFORK|SIGCHLD... */
	VT_ACCESS, /* r or w */
	VT_STRING, /* a word or a "quoted string" with C escapes */
	VT_PATH, /* a /proc path */
};

/* One term of an expression: a literal, or the result of an earlier
 * system call ($N, counting from 1; $last is resolved when parsed). */
struct vt_term {
	char op; /* '+' or '-' */
	int ref; /* 0: value is a literal; N: the result $N */
	unsigned long value;
};

struct vt_arg {
	enum vt_kind kind;
	int nterms; /* VT_NUM */
	struct vt_term terms[VT_MAX_TERMS];
	unsigned long flags; /* the flag kinds */
	char *str; /* VT_STRING, VT_PATH (malloc'ed) */
	size_t len;
};

struct vmtest;
struct vt_cmd;

/* A command of the script language. */
struct vt_op {
	const char *name;
	const char *usage; /* its arguments, for error messages */
	int min_args, max_args;
	enum vt_kind kinds[VT_MAX_ARGS];
	bool result; /* a system call whose value becomes $N */
	bool needs_task; /* acts as the current process, which must live */
	int (*run)(struct vmtest *vt, const struct vt_cmd *c);
};

struct vt_cmd {
	const struct vt_op *op;
	int line;
	int nargs;
	struct vt_arg args[VT_MAX_ARGS];
	int result; /* its $N, or 0 */
};

/* cli/vmtest.c: the command called name, or NULL. */
const struct vt_op *vt_find_op(const char *name);

/* Parses text (modified in place) into *cmds (vt_free_cmds() them),
 * printing "PREFIX: FILE:LINE: message" on stderr for every mistake;
 * returns the number of mistakes. */
int vt_parse(const char *prefix, const char *file, char *text,
	     struct vt_cmd **cmds, int *ncmds);
void vt_free_cmds(struct vt_cmd *cmds, int ncmds);

/* The flags of kind as strace prints them ("PROT_READ|PROT_WRITE",
 * "MAP_PRIVATE|MAP_ANONYMOUS", "MADV_DONTNEED", "0"...). */
void vt_print_flags(FILE *f, enum vt_kind kind, unsigned long v);
/* "EINVAL (Invalid argument)" for errno e. */
void vt_print_errno(FILE *f, int e);
/* Signal and si_code names: "SIGSEGV", "SEGV_MAPERR". */
const char *vt_signame(int sig);
const char *vt_si_code_name(int sig, int code);

#endif
