/* `mmsim vmtest [machine options] FILE`: boots a machine, starts one
 * process (pid 1, "vmtest") and runs a script of system calls and
 * memory accesses as that process (or others it forks), printing each
 * call and its result as strace does, the signal a bad access raises,
 * and any /proc file asked for with `cat`. FILE '-' is stdin. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/vmtest.h"
#include "fs/binfmts.h"
#include "fs/proc/proc.h"
#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/syscalls.h"
#include "mm/vma.h"

#define VT_PREFIX "mmsim vmtest"
#define MAX_READ 65536 /* bytes a `read` may dump */
#define MINCORE_SHOWN 32 /* vector entries strace shows */

struct vmtest {
	const char *file; /* as errors name it */
	pid_t pid; /* the process commands act as */
	bool forked; /* lines get "[pid N] " once there are several */
	long *results; /* results[N] is $N */
	int status; /* exit status so far */
	size_t log_mark; /* kernel log shown up to here */
	const struct vt_cmd *cmd; /* the command running */
};

/* ---- reporting ------------------------------------------------------------- */

__printf(2, 3) static int vt_error(struct vmtest *vt, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, VT_PREFIX ": %s:%d: ", vt->file, vt->cmd->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* The start of a line of the trace: "[pid N] " once there are several
 * processes, as strace -f prints it. */
static void line_start(const struct vmtest *vt)
{
	if (vt->forked)
		printf("[pid %d] ", vt->pid);
}

/* strace's printaddr(). */
static void print_addr(unsigned long a)
{
	if (a)
		printf("%#lx", a);
	else
		fputs("NULL", stdout);
}

/* " = value\n", or " = -1 ENAME (text)\n" for an error. */
static void print_ret(long r, bool hex)
{
	fputs(" = ", stdout);
	if (IS_ERR_VALUE(r)) {
		fputs("-1 ", stdout);
		vt_print_errno(stdout, (int)-r);
	} else if (hex) {
		printf("%#lx", (unsigned long)r);
	} else {
		printf("%ld", r);
	}
	putchar('\n');
}

static void print_flags(enum vt_kind kind, unsigned long v)
{
	vt_print_flags(stdout, kind, v);
}

/* ---- arguments -------------------------------------------------------------- */

static unsigned long eval(const struct vmtest *vt, const struct vt_arg *a)
{
	unsigned long v = 0;

	for (int i = 0; i < a->nterms; i++) {
		const struct vt_term *t = &a->terms[i];
		unsigned long x = t->ref ? (unsigned long)vt->results[t->ref] :
					   t->value;

		v = t->op == '-' ? v - x : v + x;
	}
	return v;
}

/* Argument i of the running command, evaluated. */
static unsigned long arg(const struct vmtest *vt, int i)
{
	return eval(vt, &vt->cmd->args[i]);
}

static unsigned long flags_arg(const struct vmtest *vt, int i,
			       unsigned long dflt)
{
	return i < vt->cmd->nargs ? vt->cmd->args[i].flags : dflt;
}

static void set_result(struct vmtest *vt, long r)
{
	vt->results[vt->cmd->result] = r;
}

/* ---- processes --------------------------------------------------------------- */

/* Why t cannot act as the process of the commands, or NULL when it
 * can: it must be a user process that runs (set_current_task() takes
 * no other). */
static const char *cannot_act(const struct task_struct *t)
{
	if (!t)
		return "has exited";
	if (t->flags & PF_KTHREAD)
		return "is a kernel thread";
	if (t->exit_state || (t->flags & PF_EXITING) || !t->mm)
		return "has exited";
	if (t->__state != TASK_RUNNING)
		return "is asleep (as a vfork parent is until its child exits)";
	return NULL;
}

/* Makes the acting process current, or reports why it cannot act. */
static int enter_task(struct vmtest *vt)
{
	struct task_struct *t = find_task_by_vpid(vt->pid);
	const char *why = cannot_act(t);

	if (why)
		return vt_error(vt, "%s: process %d %s (use 'switch PID')",
				vt->cmd->op->name, vt->pid, why);
	set_current_task(t);
	return 0;
}

/* kernel/exit.c (declared by kernel/fork.h once fork is merged). */
void do_group_exit(int exit_code);

/* A fatal fault: strace's signal line, then the process dies of it as
 * get_signal() would have it (no core: RLIMIT_CORE is 0). */
static void kill_by_fault(struct vmtest *vt)
{
	struct fault_signal fs = current->fault_sig;
	int sig = fs.signo ? fs.signo : SIGSEGV;
	const char *name = vt_signame(sig);
	const char *code = vt_si_code_name(sig, fs.code);

	if (sig != SIGKILL) {
		line_start(vt);
		printf("--- %s {si_signo=%s, si_code=", name, name);
		if (code)
			fputs(code, stdout);
		else
			printf("%d", fs.code);
		fputs(", si_addr=", stdout);
		print_addr(fs.addr);
		puts("} ---");
	}
	line_start(vt);
	printf("+++ killed by %s +++\n", name);
	current->flags |= PF_SIGNALED;
	do_group_exit(sig);
}

static void print_faults(unsigned long min_flt, unsigned long maj_flt)
{
	unsigned long n = min_flt + maj_flt;

	printf(": %lu page fault%s", n, n == 1 ? "" : "s");
	if (maj_flt)
		printf(" (%lu major)", maj_flt);
	putchar('\n');
}

/* A user-mode access by the process; prints the faults it took and a
 * fatal signal. buf is NULL to touch without data. */
static int access_user(struct vmtest *vt, unsigned long addr, void *buf,
		       size_t len, bool write)
{
	unsigned long min_flt = current->min_flt, maj_flt = current->maj_flt;
	int r = user_access(addr, buf, len, write);

	print_faults(current->min_flt - min_flt, current->maj_flt - maj_flt);
	if (r)
		kill_by_fault(vt);
	return r;
}

/* ---- memory system calls ------------------------------------------------------ */

static int run_mmap(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), len = arg(vt, 1);
	unsigned long fd = c->nargs > 4 ? arg(vt, 4) : -1UL;
	unsigned long off = c->nargs > 5 ? arg(vt, 5) : 0;
	long r = sys_mmap(addr, len, c->args[2].flags, c->args[3].flags, fd,
			  off);

	line_start(vt);
	fputs("mmap(", stdout);
	print_addr(addr);
	printf(", %lu, ", len);
	print_flags(VT_PROT, c->args[2].flags);
	fputs(", ", stdout);
	print_flags(VT_MAP, c->args[3].flags);
	printf(", %d, %#lx)", (int)fd, off);
	print_ret(r, true);
	set_result(vt, r);
	return 0;
}

/* NAME(ADDR, LEN) and the like: the address and length every range
 * call starts with. */
static void print_range_call(const struct vmtest *vt, const char *name,
			     unsigned long addr, unsigned long len)
{
	line_start(vt);
	printf("%s(", name);
	print_addr(addr);
	printf(", %lu", len);
}

static int run_munmap(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), len = arg(vt, 1);
	long r = sys_munmap(addr, len);

	(void)c;
	print_range_call(vt, "munmap", addr, len);
	putchar(')');
	print_ret(r, false);
	set_result(vt, r);
	return 0;
}

static int run_mprotect(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), len = arg(vt, 1);
	long r = sys_mprotect(addr, len, c->args[2].flags);

	print_range_call(vt, "mprotect", addr, len);
	fputs(", ", stdout);
	print_flags(VT_PROT, c->args[2].flags);
	putchar(')');
	print_ret(r, false);
	set_result(vt, r);
	return 0;
}

static int run_mremap(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), old_len = arg(vt, 1);
	unsigned long new_len = arg(vt, 2), flags = c->args[3].flags;
	unsigned long new_addr = c->nargs > 4 ? arg(vt, 4) : 0;
	long r = sys_mremap(addr, old_len, new_len, flags, new_addr);

	print_range_call(vt, "mremap", addr, old_len);
	printf(", %lu, ", new_len);
	print_flags(VT_MREMAP, flags);
	if (flags & MREMAP_FIXED) {
		fputs(", ", stdout);
		print_addr(new_addr);
	}
	putchar(')');
	print_ret(r, true);
	set_result(vt, r);
	return 0;
}

static int run_brk(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0);
	long r = sys_brk(addr);

	(void)c;
	line_start(vt);
	fputs("brk(", stdout);
	print_addr(addr);
	putchar(')');
	print_ret(r, true);
	set_result(vt, r);
	return 0;
}

static int run_madvise(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), len = arg(vt, 1);
	long r = sys_madvise(addr, len, (int)c->args[2].flags);

	print_range_call(vt, "madvise", addr, len);
	fputs(", ", stdout);
	print_flags(VT_MADV, c->args[2].flags);
	putchar(')');
	print_ret(r, false);
	set_result(vt, r);
	return 0;
}

/* mlock ADDR LEN, or mlock2 with MLOCK_ONFAULT given. */
static int run_mlock(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), len = arg(vt, 1);
	bool two = c->nargs > 2;
	long r = two ? sys_mlock2(addr, len, (int)c->args[2].flags) :
		       sys_mlock(addr, len);

	print_range_call(vt, two ? "mlock2" : "mlock", addr, len);
	if (two) {
		fputs(", ", stdout);
		print_flags(VT_MLOCK, c->args[2].flags);
	}
	putchar(')');
	print_ret(r, false);
	set_result(vt, r);
	return 0;
}

static int run_munlock(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), len = arg(vt, 1);
	long r = sys_munlock(addr, len);

	(void)c;
	print_range_call(vt, "munlock", addr, len);
	putchar(')');
	print_ret(r, false);
	set_result(vt, r);
	return 0;
}

static int run_mlockall(struct vmtest *vt, const struct vt_cmd *c)
{
	long r = sys_mlockall((int)c->args[0].flags);

	line_start(vt);
	fputs("mlockall(", stdout);
	print_flags(VT_MCL, c->args[0].flags);
	putchar(')');
	print_ret(r, false);
	set_result(vt, r);
	return 0;
}

static int run_munlockall(struct vmtest *vt, const struct vt_cmd *c)
{
	long r = sys_munlockall();

	(void)c;
	line_start(vt);
	fputs("munlockall()", stdout);
	print_ret(r, false);
	set_result(vt, r);
	return 0;
}

/* ---- mincore: its vector lives on the process's stack ------------------------ */

struct mincore_vec {
	unsigned long addr, room; /* user buffer below the stack pointer */
	unsigned char shown[MINCORE_SHOWN];
	unsigned long pages;
};

/* Room below the initial stack pointer, as a program's local array
 * would be: the rest of its page, or the page below too. */
static void mincore_buffer(struct mincore_vec *v)
{
	unsigned long sp = current->mm->start_stack;

	v->addr = sp & PAGE_MASK;
	v->room = (sp - v->addr) & ~15UL;
	if (v->room < 256) {
		v->addr -= PAGE_SIZE;
		v->room += PAGE_SIZE;
	}
}

/* sys_mincore over [start, start + len) in pieces that fit the buffer. */
static long do_mincore(struct mincore_vec *v, unsigned long start,
		       unsigned long len)
{
	unsigned long done = 0;

	v->pages = DIV_ROUND_UP(len, PAGE_SIZE);
	if (!len || start + len < start || start + len > TASK_SIZE ||
	    (start & ~PAGE_MASK))
		return sys_mincore(start, len, v->addr); /* its own error */
	while (done < v->pages) {
		unsigned long n = min(v->pages - done, v->room);
		unsigned long bytes =
			min(n * PAGE_SIZE, len - done * PAGE_SIZE);
		unsigned char buf[4096 + 256];
		long r = sys_mincore(start + done * PAGE_SIZE, bytes, v->addr);

		if (r)
			return r;
		if (copy_from_user(buf, v->addr, n))
			return -EFAULT;
		for (unsigned long i = 0; i < n && done + i < MINCORE_SHOWN;
		     i++)
			v->shown[done + i] = buf[i];
		done += n;
	}
	return 0;
}

static void print_mincore_vec(const struct mincore_vec *v)
{
	putchar('[');
	for (unsigned long i = 0; i < v->pages; i++) {
		if (i)
			fputs(", ", stdout);
		if (i == MINCORE_SHOWN) {
			fputs("...", stdout);
			break;
		}
		putchar(v->shown[i] & 1 ? '1' : '0');
	}
	putchar(']');
}

static int run_mincore(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), len = arg(vt, 1);
	struct mincore_vec v = { 0 };
	long r;

	(void)c;
	mincore_buffer(&v);
	r = do_mincore(&v, addr, len);
	print_range_call(vt, "mincore", addr, len);
	fputs(", ", stdout);
	if (r)
		print_addr(v.addr);
	else
		print_mincore_vec(&v);
	putchar(')');
	print_ret(r, false);
	set_result(vt, r);
	return 0;
}

/* ---- memory accesses ---------------------------------------------------------- */

static int run_touch(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), len = arg(vt, 1);
	bool write = flags_arg(vt, 2, 1);

	line_start(vt);
	printf("touch %#lx %lu %c", addr, len, write ? 'w' : 'r');
	(void)c;
	access_user(vt, addr, NULL, len, write);
	return 0;
}

/* hexdump -C's lines, with the user addresses. */
static void hexdump(unsigned long addr, const unsigned char *p, size_t len)
{
	for (size_t off = 0; off < len; off += 16) {
		printf("%08lx ", addr + off);
		for (size_t i = 0; i < 16; i++) {
			if (i == 8)
				putchar(' ');
			if (off + i < len)
				printf(" %02x", p[off + i]);
			else
				fputs("   ", stdout);
		}
		fputs("  |", stdout);
		for (size_t i = 0; i < 16 && off + i < len; i++)
			putchar(p[off + i] >= 0x20 && p[off + i] < 0x7f ?
					p[off + i] :
					'.');
		puts("|");
	}
}

static int run_read(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0), len = arg(vt, 1);
	unsigned char *buf;

	(void)c;
	if (len > MAX_READ)
		return vt_error(
			vt,
			"read: %lu bytes is more than the %d a read may show",
			len, MAX_READ);
	buf = malloc(len ? len : 1);
	if (!buf)
		return vt_error(vt, "read: out of host memory");
	line_start(vt);
	printf("read %#lx %lu", addr, len);
	if (!access_user(vt, addr, buf, len, false))
		hexdump(addr, buf, len);
	free(buf);
	return 0;
}

/* The bytes of a string as C source would show them. */
static void print_quoted(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\n')
			fputs("\\n", stdout);
		else if (ch == '\t')
			fputs("\\t", stdout);
		else if (ch == '\r')
			fputs("\\r", stdout);
		else if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			printf("\\x%02x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static int run_write(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long addr = arg(vt, 0);
	const struct vt_arg *s = &c->args[1];

	line_start(vt);
	printf("write %#lx ", addr);
	print_quoted(s->str, s->len);
	access_user(vt, addr, s->str, s->len, true);
	return 0;
}

/* ---- processes -------------------------------------------------------------------- */

static void note_child(struct vmtest *vt, long r)
{
	if (r > 0)
		vt->forked = true;
	set_result(vt, r);
}

static int run_fork(struct vmtest *vt, const struct vt_cmd *c)
{
	bool v = !strcmp(c->op->name, "vfork");
	long r = v ? sys_vfork() : sys_fork();

	line_start(vt);
	printf("%s()", c->op->name);
	print_ret(r, false);
	note_child(vt, r);
	return 0;
}

static int run_clone(struct vmtest *vt, const struct vt_cmd *c)
{
	unsigned long flags = flags_arg(vt, 0, SIGCHLD);
	unsigned long sp = c->nargs > 1 ? arg(vt, 1) : 0;
	long r = sys_clone(flags, sp);

	line_start(vt);
	fputs("clone(child_stack=", stdout);
	print_addr(sp);
	fputs(", flags=", stdout);
	print_flags(VT_CLONE, flags);
	putchar(')');
	print_ret(r, false);
	note_child(vt, r);
	return 0;
}

static int run_exit(struct vmtest *vt, const struct vt_cmd *c)
{
	int code = (int)arg(vt, 0);

	(void)c;
	line_start(vt);
	printf("exit_group(%d) = ?\n", code);
	sys_exit_group(code);
	line_start(vt);
	printf("+++ exited with %d +++\n", code & 0xff);
	return 0;
}

/* strace's rendering of a wait status. */
static void print_wstatus(int s)
{
	fputs("[{", stdout);
	if ((s & 0x7f) == 0)
		printf("WIFEXITED(s) && WEXITSTATUS(s) == %d", (s >> 8) & 0xff);
	else if ((s & 0xff) == 0x7f)
		printf("WIFSTOPPED(s) && WSTOPSIG(s) == %s",
		       vt_signame((s >> 8) & 0xff) ?
			       vt_signame((s >> 8) & 0xff) :
			       "?");
	else
		printf("WIFSIGNALED(s) && WTERMSIG(s) == %s%s",
		       vt_signame(s & 0x7f) ? vt_signame(s & 0x7f) : "?",
		       s & 0x80 ? " && WCOREDUMP(s)" : "");
	fputs("}]", stdout);
}

static int run_wait(struct vmtest *vt, const struct vt_cmd *c)
{
	long pid = (long)arg(vt, 0);
	int wstatus = 0;
	long r = sys_wait4(pid, &wstatus, 0, NULL);

	(void)c;
	line_start(vt);
	printf("wait4(%ld, ", pid);
	if (r > 0)
		print_wstatus(wstatus);
	else
		fputs("NULL", stdout);
	fputs(", 0, NULL)", stdout);
	print_ret(r, false);
	set_result(vt, r);
	return 0;
}

static int run_switch(struct vmtest *vt, const struct vt_cmd *c)
{
	long pid = (long)arg(vt, 0);
	struct task_struct *t = pid > 0 && pid <= 0x7fffffff ?
					find_task_by_vpid((pid_t)pid) :
					NULL;

	(void)c;
	if (!t)
		return vt_error(vt, "switch %ld: no such process", pid);
	if (cannot_act(t))
		return vt_error(vt, "switch %ld: process %ld %s", pid, pid,
				cannot_act(t));
	vt->pid = (pid_t)pid;
	return 0;
}

/* /proc/self is the acting process while it can run (it is the reader);
 * once it has exited or while it sleeps, no process reads. */
static int run_cat(struct vmtest *vt, const struct vt_cmd *c)
{
	struct task_struct *t = find_task_by_vpid(vt->pid);
	struct seq_file s;
	int r;

	set_current_task(cannot_act(t) ? NULL : t);
	seq_init(&s);
	r = proc_read(c->args[0].str, &s);
	if (r) {
		fflush(stdout);
		fprintf(stderr, VT_PREFIX ": %s:%d: cat %s: %s\n", vt->file,
			c->line, c->args[0].str, strerror(-r));
		vt->status = 1;
	} else {
		fputs(seq_text(&s), stdout);
	}
	seq_release(&s);
	return 0;
}

/* The kernel log since the last dmesg (or since the process started). */
static int run_dmesg(struct vmtest *vt, const struct vt_cmd *c)
{
	(void)c;
	fputs(seq_text(&M->log) + vt->log_mark, stdout);
	vt->log_mark = M->log.count;
	return 0;
}

/* ---- the commands ------------------------------------------------------------------ */

#define N VT_NUM
static const struct vt_op ops[] = {
	{ "mmap",
	  "ADDR LEN PROT FLAGS [FD OFFSET]",
	  4,
	  6,
	  { N, N, VT_PROT, VT_MAP, N, N },
	  true,
	  true,
	  run_mmap },
	{ "munmap", "ADDR LEN", 2, 2, { N, N }, true, true, run_munmap },
	{ "mprotect",
	  "ADDR LEN PROT",
	  3,
	  3,
	  { N, N, VT_PROT },
	  true,
	  true,
	  run_mprotect },
	{ "mremap",
	  "ADDR OLD_LEN NEW_LEN FLAGS [NEW_ADDR]",
	  4,
	  5,
	  { N, N, N, VT_MREMAP, N },
	  true,
	  true,
	  run_mremap },
	{ "brk", "ADDR", 1, 1, { N }, true, true, run_brk },
	{ "madvise",
	  "ADDR LEN ADVICE",
	  3,
	  3,
	  { N, N, VT_MADV },
	  true,
	  true,
	  run_madvise },
	{ "mlock",
	  "ADDR LEN [MLOCK_ONFAULT]",
	  2,
	  3,
	  { N, N, VT_MLOCK },
	  true,
	  true,
	  run_mlock },
	{ "munlock", "ADDR LEN", 2, 2, { N, N }, true, true, run_munlock },
	{ "mlockall", "FLAGS", 1, 1, { VT_MCL }, true, true, run_mlockall },
	{ "munlockall", "", 0, 0, { 0 }, true, true, run_munlockall },
	{ "mincore", "ADDR LEN", 2, 2, { N, N }, true, true, run_mincore },
	{ "touch",
	  "ADDR LEN [r|w]",
	  2,
	  3,
	  { N, N, VT_ACCESS },
	  false,
	  true,
	  run_touch },
	{ "read", "ADDR LEN", 2, 2, { N, N }, false, true, run_read },
	{ "write",
	  "ADDR STRING",
	  2,
	  2,
	  { N, VT_STRING },
	  false,
	  true,
	  run_write },
	{ "fork", "", 0, 0, { 0 }, true, true, run_fork },
	{ "vfork", "", 0, 0, { 0 }, true, true, run_fork },
	{ "clone",
	  "[FLAGS [STACK]]",
	  0,
	  2,
	  { VT_CLONE, N },
	  true,
	  true,
	  run_clone },
	{ "exit", "CODE", 1, 1, { N }, false, true, run_exit },
	{ "wait", "PID", 1, 1, { N }, true, true, run_wait },
	{ "switch", "PID", 1, 1, { N }, false, false, run_switch },
	{ "cat", "PATH", 1, 1, { VT_PATH }, false, false, run_cat },
	{ "dmesg", "", 0, 0, { 0 }, false, false, run_dmesg },
};
#undef N

const struct vt_op *vt_find_op(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	return NULL;
}

static int run_script(struct vmtest *vt, const struct vt_cmd *cmds, int n)
{
	for (int i = 0; i < n; i++) {
		const struct vt_cmd *c = &cmds[i];
		int ret;

		vt->cmd = c;
		if (c->op->needs_task && (ret = enter_task(vt)))
			return ret;
		if ((ret = c->op->run(vt, c)))
			return ret;
	}
	return vt->status;
}

/* ---- the subcommand ------------------------------------------------------------------- */

static void vmtest_help(FILE *f)
{
	fputs("Usage: mmsim vmtest [OPTIONS] FILE\n"
	      "\n"
	      "Boots a simulated machine, starts one process (pid 1, 'vmtest': 64K of\n"
	      "text, 8K of data and 8K of bss at 0x400000, a stack at the top) and runs\n"
	      "the commands of FILE ('-' for stdin) as that process, printing each\n"
	      "system call and its result as strace does. A bad access prints the\n"
	      "signal and kills the process, as on Linux (pid 1 is init: the kernel\n"
	      "reports its death as the panic Linux would have). FILE is checked\n"
	      "whole before anything runs.\n"
	      "\n",
	      f);
	machine_options_help(f);
	fputs("\n"
	      "Commands (one per line; '#' starts a comment):\n"
	      "  mmap ADDR LEN PROT FLAGS [FD OFFSET]   munmap ADDR LEN\n"
	      "  mprotect ADDR LEN PROT                 brk ADDR\n"
	      "  mremap ADDR OLD_LEN NEW_LEN FLAGS [NEW_ADDR]\n"
	      "  madvise ADDR LEN ADVICE                mincore ADDR LEN\n"
	      "  mlock ADDR LEN [MLOCK_ONFAULT]         munlock ADDR LEN\n"
	      "  mlockall FLAGS                         munlockall\n"
	      "  fork   vfork   clone [FLAGS [STACK]]   exit CODE   wait PID\n"
	      "  touch ADDR LEN [r|w]   access every page, writing by default\n"
	      "  read ADDR LEN          read and hex-dump (at most 64K)\n"
	      "  write ADDR STRING      store a word or a \"quoted\\n string\"\n"
	      "  switch PID             act as process PID from now on\n"
	      "  cat PATH               print a file, e.g. /proc/self/status\n"
	      "  dmesg                  print what the kernel logged since the last\n"
	      "                         dmesg (segfault lines...)\n"
	      "\n"
	      "ADDR, LEN, PID and CODE: hex (0x...) or decimal numbers with an\n"
	      "optional K, M, G or T, NULL, and $N or $last: the value the N-th (or\n"
	      "latest) system call returned; terms add and subtract: $1+8K.\n"
	      "PROT: rw-, r-x, --- or PROT_READ|PROT_WRITE...; FLAGS, ADVICE: the\n"
	      "names strace prints (MAP_PRIVATE|MAP_ANONYMOUS, MADV_DONTNEED,\n"
	      "MCL_CURRENT, MREMAP_MAYMOVE, CLONE_VM|SIGCHLD...), the prefix optional,\n"
	      "or numbers. mincore's vector is an array below the stack pointer.\n"
	      "\n"
	      "Options:\n"
	      "  --help                show this help\n"
	      "\n"
	      "Exit status: 0 on success, 1 when the machine does not boot or a cat\n"
	      "fails, 2 for bad options or a mistake in FILE (named as FILE:LINE).\n"
	      "\n"
	      "Example: printf 'mmap 0 16M rw- MAP_PRIVATE|MAP_ANONYMOUS\\n"
	      "touch $1 16K\\ncat /proc/self/status\\n' | mmsim vmtest -\n",
	      f);
}

struct vmtest_opts {
	struct machine_config cfg;
	const char *file;
	bool help;
};

static int vmtest_parse_one(struct cli_args *a, struct vmtest_opts *o)
{
	int ret = machine_option(a, &o->cfg);

	if (ret)
		return ret < 0 ? EXIT_USAGE : 0;
	if (cli_option(a, "--help", false) || cli_option(a, "-h", false)) {
		o->help = true;
		return 0;
	}
	if (o->file || (cli_arg(a)[0] == '-' && cli_arg(a)[1]))
		return cli_bad_argument(a);
	o->file = cli_arg(a);
	a->i++;
	return 0;
}

/* The bytes of f into a string; NULL when the host has no memory left
 * or the read fails. */
static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 0, n;
	char *text = NULL;

	*len = 0;
	for (;;) {
		if (*len + 1 >= cap) {
			char *more = realloc(text, cap = cap ? 2 * cap : 4096);

			if (!more) {
				free(text);
				return NULL;
			}
			text = more;
		}
		n = fread(text + *len, 1, cap - *len - 1, f);
		if (!n)
			break;
		*len += n;
	}
	if (ferror(f)) {
		free(text);
		return NULL;
	}
	text[*len] = '\0';
	return text;
}

/* The whole of FILE (or stdin for "-") as a string; NULL after printing
 * why not. */
static char *read_script(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t len;
	char *text;

	if (!f) {
		fprintf(stderr, VT_PREFIX ": %s: %s\n", path, strerror(errno));
		return NULL;
	}
	text = read_all(f, &len);
	if (f != stdin)
		fclose(f);
	if (!text) {
		fprintf(stderr, VT_PREFIX ": %s: cannot read it\n", path);
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		fprintf(stderr,
			VT_PREFIX ": %s: not a text file (it has NUL bytes)\n",
			path);
		free(text);
		return NULL;
	}
	return text;
}

/* Kernel BUG (and panic) reports and WARNINGs go to the kernel log; a
 * note says that some were made. */
static void report_kernel_problems(unsigned bugs, unsigned warns)
{
	if (!bugs && !warns)
		return;
	fflush(stdout);
	fprintf(stderr,
		VT_PREFIX
		": the kernel reported %u BUG%s and %u WARNING%s (add 'dmesg' to see them)\n",
		bugs, bugs == 1 ? "" : "s", warns, warns == 1 ? "" : "s");
}

/* Boots, starts pid 1 and runs the script: the exit status. */
static int vmtest_run(const struct cli_args *a, const struct vmtest_opts *o,
		      const char *file, const struct vt_cmd *cmds, int n,
		      int nresults)
{
	struct vmtest vt = { .file = file };
	struct exec_image img;
	struct task_struct *t;
	struct machine *m;
	int err, status;

	vt.results = calloc((size_t)nresults + 1, sizeof(*vt.results));
	m = vt.results ? cli_boot(a, &o->cfg) : NULL;
	if (!m) {
		free(vt.results);
		return 1;
	}
	exec_image_default(&img, "vmtest", 64 * 1024, 8192, 8192);
	t = create_user_process(&img, &err);
	if (!t) {
		fprintf(stderr, VT_PREFIX ": cannot start the process: %s\n",
			strerror(-err));
		status = 1;
	} else {
		unsigned bugs = m->nr_bugs, warns = m->nr_warns;

		vt.pid = t->pid;
		vt.log_mark = m->log.count;
		status = run_script(&vt, cmds, n);
		report_kernel_problems(m->nr_bugs - bugs, m->nr_warns - warns);
	}
	machine_destroy(m);
	free(vt.results);
	return status;
}

int cmd_vmtest(int argc, char **argv)
{
	struct vmtest_opts o = { 0 };
	struct vt_cmd *cmds = NULL;
	struct cli_args a;
	const char *file;
	int status = 0, n = 0, nresults = 0;
	char *text;

	cli_args_init(&a, VT_PREFIX, argc, argv);
	machine_config_default(&o.cfg);
	while (!status && !cli_args_done(&a) && !o.help)
		status = vmtest_parse_one(&a, &o);
	if (status)
		return status;
	if (o.help) {
		vmtest_help(stdout);
		return 0;
	}
	if (!o.file)
		return cli_usage_error(&a, "no FILE given (try '%s --help')",
				       VT_PREFIX);
	if ((status = cli_check_config(&a, &o.cfg)))
		return status;
	text = read_script(o.file);
	if (!text)
		return EXIT_USAGE;
	file = strcmp(o.file, "-") ? o.file : "<stdin>";
	if (vt_parse(VT_PREFIX, file, text, &cmds, &n))
		status = EXIT_USAGE;
	for (int i = 0; i < n; i++)
		nresults = max(nresults, cmds[i].result);
	if (!status)
		status = vmtest_run(&a, &o, file, cmds, n, nresults);
	vt_free_cmds(cmds, n);
	free(text);
	return status;
}
