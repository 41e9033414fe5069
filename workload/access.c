/* Access-pattern generators and the data plane's hot loop (see
 * workload/access.h): positions of seq/stride/loop, random and zipf
 * touches, and touch_run(), which makes each access as the CPU does
 * (translate() inline, its TLB fast path first; the fault handler only
 * when the translation fails) and charges the cost model once per chunk
 * of accesses. Under a reclaim policy that wants every access (exact
 * LRU) each one also calls its page_touched hook, at no virtual cost.
 * Linux has no such file: this is the program the task runs. */
#include "workload/access.h"

#include <endian.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch/mmu.h"
#include "kernel/cost.h"
#include "mm/swap.h"
#include "mm/vma.h"

/* Accesses between two looks at the budget (fewer when the budget is
 * nearly spent); a fault ends a chunk too. */
#define TOUCH_CHUNK 256UL
/* Ranks whose Zipf weights are summed one by one; the rest of zeta(n)
 * comes from the Euler-Maclaurin formula (error far below 1e-15). */
#define ZETA_EXACT 1024UL

static const char *const pattern_names[NR_TOUCH_PATTERNS] = {
	[TOUCH_SEQ] = "seq",   [TOUCH_RANDOM] = "random",
	[TOUCH_ZIPF] = "zipf", [TOUCH_STRIDE] = "stride",
	[TOUCH_LOOP] = "loop",
};

const char *touch_pattern_name(enum touch_pattern p)
{
	return (unsigned)p < NR_TOUCH_PATTERNS ? pattern_names[p] : "?";
}

bool touch_pattern_parse(const char *name, enum touch_pattern *p)
{
	for (int i = 0; i < NR_TOUCH_PATTERNS; i++) {
		if (!strcmp(name, pattern_names[i])) {
			*p = (enum touch_pattern)i;
			return true;
		}
	}
	return false;
}

/* ---- the zipf permutation: a 4-round Feistel network ---------------------- */

static uint64_t perm_mix(uint64_t x, uint64_t key)
{
	x ^= key;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 31;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 29);
}

static void perm_init(struct touch_perm *p, unsigned long n, uint64_t seed)
{
	unsigned bits = 2;

	while (bits < 64 && (1ULL << bits) < n)
		bits++;
	p->n = n;
	p->half = (bits + 1) / 2;
	for (int i = 0; i < 4; i++)
		p->key[i] = prng_splitmix(&seed);
}

/* The permutation of 0..2^(2*half)-1, walked until it lands below n
 * (it does: x's own cycle comes back to x). */
static unsigned long perm_apply(const struct touch_perm *p, unsigned long x)
{
	const uint64_t mask = (1ULL << p->half) - 1;

	do {
		uint64_t l = (uint64_t)x >> p->half, r = (uint64_t)x & mask;

		for (int i = 0; i < 4; i++) {
			uint64_t next_r = l ^ (perm_mix(r, p->key[i]) & mask);

			l = r;
			r = next_r;
		}
		x = (unsigned long)((l << p->half) | r);
	} while (x >= p->n);
	return x;
}

unsigned long touch_zipf_position(const struct touch_state *t, unsigned long r)
{
	if (r >= t->perm.n) /* not a zipf touch, or not a rank */
		return r;
	return perm_apply(&t->perm, r);
}

/* ---- zipf ranks (Gray et al. 1994) --------------------------------------- */

/* zeta(n, theta) = sum of 1/i^theta for i = 1..n. */
static double zeta(unsigned long n, double theta)
{
	unsigned long m = n < ZETA_EXACT ? n : ZETA_EXACT;
	double s = 0, a, b;

	for (unsigned long i = 1; i <= m; i++)
		s += pow((double)i, -theta);
	if (n <= m)
		return s;
	a = (double)m;
	b = (double)n;
	return s + (pow(b, 1 - theta) - pow(a, 1 - theta)) / (1 - theta) +
	       (pow(b, -theta) - pow(a, -theta)) / 2 +
	       theta * (pow(a, -theta - 1) - pow(b, -theta - 1)) / 12;
}

static void zipf_init(struct touch_state *t, double theta)
{
	double n = (double)t->nr_pos;

	t->theta = theta;
	t->zetan = zeta(t->nr_pos, theta);
	t->zeta2 = 1 + pow(0.5, theta);
	t->alpha = 1 / (1 - theta);
	t->eta = t->nr_pos > 2 ? (1 - pow(2 / n, 1 - theta)) /
					 (1 - t->zeta2 / t->zetan) :
				 0;
}

/* A rank 0..nr_pos-1, 0 the most likely. */
static unsigned long zipf_rank(const struct touch_state *t, struct prng *rng)
{
	double u = (double)(prng_next(rng) >> 11) * 0x1p-53;
	double uz = u * t->zetan, x;
	unsigned long r;

	if (uz < 1)
		return 0;
	if (uz < t->zeta2 || t->nr_pos <= 2)
		return 1;
	x = t->eta * u - t->eta + 1;
	r = (unsigned long)((double)t->nr_pos * pow(x > 0 ? x : 0, t->alpha));
	return r < t->nr_pos ? r : t->nr_pos - 1;
}

/* ---- setup ---------------------------------------------------------------- */

static int touch_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int touch_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int touch_check(const struct touch_args *a, char *err, size_t errlen)
{
	if ((unsigned)a->pattern >= NR_TOUCH_PATTERNS)
		return touch_error(
			err, errlen,
			"pattern %d: unknown (accepted: seq, random, zipf, stride, loop)",
			(int)a->pattern);
	if (!a->length)
		return touch_error(err, errlen,
				   "length 0: must be at least 1 byte");
	if (a->addr + a->length < a->addr)
		return touch_error(
			err, errlen,
			"addr %#lx + length %#lx: past the end of the address space",
			a->addr, a->length);
	if (a->pattern == TOUCH_STRIDE && !a->stride)
		return touch_error(err, errlen,
				   "stride: pattern stride needs a stride");
	if (a->stride > a->length)
		return touch_error(err, errlen,
				   "stride %lu: larger than length %lu",
				   a->stride, a->length);
	if (a->theta != 0 && !(a->theta > 0 && a->theta < 1))
		return touch_error(err, errlen,
				   "theta %g: out of range (0 < theta < 1)",
				   a->theta);
	return 0;
}

static uint64_t default_count(const struct touch_state *t)
{
	return t->pattern == TOUCH_LOOP ?
		       TOUCH_LOOP_PASSES * (uint64_t)t->nr_pos :
		       t->nr_pos;
}

int touch_init(struct touch_state *t, const struct touch_args *a, char *err,
	       size_t errlen)
{
	int ret = touch_check(a, err, errlen);

	if (ret)
		return ret;
	memset(t, 0, sizeof(*t));
	t->addr = a->addr;
	t->length = a->length;
	t->stride = a->stride ? a->stride : PAGE_SIZE;
	t->nr_pos = a->length / t->stride + (a->length % t->stride != 0);
	t->pattern = a->pattern;
	t->write = a->write;
	t->count = a->count ? a->count : default_count(t);
	prng_seed(&t->rng, a->seed);
	if (t->pattern == TOUCH_ZIPF) {
		zipf_init(t, a->theta ? a->theta : TOUCH_DEFAULT_THETA);
		perm_init(&t->perm, t->nr_pos, a->seed ^ 0x7a697066ULL);
	}
	return 0;
}

/* ---- the generator ------------------------------------------------------- */

/* The kinds of position sequence: seq, stride and loop share one. */
enum touch_kind { KIND_SEQ, KIND_RANDOM, KIND_ZIPF };

static enum touch_kind touch_kind(enum touch_pattern p)
{
	if (p == TOUCH_RANDOM)
		return KIND_RANDOM;
	return p == TOUCH_ZIPF ? KIND_ZIPF : KIND_SEQ;
}

/* The byte offset from addr of the next access's position. pos and off
 * (pos * stride) follow a sequential pass; rng the random draws. */
static __always_inline unsigned long
touch_next(const struct touch_state *t, enum touch_kind kind,
	   unsigned long *pos, unsigned long *off, struct prng *rng)
{
	unsigned long o;

	if (kind == KIND_RANDOM)
		return (unsigned long)prng_below(rng, t->nr_pos) * t->stride;
	if (kind == KIND_ZIPF)
		return perm_apply(&t->perm, zipf_rank(t, rng)) * t->stride;
	o = *off;
	if (++*pos == t->nr_pos) {
		*pos = 0;
		*off = 0;
	} else {
		*off += t->stride;
	}
	return o;
}

static inline unsigned long word_of(unsigned long va)
{
	return va & ~7UL;
}

uint64_t touch_generate(struct touch_state *t, unsigned long *addrs, uint64_t n)
{
	enum touch_kind kind = touch_kind(t->pattern);
	unsigned long off = t->next_pos * t->stride;
	uint64_t i;

	if (n > t->count - t->done)
		n = t->count - t->done;
	for (i = 0; i < n; i++)
		addrs[i] = word_of(t->addr + touch_next(t, kind, &t->next_pos,
							&off, &t->rng));
	t->done += n;
	return n;
}

/* ---- the hot loop ---------------------------------------------------------- */

/* An access that failed: the task is signalled. */
static void touch_failed(struct touch_state *t, unsigned long va)
{
	t->failed = true;
	t->fault_addr = va;
	/* Only a kernel bug (a fault not resolved) leaves no signal. */
	if (!current->fault_sig.signo)
		current->fault_sig =
			(struct fault_signal){ SIGSEGV, SEGV_MAPERR, va, 0 };
}

/* The data part of an access at pa of word va. */
static __always_inline void touch_data(char *ram, uint64_t pa, unsigned long va,
				       bool write, uint64_t *sum)
{
	if (write)
		*(uint64_t *)(ram + pa) = htole64((uint64_t)va);
	else
		*sum += le64toh(*(const uint64_t *)(ram + pa));
}

/* Up to n accesses of one kind; stops after an access that faulted (to
 * look at the budget) or failed. Returns the accesses made.
 *
 * Random and zipf accesses mostly miss the host's caches too: their data
 * is prefetched once translated and touched after the next translation,
 * so that the host fetches it while the MMU model works. Nothing can see
 * the difference: a translation reads and sets only page-table entries,
 * which user memory never is, and the pending access is made before any
 * fault is handled and before the chunk ends. */
static __always_inline uint64_t touch_chunk(struct touch_state *t, uint64_t n,
					    const enum touch_kind kind,
					    const bool write, const bool hook)
{
	const bool defer = kind != KIND_SEQ;
	const int cpu = smp_processor_id();
	struct mm_struct *const mm = current->mm;
	char *const ram = M->ram;
	const enum mmu_access acc = write ? MMU_WRITE : MMU_READ;
	const unsigned long base = t->addr;
	unsigned long pos = t->next_pos, off = pos * t->stride, pva = 0;
	struct prng rng = t->rng;
	uint64_t sum = 0, i, ppa = 0;
	bool pending = false;
	/* The reclaim policy's hook (exact LRU), only in chunk_hooked(). */
	void (*const touched)(struct page *) = hook ? M->reclaim->page_touched :
						      NULL;

	for (i = 0; i < n;) {
		unsigned long va =
			word_of(base + touch_next(t, kind, &pos, &off, &rng));
		struct mmu_fault f;
		enum translate_result r;
		uint64_t pa;

		r = translate(cpu, mm, va, acc, MMU_USER, &pa, &f);
		if (unlikely(r != TRANSLATE_OK)) {
			if (defer && pending) {
				touch_data(ram, ppa, pva, write, &sum);
				pending = false;
			}
			int ret = access_page_fault_flags(
				va, acc, true, r, &f, &pa,
				FAULT_FLAG_ALLOW_RETRY);

			if (ret == -EAGAIN) {
				t->blocked = true;
				t->blocked_va = va;
				break;
			}
			if (ret) {
				touch_failed(t, va);
				break;
			}
			n = i + 1; /* this access ends the chunk */
		}
		if (hook)
			touched(pfn_to_page(PFN_DOWN(pa)));
		i++;
		if (!defer) {
			touch_data(ram, pa, va, write, &sum);
			continue;
		}
		if (write) /* a constant where -O0 cannot see one */
			__builtin_prefetch(ram + pa, 1);
		else
			__builtin_prefetch(ram + pa, 0);
		if (pending)
			touch_data(ram, ppa, pva, write, &sum);
		ppa = pa;
		pva = va;
		pending = true;
	}
	if (defer && pending)
		touch_data(ram, ppa, pva, write, &sum);
	t->next_pos = pos;
	t->rng = rng;
	t->sum += sum;
	t->done += i;
	return i;
}

#define TOUCH_CHUNK_FN(name, kind, write)                                \
	static noinline uint64_t name(struct touch_state *t, uint64_t n) \
	{                                                                \
		return touch_chunk(t, n, kind, write, false);            \
	}

TOUCH_CHUNK_FN(chunk_seq_read, KIND_SEQ, false)
TOUCH_CHUNK_FN(chunk_seq_write, KIND_SEQ, true)
TOUCH_CHUNK_FN(chunk_random_read, KIND_RANDOM, false)
TOUCH_CHUNK_FN(chunk_random_write, KIND_RANDOM, true)
TOUCH_CHUNK_FN(chunk_zipf_read, KIND_ZIPF, false)
TOUCH_CHUNK_FN(chunk_zipf_write, KIND_ZIPF, true)

/* Under a policy with a page_touched hook: one generic loop, so that
 * the loops above stay as they were without it. */
static noinline uint64_t chunk_hooked(struct touch_state *t, uint64_t n)
{
	return touch_chunk(t, n, touch_kind(t->pattern), t->write, true);
}

static uint64_t run_chunk(struct touch_state *t, uint64_t n)
{
	if (unlikely(M->reclaim->page_touched != NULL))
		return chunk_hooked(t, n);
	switch (touch_kind(t->pattern)) {
	case KIND_RANDOM:
		return t->write ? chunk_random_write(t, n) :
				  chunk_random_read(t, n);
	case KIND_ZIPF:
		return t->write ? chunk_zipf_write(t, n) :
				  chunk_zipf_read(t, n);
	default:
		return t->write ? chunk_seq_write(t, n) : chunk_seq_read(t, n);
	}
}

/* Accesses in the next chunk: as many as the budget left pays for at
 * the TLB-hit cost, at most TOUCH_CHUNK, at least one. */
static uint64_t chunk_len(const struct touch_state *t, uint64_t left_ns)
{
	uint64_t hit = cost_ns(COST_TLB_HIT), n = TOUCH_CHUNK;

	if (hit && left_ns / hit < n)
		n = left_ns / hit + 1;
	return min(n, t->count - t->done);
}

/* The access that blocked, again (its fault is a retry): 0, -EAGAIN
 * while it still waits, or -EFAULT. */
static int touch_retry(struct touch_state *t)
{
	const enum mmu_access acc = t->write ? MMU_WRITE : MMU_READ;
	unsigned long va = t->blocked_va;
	struct mmu_fault f;
	enum translate_result r;
	uint64_t pa;
	int ret = 0;

	/* Running again: the sleep in io_schedule() is over, and the
	 * memory stall it may have been. */
	current->in_iowait = false;
	swap_wait_done();
	r = translate(smp_processor_id(), current->mm, va, acc, MMU_USER, &pa,
		      &f);
	if (r != TRANSLATE_OK)
		ret = access_page_fault_flags(va, acc, true, r, &f, &pa,
					      FAULT_FLAG_ALLOW_RETRY |
						      FAULT_FLAG_TRIED);
	if (ret == -EAGAIN)
		return ret;
	t->blocked = false;
	if (ret) {
		touch_failed(t, va);
		return ret;
	}
	if (M->reclaim->page_touched)
		M->reclaim->page_touched(pfn_to_page(PFN_DOWN(pa)));
	touch_data(M->ram, pa, va, t->write, &t->sum);
	cost_charge_user_n(COST_TLB_HIT, 1);
	t->user_ns += cost_ns(COST_TLB_HIT);
	t->faults += r != TRANSLATE_OK;
	t->done++;
	return 0;
}

enum touch_result touch_run(struct touch_state *t, uint64_t budget_ns)
{
	struct task_struct *p = current;
	const struct tlb_stats *st;
	uint64_t charged = 0;

	if (t->failed)
		return TOUCH_SIGNAL;
	p->fault_sig.signo = 0;
	if (!p->mm) {
		touch_failed(t, t->addr);
		return TOUCH_SIGNAL;
	}
	if (t->blocked) {
		int ret = touch_retry(t);

		if (ret == -EAGAIN)
			return TOUCH_BLOCKED;
		if (ret)
			return TOUCH_SIGNAL;
	}
	st = &mmu_cpu(M->mmu, smp_processor_id())->tlb.stats;
	while (t->done < t->count) {
		unsigned long steps = st->walk_steps, faults = st->page_faults;
		uint64_t sys = p->body.sys_ns, done, user;

		done = run_chunk(t, chunk_len(t, budget_ns - charged));
		steps = st->walk_steps - steps;
		user = done * cost_ns(COST_TLB_HIT) +
		       steps * cost_ns(COST_WALK_STEP);
		cost_charge_user_n(COST_TLB_HIT, done);
		cost_charge_user_n(COST_WALK_STEP, steps);
		sys = p->body.sys_ns - sys;
		t->faults += st->page_faults - faults;
		t->walk_steps += steps;
		t->user_ns += user;
		t->sys_ns += sys;
		charged += user + sys;
		if (t->failed)
			return TOUCH_SIGNAL;
		if (t->blocked)
			return TOUCH_BLOCKED;
		if (charged >= budget_ns)
			break;
	}
	return t->done < t->count ? TOUCH_MORE : TOUCH_DONE;
}
