/* The data plane of workloads (workload/access.c): a task's own loads
 * and stores over a range of its memory in one of five access patterns,
 * run in C from a task body step, every access going through the CPU's
 * TLB, page walk and fault handler and charged to the task by the cost
 * model. A scenario's p:touch{...} is one touch_state driven by
 * touch_run() over as many steps as it takes.
 *
 * POSITIONS. The range [addr, addr + length) holds nr_pos =
 * ceil(length / stride) positions, position k at addr + k * stride. An
 * access to position k is an 8-byte access to the aligned word holding
 * addr + k * stride (its address rounded down to a multiple of 8).
 *
 * PATTERNS (k is the position of the i-th access, i = 0, 1, ...):
 *   TOUCH_SEQ     k = i mod nr_pos: one pass from addr upwards in steps
 *                 of stride; count default nr_pos (one pass), a larger
 *                 count wraps to addr and goes on.
 *   TOUCH_STRIDE  the same as TOUCH_SEQ, but the stride must be given.
 *   TOUCH_LOOP    the same order, count default 4 * nr_pos (four passes).
 *   TOUCH_RANDOM  k uniform over 0..nr_pos-1, each access drawn
 *                 independently (xoshiro256** seeded with seed); count
 *                 default nr_pos.
 *   TOUCH_ZIPF    a rank r in 0..nr_pos-1 drawn from the Zipf law with
 *                 exponent theta (P(r) proportional to 1/(r+1)^theta)
 *                 by Gray et al.'s O(1) method ("Quickly generating
 *                 billion-record synthetic databases", SIGMOD 1994),
 *                 then k = a fixed permutation of r drawn from the seed
 *                 (a Feistel network), so that the hot positions are
 *                 scattered over the range; count default nr_pos.
 * Random and zipf are deterministic from the seed.
 *
 * DATA. A write stores the word's own virtual address, 8 bytes little
 * endian, so each written word holds its address (checkable after COW
 * or swap); a read loads the 8 bytes (their sum is kept in sum).
 *
 * COSTS (docs/cost-model.md): every access costs tlb_hit, and each
 * page-table level its translation's walk reads costs walk_step, both
 * as CPU time in user mode (the hardware works for the program); the
 * faults cost what the kernel charges for them (fault_entry, fault_exit,
 * zero_page, copy_page), as kernel time. */
#ifndef MMSIM_WORKLOAD_ACCESS_H
#define MMSIM_WORKLOAD_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/prng.h"

enum touch_pattern {
	TOUCH_SEQ,
	TOUCH_RANDOM,
	TOUCH_ZIPF,
	TOUCH_STRIDE,
	TOUCH_LOOP,
	NR_TOUCH_PATTERNS
};

#define TOUCH_DEFAULT_THETA 0.99
#define TOUCH_LOOP_PASSES 4

struct touch_args {
	unsigned long addr, length;
	enum touch_pattern pattern;
	bool write;
	uint64_t count; /* accesses; 0 = the pattern's default */
	/* Bytes between positions, at most length; 0 = PAGE_SIZE (then a
	 * range shorter than a page is one position). */
	unsigned long stride;
	double theta; /* zipf exponent, 0 < theta < 1; 0 = 0.99 */
	uint64_t seed; /* for random and zipf (from the machine's PRNG) */
};

enum touch_result {
	TOUCH_DONE, /* every access made */
	TOUCH_MORE, /* the budget ran out: call again at the next step */
	TOUCH_SIGNAL, /* an access failed: current->fault_sig says why */
	TOUCH_BLOCKED, /* an access waits for I/O (swap-in, writeback):
			* current sleeps in D; call again at the next step */
};

/* A Feistel permutation of 0..n-1 (cycle walking over 2^(2*half)). */
struct touch_perm {
	unsigned long n;
	unsigned half; /* bits per half */
	uint64_t key[4];
};

struct touch_state {
	/* What to do (touch_init): */
	unsigned long addr, length, stride;
	unsigned long nr_pos; /* positions: ceil(length / stride) */
	enum touch_pattern pattern;
	bool write;
	uint64_t count; /* accesses in all */
	/* Where it is: */
	uint64_t done; /* accesses made (the failed one not counted) */
	unsigned long next_pos; /* seq, stride, loop: the next position */
	struct prng rng; /* random, zipf */
	/* zipf: Gray et al.'s constants over nr_pos ranks. */
	double theta, zetan, alpha, eta, zeta2;
	struct touch_perm perm;
	/* What it did, for the caller to report: */
	uint64_t faults; /* page faults the accesses took */
	uint64_t walk_steps; /* page-table levels their walks read */
	uint64_t user_ns, sys_ns; /* CPU time charged, user and kernel */
	uint64_t sum; /* of the words read */
	bool failed; /* an access failed (TOUCH_SIGNAL) ... */
	unsigned long fault_addr; /* ... at this address */
	/* An access that waits (TOUCH_BLOCKED), made first at the next
	 * call, its fault flagged FAULT_FLAG_TRIED: */
	bool blocked;
	unsigned long blocked_va;
};

/* Checks a and sets t up: 0, or -EINVAL with err naming the bad field
 * (zero length, addr + length past the end of the address space, stride
 * larger than length, a stride pattern without a stride, an unknown
 * pattern, theta out of range). Nothing is accessed yet. */
int touch_init(struct touch_state *t, const struct touch_args *a, char *err,
	       size_t errlen);

/* From a task body step, current being the task: makes current's
 * accesses in user mode until all are done (TOUCH_DONE), or until the
 * CPU time charged in this call reaches budget_ns (TOUCH_MORE: return
 * from the step and call again at the next one; at least one access is
 * made per call), or an access fails (TOUCH_SIGNAL: current->fault_sig
 * holds SIGSEGV or SIGBUS as exc_page_fault() records it, or SIGKILL
 * when the fault ran out of memory; t->fault_addr is the address; later
 * calls return TOUCH_SIGNAL at once). The budget is checked every few
 * hundred accesses and after each fault; a budget of about a tick
 * (TICK_NSEC) keeps costs close to when they happen. From a task body, a
 * fault that needs I/O (a swap-in, or memory that only writeback can
 * free) returns TOUCH_BLOCKED with current asleep in D: return from the
 * step; the next call makes that access again first (Linux's fault
 * retry). Outside a task body such faults complete at once. */
enum touch_result touch_run(struct touch_state *t, uint64_t budget_ns);

/* The addresses of the next n accesses (at most those left), without
 * making them: t moves on as touch_run() would. Returns how many were
 * written to addrs. For tests and traces. */
uint64_t touch_generate(struct touch_state *t, unsigned long *addrs,
			uint64_t n);

/* The position (0..nr_pos-1) a zipf touch gives rank r (0: the hottest);
 * r itself for any other touch or an r out of range. */
unsigned long touch_zipf_position(const struct touch_state *t, unsigned long r);

/* "seq", "random", "zipf", "stride", "loop"; and back (false for an
 * unknown name). */
const char *touch_pattern_name(enum touch_pattern p);
bool touch_pattern_parse(const char *name, enum touch_pattern *p);

#endif
