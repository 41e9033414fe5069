/* Differential test against the host kernel (Linux 6.18): seeded random
 * sequences of mmap (MAP_FIXED, hinted, MAP_FIXED_NOREPLACE; private and
 * shared anonymous), munmap, mprotect, mremap, madvise, mlock/munlock/
 * mlock2, mincore, one-byte loads and stores, and brk run for real in a
 * forked child of this test (raw system calls, inside a window of the
 * address space the test process does not use) and in a simulated
 * process. After every operation the results must agree: the return
 * value or errno, the signal a load or store took, the byte read, the
 * mincore vector, the VMAs of the window as /proc/self/maps shows them
 * ("start-end perms"), and the heap's VMAs relative to start_brk.
 *
 * Left out, because the two legitimately differ: MADV_FREE (the host may
 * drop lazily freed pages under memory pressure at any time),
 * mlockall/munlockall (they would lock the whole test process), the
 * vm.max_map_count limits (the test process has many VMAs of its own),
 * and MAP_GROWSDOWN, MAP_HUGETLB and huge pages (the child disables THP
 * with PR_SET_THP_DISABLE; huge pages change RSS and mincore, not the
 * layout). The child drops CAP_IPC_LOCK so RLIMIT_MEMLOCK applies to it
 * as it does to simulated tasks. A result outside the window (a moved or
 * hinted mapping the kernels placed elsewhere) only has to be outside in
 * both; it is unmapped again at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/prng.h"
#include "vm_helpers.h"

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif
#ifndef PR_SET_THP_DISABLE
#define PR_SET_THP_DISABLE 41
#endif

#define WIN_SIZE (64UL << 20) /* where operations act */
#define OBS_SIZE (128UL << 20) /* where the VMAs are compared */
#define HEAP_OBS (64UL << 20) /* the heap, from start_brk */
#define MAX_OPS 600
#define MAX_LINES 96
#define VEC_LEN 32
#define MEMLOCK_LIMIT (64UL * 4096)

enum op_kind {
	OP_MMAP,
	OP_MUNMAP,
	OP_MPROTECT,
	OP_MREMAP,
	OP_MADVISE,
	OP_MLOCK,
	OP_MLOCK2,
	OP_MUNLOCK,
	OP_WRITE,
	OP_READ,
	OP_MINCORE,
	OP_BRK,
	NR_OPS
};

static const char *const op_names[] = {
	"mmap",	  "munmap",  "mprotect", "mremap", "madvise", "mlock",
	"mlock2", "munlock", "write",	 "read",   "mincore", "brk",
};

struct op {
	int kind;
	unsigned long a, len, b, c, d; /* arguments, as the call takes them */
	unsigned char val; /* OP_WRITE */
};

struct mapline {
	unsigned long start, end;
	char perms[5];
};

struct result {
	long ret;
	int sig, code; /* a load or store's signal (0: none) */
	unsigned char val; /* OP_READ */
	unsigned char vec[VEC_LEN];
	int nlines, nheap;
	struct mapline lines[MAX_LINES];
	struct mapline heap[8]; /* relative to start_brk */
};

#define OUTSIDE 1L /* a mapping placed outside the window */

struct run {
	unsigned long win; /* window base */
	int nops;
	int status; /* child: 0 ok, else a setup failure */
	char why[128];
	struct op ops[MAX_OPS];
	struct result res[MAX_OPS];
};

/* ---- the host child: raw system calls only, no allocation ---------------------- */

static sigjmp_buf probe_env;
static volatile int probe_sig, probe_code;

static void probe_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	probe_sig = sig;
	probe_code = si->si_code;
	siglongjmp(probe_env, 1);
}

/* x86-64 needs a restorer in the frame; the handler never returns. */
__attribute__((naked)) static void probe_restorer(void)
{
	__asm__ volatile("mov $15, %eax\n\tsyscall");
}

struct k_sigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

static bool install_probe(int sig)
{
	struct k_sigaction ka = {
		.handler = probe_handler,
		.flags = SA_SIGINFO | SA_NODEFER | SA_RESTORER,
		.restorer = probe_restorer,
	};

	return syscall(SYS_rt_sigaction, sig, &ka, NULL, 8) == 0;
}

static long sysret(long r)
{
	return r == -1 ? -errno : r;
}

static char procbuf[1 << 16];

/* Reads a /proc file into procbuf; its length, or -1. */
static long read_proc(const char *path)
{
	long fd = syscall(SYS_open, path, O_RDONLY), n = 0, r;

	if (fd < 0)
		return -1;
	while (n < (long)sizeof(procbuf) - 1 &&
	       (r = syscall(SYS_read, fd, procbuf + n,
			    sizeof(procbuf) - 1 - n)) > 0)
		n += r;
	syscall(SYS_close, fd);
	procbuf[n] = '\0';
	return n;
}

static unsigned long parse_hex(const char **p)
{
	unsigned long v = 0;

	for (;; (*p)++) {
		char c = **p;

		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned long)(c - 'a' + 10);
		else
			return v;
	}
}

/* The maps lines overlapping [lo, hi), made relative to rel. */
static int host_maps(unsigned long lo, unsigned long hi, unsigned long rel,
		     struct mapline *out, int max)
{
	const char *p = procbuf;
	int n = 0;

	if (read_proc("/proc/self/maps") < 0)
		return -1;
	while (*p) {
		unsigned long s = parse_hex(&p), e;

		p++; /* '-' */
		e = parse_hex(&p);
		p++; /* ' ' */
		if (e > lo && s < hi && n < max) {
			out[n].start = s - rel;
			out[n].end = e - rel;
			memcpy(out[n].perms, p, 4);
			out[n].perms[4] = '\0';
			n++;
		}
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	return n;
}

/* start_brk: field 47 of /proc/self/stat. */
static unsigned long host_start_brk(void)
{
	const char *p;
	int field = 2;

	if (read_proc("/proc/self/stat") < 0)
		return 0;
	p = strrchr(procbuf, ')');
	if (!p)
		return 0;
	for (p++; *p && field < 47; p++)
		if (*p == ' ')
			field++;
	return strtoul(p, NULL, 10);
}

/* Drops CAP_IPC_LOCK (bit 14) from the effective set. */
static void drop_ipc_lock(void)
{
	struct {
		uint32_t version;
		int pid;
	} hdr = { 0x20080522, 0 };
	struct {
		uint32_t effective, permitted, inheritable;
	} data[2];

	if (syscall(SYS_capget, &hdr, data))
		return;
	data[0].effective &= ~(1u << 14);
	syscall(SYS_capset, &hdr, data);
}

static unsigned char host_vec[VEC_LEN];

static void host_op(struct run *run, const struct op *op, struct result *r,
		    unsigned long start_brk)
{
	volatile unsigned char *p = (volatile unsigned char *)op->a;

	switch (op->kind) {
	case OP_MMAP:
		r->ret = sysret(syscall(SYS_mmap, op->a, op->len, op->b, op->c,
					-1L, 0L));
		break;
	case OP_MUNMAP:
		r->ret = sysret(syscall(SYS_munmap, op->a, op->len));
		break;
	case OP_MPROTECT:
		r->ret = sysret(syscall(SYS_mprotect, op->a, op->len, op->b));
		break;
	case OP_MREMAP:
		r->ret = sysret(syscall(SYS_mremap, op->a, op->len, op->b,
					op->c, op->d));
		break;
	case OP_MADVISE:
		r->ret = sysret(syscall(SYS_madvise, op->a, op->len, op->b));
		break;
	case OP_MLOCK:
		r->ret = sysret(syscall(SYS_mlock, op->a, op->len));
		break;
	case OP_MLOCK2:
		r->ret = sysret(syscall(SYS_mlock2, op->a, op->len, op->b));
		break;
	case OP_MUNLOCK:
		r->ret = sysret(syscall(SYS_munlock, op->a, op->len));
		break;
	case OP_WRITE:
	case OP_READ:
		probe_sig = 0;
		if (!sigsetjmp(probe_env, 1)) {
			if (op->kind == OP_WRITE)
				*p = op->val;
			else
				r->val = *p;
		}
		r->sig = probe_sig;
		r->code = probe_sig ? probe_code : 0;
		break;
	case OP_MINCORE:
		memset(host_vec, 0xee, sizeof(host_vec));
		r->ret = sysret(syscall(SYS_mincore, op->a, op->len, host_vec));
		memcpy(r->vec, host_vec, VEC_LEN);
		break;
	case OP_BRK:
		r->ret = syscall(SYS_brk, start_brk + op->a) - (long)start_brk;
		break;
	}
	/* a mapping the kernel placed elsewhere goes again */
	if ((op->kind == OP_MMAP || op->kind == OP_MREMAP) && r->ret >= 0 &&
	    ((unsigned long)r->ret < run->win ||
	     (unsigned long)r->ret >= run->win + OBS_SIZE)) {
		syscall(SYS_munmap, r->ret,
			op->kind == OP_MMAP ? op->len : op->b);
		r->ret = OUTSIDE;
	}
}

static void host_child(struct run *run)
{
	struct rlimit lim = { MEMLOCK_LIMIT, MEMLOCK_LIMIT };
	unsigned long start_brk;
	struct mapline probe[1];

	/* mmsim's struct rlimit and RLIMIT_MEMLOCK are the host's */
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) ||
	    syscall(SYS_setrlimit, RLIMIT_MEMLOCK, &lim)) {
		run->status = 1;
		strcpy(run->why, "cannot disable THP or set RLIMIT_MEMLOCK");
		_exit(0);
	}
	drop_ipc_lock();
	if (!install_probe(SIGSEGV) || !install_probe(SIGBUS)) {
		run->status = 1;
		strcpy(run->why, "cannot install signal handlers");
		_exit(0);
	}
	start_brk = host_start_brk();
	if (!start_brk ||
	    host_maps(run->win, run->win + OBS_SIZE, 0, probe, 1) != 0) {
		run->status = 1;
		strcpy(run->why, "no start_brk, or the window is in use");
		_exit(0);
	}
	for (int i = 0; i < run->nops; i++) {
		struct result *r = &run->res[i];

		host_op(run, &run->ops[i], r, start_brk);
		r->nlines = host_maps(run->win, run->win + OBS_SIZE, 0,
				      r->lines, MAX_LINES);
		r->nheap = host_maps(start_brk, start_brk + HEAP_OBS, start_brk,
				     r->heap, 8);
	}
	_exit(0);
}

/* Runs the operations on the host in a child; false when the host
 * cannot host the test (run->why says why). */
static bool run_on_host(struct run *run)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0)
		host_child(run);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail_msg("host child died (status %#x)", st);
	return run->status == 0;
}

/* ---- the simulated process ------------------------------------------------------------- */

struct sim {
	struct task_struct *t;
	unsigned long vecbuf; /* a user buffer for mincore */
};

static int sim_maps(unsigned long lo, unsigned long hi, unsigned long rel,
		    struct mapline *out, int max)
{
	int n = 0;

	for (struct vm_area_struct *v = find_vma(current->mm, lo);
	     v && v->vm_start < hi && n < max; v = v->vm_next) {
		out[n].start = v->vm_start - rel;
		out[n].end = v->vm_end - rel;
		vma_perms(v, out[n].perms);
		n++;
	}
	return n;
}

static void sim_op(struct run *run, struct sim *s, const struct op *op,
		   struct result *r)
{
	unsigned char c = op->val;

	switch (op->kind) {
	case OP_MMAP:
		r->ret = sys_mmap(op->a, op->len, op->b, op->c, -1UL, 0);
		break;
	case OP_MUNMAP:
		r->ret = sys_munmap(op->a, op->len);
		break;
	case OP_MPROTECT:
		r->ret = sys_mprotect(op->a, op->len, op->b);
		break;
	case OP_MREMAP:
		r->ret = sys_mremap(op->a, op->len, op->b, op->c, op->d);
		break;
	case OP_MADVISE:
		r->ret = sys_madvise(op->a, op->len, (int)op->b);
		break;
	case OP_MLOCK:
		r->ret = sys_mlock(op->a, op->len);
		break;
	case OP_MLOCK2:
		r->ret = sys_mlock2(op->a, op->len, (int)op->b);
		break;
	case OP_MUNLOCK:
		r->ret = sys_munlock(op->a, op->len);
		break;
	case OP_WRITE:
	case OP_READ:
		if (user_access(op->a, &c, 1, op->kind == OP_WRITE)) {
			r->sig = s->t->fault_sig.signo;
			r->code = s->t->fault_sig.code;
		} else if (op->kind == OP_READ) {
			r->val = c;
		}
		break;
	case OP_MINCORE:
		assert_int_equal(copy_to_user(s->vecbuf,
					      memset(r->vec, 0xee, VEC_LEN),
					      VEC_LEN),
				 0);
		r->ret = sys_mincore(op->a, op->len, s->vecbuf);
		assert_int_equal(copy_from_user(r->vec, s->vecbuf, VEC_LEN), 0);
		break;
	case OP_BRK:
		r->ret = sys_brk(s->t->mm->start_brk + op->a) -
			 (long)s->t->mm->start_brk;
		break;
	}
	if ((op->kind == OP_MMAP || op->kind == OP_MREMAP) &&
	    !IS_ERR_VALUE(r->ret) &&
	    ((unsigned long)r->ret < run->win ||
	     (unsigned long)r->ret >= run->win + OBS_SIZE)) {
		assert_int_equal(sys_munmap((unsigned long)r->ret,
					    op->kind == OP_MMAP ? op->len :
								  op->b),
				 0);
		r->ret = OUTSIDE;
	}
	r->nlines =
		sim_maps(run->win, run->win + OBS_SIZE, 0, r->lines, MAX_LINES);
	r->nheap = sim_maps(s->t->mm->start_brk, s->t->mm->start_brk + HEAP_OBS,
			    s->t->mm->start_brk, r->heap, 8);
}

/* ---- generating operations ----------------------------------------------------------- */

struct gen {
	struct prng rnd;
	unsigned long win;
};

static unsigned long rnd(struct gen *g, unsigned long n)
{
	return n ? prng_below(&g->rnd, n) : 0;
}

/* A page-aligned address in the window: near an existing VMA of the
 * simulated process most of the time, so that operations meet. */
static unsigned long pick_addr(struct gen *g)
{
	struct vm_area_struct *v;
	unsigned long pages = 0, a;
	int n = 0;

	for (v = find_vma(current->mm, g->win);
	     v && v->vm_start < g->win + WIN_SIZE; v = v->vm_next)
		n++;
	if (n && rnd(g, 4)) {
		int k = (int)rnd(g, (unsigned long)n);

		for (v = find_vma(current->mm, g->win); k--; v = v->vm_next)
			;
		pages = vma_pages(v) + 4;
		a = v->vm_start - PG(2) + PG(rnd(g, pages));
	} else if (rnd(g, 8)) {
		a = g->win + PG(rnd(g, 512));
	} else {
		/* PMD-aligned, for whole page tables */
		a = g->win + (rnd(g, WIN_SIZE >> 21) << 21);
	}
	if (a < g->win || a >= g->win + WIN_SIZE - (1UL << 22))
		a = g->win + PG(rnd(g, 512));
	return a;
}

/* A length: pages mostly, sometimes unaligned, empty, or so long that
 * the range wraps (never one that reaches past the observed range: on
 * the host it would change the test process's own mappings). */
static unsigned long pick_len(struct gen *g)
{
	switch (rnd(g, 24)) {
	case 0:
		return 0;
	case 1:
		return rnd(g, 2) ? -PAGE_SIZE : -1UL;
	case 2:
		return PG(rnd(g, 8)) + 1 + rnd(g, PAGE_SIZE - 1);
	case 3:
		return PG(512 * (1 + rnd(g, 2))); /* whole PTE tables */
	default:
		return PG(1 + rnd(g, 12));
	}
}

static unsigned long pick_prot(struct gen *g)
{
	static const unsigned long prots[] = {
		PROT_READ | PROT_WRITE,
		PROT_READ | PROT_WRITE,
		PROT_READ,
		PROT_NONE,
		PROT_READ | PROT_EXEC,
		PROT_WRITE,
		PROT_READ | PROT_WRITE | PROT_EXEC,
		PROT_READ | PROT_WRITE,
	};

	if (!rnd(g, 40))
		return PROT_READ | 0x10; /* invalid for mprotect */
	if (!rnd(g, 40))
		return PROT_READ | PROT_GROWSDOWN; /* no stacks here */
	return prots[rnd(g, ARRAY_SIZE(prots))];
}

static const int advices[] = {
	MADV_NORMAL,   MADV_RANDOM,	     MADV_SEQUENTIAL,
	MADV_WILLNEED, MADV_DONTNEED,	     MADV_DONTNEED,
	MADV_DONTFORK, MADV_DOFORK,	     MADV_DONTDUMP,
	MADV_DODUMP,   MADV_WIPEONFORK,	     MADV_KEEPONFORK,
	MADV_HUGEPAGE, MADV_NOHUGEPAGE,	     MADV_COLD,
	MADV_PAGEOUT,  MADV_POPULATE_READ,   MADV_POPULATE_WRITE,
	MADV_REMOVE,   MADV_DONTNEED_LOCKED, 999,
};

static struct op gen_op(struct gen *g)
{
	struct op op = { .kind = (int)rnd(g, NR_OPS) };

	op.a = pick_addr(g);
	op.len = pick_len(g);
	switch (op.kind) {
	case OP_MMAP: {
		unsigned long type = rnd(g, 3) ? MAP_PRIVATE : MAP_SHARED;

		op.len = rnd(g, 8) ? PG(1 + rnd(g, 16)) : pick_len(g);
		op.b = pick_prot(g) & 7;
		op.c = type | MAP_ANONYMOUS;
		switch (rnd(g, 10)) {
		case 0:
		case 1:
			break; /* a hint */
		case 2:
			op.c |= MAP_FIXED_NOREPLACE;
			break;
		case 3:
			op.c = MAP_ANONYMOUS | MAP_FIXED; /* no type */
			break;
		default:
			op.c |= MAP_FIXED;
		}
		if (!rnd(g, 6))
			op.c |= MAP_NORESERVE;
		if (!rnd(g, 8))
			op.c |= MAP_POPULATE;
		if (!rnd(g, 12))
			op.c |= MAP_LOCKED;
		if (!rnd(g, 30))
			op.a += 1 + rnd(g, 100); /* unaligned */
		break;
	}
	case OP_MPROTECT:
		op.b = pick_prot(g);
		break;
	case OP_MREMAP: {
		static const unsigned long flags[] = {
			0,
			MREMAP_MAYMOVE,
			MREMAP_MAYMOVE | MREMAP_FIXED,
			MREMAP_MAYMOVE | MREMAP_FIXED,
			MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
			MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
			MREMAP_FIXED,
			8,
		};

		op.c = flags[rnd(g, ARRAY_SIZE(flags))];
		op.b = rnd(g, 3) ? op.len :
				   PG(rnd(g, 16)) + (rnd(g, 8) ? 0 : 1);
		if (!rnd(g, 2))
			op.b = op.len;
		op.d = pick_addr(g);
		break;
	}
	case OP_MADVISE:
		op.b = (unsigned long)advices[rnd(g, ARRAY_SIZE(advices))];
		break;
	case OP_MLOCK2:
		op.b = rnd(g, 6) ? MLOCK_ONFAULT : rnd(g, 4);
		break;
	case OP_WRITE:
	case OP_READ:
		op.a += rnd(g, PAGE_SIZE);
		op.val = (unsigned char)rnd(g, 256);
		break;
	case OP_MINCORE:
		op.len = rnd(g, 6) ? PG(rnd(g, VEC_LEN) + 1) : pick_len(g);
		if (op.len > PG(VEC_LEN) && op.len < (1UL << 40))
			op.len = PG(VEC_LEN);
		break;
	case OP_BRK:
		op.a = rnd(g, 8) ? PG(rnd(g, 64)) + rnd(g, 3) * rnd(g, 4096) :
				   (unsigned long)-(long)PG(1 + rnd(g, 2));
		break;
	}
	return op;
}

/* ---- comparing ----------------------------------------------------------------------- */

static void print_lines(const char *who, const struct mapline *l, int n)
{
	print_message("  %s:\n", who);
	for (int i = 0; i < n; i++)
		print_message("    %lx-%lx %s\n", l[i].start, l[i].end,
			      l[i].perms);
}

static bool lines_equal(const struct mapline *a, int na,
			const struct mapline *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (a[i].start != b[i].start || a[i].end != b[i].end ||
		    strcmp(a[i].perms, b[i].perms))
			return false;
	return true;
}

static void describe(const struct run *run, int i)
{
	const struct op *op = &run->ops[i];

	print_message("op %d: %s(%#lx, %#lx, %#lx, %#lx, %#lx) val %u\n", i,
		      op_names[op->kind], op->a, op->len, op->b, op->c, op->d,
		      op->val);
}

/* The first operation where the host and the simulation differ, or -1. */
static int compare(const struct run *host, const struct run *sim)
{
	for (int i = 0; i < host->nops; i++) {
		const struct result *h = &host->res[i], *s = &sim->res[i];
		bool same =
			h->ret == s->ret && h->sig == s->sig &&
			h->code == s->code && h->val == s->val &&
			!memcmp(h->vec, s->vec, VEC_LEN) &&
			lines_equal(h->lines, h->nlines, s->lines, s->nlines) &&
			lines_equal(h->heap, h->nheap, s->heap, s->nheap);

		if (same)
			continue;
		for (int j = 0; getenv("MMSIM_DIFF_VERBOSE") && j < i; j++) {
			describe(host, j);
			print_message("    ret %ld/%ld\n", host->res[j].ret,
				      sim->res[j].ret);
			print_lines("maps", host->res[j].lines,
				    host->res[j].nlines);
		}
		for (int j = i > 12 ? i - 12 : 0; j < i; j++) {
			print_message("  before: ");
			describe(host, j);
		}
		describe(host, i);
		print_message("  host: ret %ld sig %d/%d val %u\n", h->ret,
			      h->sig, h->code, h->val);
		print_message("  mmsim: ret %ld sig %d/%d val %u\n", s->ret,
			      s->sig, s->code, s->val);
		if (host->ops[i].kind == OP_MINCORE) {
			print_message("  vec host/mmsim:\n    ");
			for (int k = 0; k < VEC_LEN; k++)
				print_message("%x", h->vec[k] & 0xf);
			print_message("\n    ");
			for (int k = 0; k < VEC_LEN; k++)
				print_message("%x", s->vec[k] & 0xf);
			print_message("\n");
		}
		print_lines("host maps", h->lines, h->nlines);
		print_lines("mmsim maps", s->lines, s->nlines);
		print_lines("host heap", h->heap, h->nheap);
		print_lines("mmsim heap", s->heap, s->nheap);
		return i;
	}
	return -1;
}

/* ---- the test ------------------------------------------------------------------------ */

static const unsigned long windows[] = {
	0x3f0000000000UL,
	0x2e0000000000UL,
	0x1d0000000000UL,
};

/* vmstat counters that must be back to their boot values once the
 * process is gone. */
static const char *const zero_after[] = {
	"nr_anon_pages",    "nr_mapped",
	"nr_file_pages",    "nr_shmem",
	"nr_mlock",	    "nr_unevictable",
	"nr_inactive_anon", "nr_active_anon",
	"nr_inactive_file", "nr_page_table_pages",
};

/* Runs nops operations of seed in a simulated process on a machine
 * booted with opts, with the window at sim->win, checking mmsim's own
 * invariants as it goes and that nothing leaks. */
static void sim_run(struct run *sim, uint32_t seed, int nops,
		    const char *const *opts)
{
	unsigned long before[ARRAY_SIZE(zero_after)];
	struct gen g;
	struct sim s;
	long committed;

	boot_machine_opts(opts);
	committed = M->vm_committed_as;
	for (size_t k = 0; k < ARRAY_SIZE(zero_after); k++)
		before[k] = vmstat_counter(zero_after[k]);
	s.t = start_process("difftest");
	s.t->signal->rlim[RLIMIT_MEMLOCK] =
		(struct rlimit){ MEMLOCK_LIMIT, MEMLOCK_LIMIT };
	s.vecbuf = (unsigned long)sys_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1UL,
					   0);
	assert_false(IS_ERR_VALUE(s.vecbuf));
	prng_seed(&g.rnd, seed);
	g.win = sim->win;
	sim->nops = nops;
	/* The host child's heap came from its parent through fork: it would
	 * not merge with a new brk area (its anon_vma has a parent). Unmap
	 * it, then start a heap of a known size. */
	sim->ops[0] = (struct op){ .kind = OP_BRK, .a = 0 };
	sim->ops[1] = (struct op){ .kind = OP_BRK, .a = PG(3) };
	for (int i = 0; i < 2; i++)
		sim_op(sim, &s, &sim->ops[i], &sim->res[i]);
	for (int i = 2; i < nops; i++) {
		sim->ops[i] = gen_op(&g);
		sim_op(sim, &s, &sim->ops[i], &sim->res[i]);
		if (i % 50 == 0 && check_mm_invariants(NULL))
			fail_msg("seed %u: mm invariants broken after op %d",
				 seed, i);
	}
	if (M->nr_bugs || M->nr_warns || check_pgtable_invariants() ||
	    check_mm_invariants(NULL)) {
		for (const char *l = log_text(); l; l = strchr(l + 1, '\n'))
			if (!strstr(l + 1, "segfault at") &&
			    strncmp(l + 1, "[", 1) == 0 &&
			    (strstr(l, "WARN") || strstr(l, "BUG") ||
			     strstr(l, "pgtable") || strstr(l, "page")))
				print_message("%.200s\n", l + 1);
		fail_msg("seed %u: the kernel reported a problem", seed);
	}
	end_process(s.t);
	assert_int_equal(M->vm_committed_as, committed);
	for (size_t k = 0; k < ARRAY_SIZE(zero_after); k++)
		if (vmstat_counter(zero_after[k]) != before[k])
			fail_msg("seed %u: %s is %lu after exit, %lu before",
				 seed, zero_after[k],
				 vmstat_counter(zero_after[k]), before[k]);
	machine_destroy(cur_machine);
}

static void run_seed(struct run *host, struct run *sim, uint32_t seed, int nops)
{
	static const char *const opts[] = { "ram=512M", NULL };
	int bad;

	memset(sim, 0, sizeof(*sim));
	sim->win = host->win;
	sim_run(sim, seed, nops, opts);
	memcpy(host->ops, sim->ops, sizeof(sim->ops));
	host->nops = nops;
	memset(host->res, 0, sizeof(host->res));
	if (!run_on_host(host))
		fail_msg("seed %u: host not usable: %s", seed, host->why);
	bad = compare(host, sim);
	if (bad >= 0)
		fail_msg("seed %u: the host and mmsim differ at operation %d",
			 seed, bad);
}

/* The reference is Linux 6.18's behaviour (mremap moving several VMAs
 * came in 6.17): an older host kernel cannot serve as one. */
static bool host_kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

static void test_differential(void **state)
{
	struct run *host, *sim;
	int nops = MAX_OPS / OPS_DIVISOR;
	int seeds = OPS_DIVISOR > 1 ? 2 : 12, first = 1;

	/* MMSIM_DIFF_SEEDS=N[,FIRST] runs more seeds, for hunting;
	 * MMSIM_DIFF_VERBOSE=1 prints every operation before a difference. */
	if (getenv("MMSIM_DIFF_SEEDS"))
		sscanf(getenv("MMSIM_DIFF_SEEDS"), "%d,%d", &seeds, &first);

	(void)state;
	if (!host_kernel_at_least(6, 18)) {
		print_message("skipped: the host kernel is older than 6.18\n");
		skip();
	}
	host = mmap(NULL, sizeof(*host), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sim = malloc(sizeof(*sim));
	assert_true(host != MAP_FAILED && sim);
	for (size_t w = 0; w < ARRAY_SIZE(windows); w++) {
		host->win = windows[w];
		host->status = 0;
		host->nops = 0;
		/* an empty run checks that the window is free */
		if (run_on_host(host))
			break;
		if (w + 1 == ARRAY_SIZE(windows)) {
			print_message("skipped: %s\n", host->why);
			munmap(host, sizeof(*host));
			free(sim);
			skip();
		}
	}
	for (int seed = first; seed < first + seeds; seed++)
		run_seed(host, sim, (uint32_t)seed, nops);
	munmap(host, sizeof(*host));
	free(sim);
}

/* The same sequences where no host can compare: mmsim's invariants and
 * counters on i386's 2-level tables (the PMD folded into the PGD, 4 MiB
 * of PTEs per table) and with 5-level x86-64 tables. */
static void test_other_page_tables(void **state)
{
	static const char *const i386[] = { "arch=i386", "ram=512M", NULL };
	static const char *const la57[] = { "ram=512M", "la57=1", NULL };
	struct run *sim = malloc(sizeof(*sim));
	int nops = MAX_OPS / OPS_DIVISOR;

	(void)state;
	assert_non_null(sim);
	for (uint32_t seed = 1; seed <= (OPS_DIVISOR > 1 ? 1u : 6u); seed++) {
		memset(sim, 0, sizeof(*sim));
		sim->win = 0x40000000UL;
		sim_run(sim, seed, nops, i386);
		memset(sim, 0, sizeof(*sim));
		sim->win = windows[0];
		sim_run(sim, seed, nops, la57);
	}
	free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_differential, destroy_current),
		cmocka_unit_test_teardown(test_other_page_tables,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
