/* TLB maintenance as Linux 6.x does it on x86 (arch/x86/mm/tlb.c):
 * switch_mm_irqs_off() with TLB_NR_DYN_ASIDS PCID slots per CPU and TLB
 * generations (mm->context.tlb_gen against each slot's tlb_gen), lazy TLB
 * mode, flush_tlb_mm_range() with its single-page ceiling, and shootdowns
 * by "IPI": the function runs on each target CPU in turn, with that CPU
 * as smp_processor_id(). Counters: nr_tlb_remote_flush (per multi-CPU
 * flush sent), nr_tlb_remote_flush_received (per CPU that ran it),
 * nr_tlb_local_flush_all / _one (on the initiating CPU). */
#include "arch/tlbflush.h"

#include <string.h>

#include "arch/mmu.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"

_Static_assert(NR_CPUS <= MM_CPUMASK_BITS, "mm_cpumask too small");

struct flush_tlb_info {
	struct mm_struct *mm; /* NULL: kernel addresses */
	unsigned long start, end;
	uint64_t new_tlb_gen;
	unsigned stride_shift;
	bool freed_tables;
	int initiating_cpu;
};

static struct mmu_cpu *this_mmu(void)
{
	return mmu_cpu(M->mmu, smp_processor_id());
}

struct mm_struct *this_cpu_loaded_mm(void)
{
	return this_mmu()->state.loaded_mm;
}

bool this_cpu_is_lazy(void)
{
	return this_mmu()->state.is_lazy;
}

/* Runs fn(info) on cpu, as an IPI handler would. */
static void run_on_cpu(int cpu, void (*fn)(void *), void *info)
{
	int saved = M->this_cpu;

	M->this_cpu = cpu;
	fn(info);
	M->this_cpu = saved;
}

static void on_each_cpu(void (*fn)(void *), void *info)
{
	int cpu;

	for_each_online_cpu(cpu)
		run_on_cpu(cpu, fn, info);
}

/* ---- this CPU's flushes ------------------------------------------------- */

void flush_tlb_one_user(unsigned long addr)
{
	struct mmu_cpu *c = this_mmu();

	c->tlb.stats.invlpg++;
	tlb_invlpg(&c->tlb, addr, c->pcid);
}

void flush_tlb_one_kernel(unsigned long addr)
{
	flush_tlb_one_user(addr);
}

void flush_tlb_local(void)
{
	struct mmu_cpu *c = this_mmu();

	c->tlb.stats.flushes++;
	tlb_flush_nonglobal(&c->tlb, M->mmu->pcid ? (int)c->pcid : -1);
}

void __flush_tlb_all(void)
{
	struct mmu_cpu *c = this_mmu();

	c->tlb.stats.flushes++;
	tlb_flush_everything(&c->tlb);
}

/* ---- switching address spaces ---------------------------------------------- */

static void choose_new_asid(struct cpu_tlbstate *s, struct mm_struct *next,
			    uint64_t next_tlb_gen, uint16_t *new_asid,
			    bool *need_flush)
{
	if (!M->mmu->pcid) {
		*new_asid = 0;
		*need_flush = true;
		return;
	}
	for (uint16_t asid = 0; asid < TLB_NR_DYN_ASIDS; asid++) {
		if (s->ctxs[asid].ctx_id != next->context.ctx_id)
			continue;
		*new_asid = asid;
		*need_flush = s->ctxs[asid].tlb_gen < next_tlb_gen;
		return;
	}
	/* No slot on this CPU yet: take the next one round-robin. */
	*new_asid = s->next_asid++;
	if (*new_asid >= TLB_NR_DYN_ASIDS) {
		*new_asid = 0;
		s->next_asid = 1;
	}
	*need_flush = true;
}

void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next,
			struct task_struct *tsk)
{
	int cpu = smp_processor_id();
	struct cpu_tlbstate *s = &this_mmu()->state;
	struct mm_struct *real_prev = s->loaded_mm;
	uint16_t new_asid;
	bool was_lazy = s->is_lazy, need_flush;
	uint64_t next_tlb_gen = next->context.tlb_gen;

	(void)prev;
	(void)tsk;
	s->is_lazy = false;
	this_mmu()->fast_mm = next; /* loaded, not lazy, on every path */
	if (real_prev == next) {
		/* Back from lazy mode: flush if flushes were skipped. */
		if (!was_lazy ||
		    s->ctxs[s->loaded_mm_asid].tlb_gen == next_tlb_gen)
			return;
		new_asid = s->loaded_mm_asid;
		need_flush = true;
	} else {
		if (real_prev != &init_mm)
			cpumask_clear_cpu(cpu, mm_cpumask(real_prev));
		if (next != &init_mm)
			cpumask_set_cpu(cpu, mm_cpumask(next));
		choose_new_asid(s, next, next_tlb_gen, &new_asid, &need_flush);
	}
	if (need_flush) {
		s->ctxs[new_asid].ctx_id = next->context.ctx_id;
		s->ctxs[new_asid].tlb_gen = next_tlb_gen;
	}
	load_new_mm_cr3(cpu, next->pgd, new_asid, need_flush);
	s->loaded_mm = next;
	s->loaded_mm_asid = new_asid;
}

void enter_lazy_tlb(struct mm_struct *mm, struct task_struct *tsk)
{
	struct cpu_tlbstate *s = &this_mmu()->state;

	(void)mm;
	(void)tsk;
	if (s->loaded_mm == &init_mm)
		return;
	s->is_lazy = true;
	this_mmu()->fast_mm = NULL;
}

void leave_mm(void)
{
	if (this_cpu_loaded_mm() == &init_mm)
		return;
	switch_mm_irqs_off(NULL, &init_mm, NULL);
}

void tlbflush_init_cpu(int cpu)
{
	struct cpu_tlbstate *s = &mmu_cpu(M->mmu, cpu)->state;

	*s = (struct cpu_tlbstate){ .loaded_mm = &init_mm, .next_asid = 1 };
	mmu_cpu(M->mmu, cpu)->fast_mm = &init_mm;
	s->ctxs[0].ctx_id = init_mm.context.ctx_id;
	s->ctxs[0].tlb_gen = init_mm.context.tlb_gen;
	load_new_mm_cr3(cpu, init_mm.pgd, 0, true);
}

/* ---- flushing an mm ------------------------------------------------------- */

static void flush_partial(const struct flush_tlb_info *f, bool local)
{
	unsigned long nr = (f->end - f->start) >> f->stride_shift;

	for (unsigned long addr = f->start; addr < f->end;
	     addr += 1UL << f->stride_shift)
		flush_tlb_one_user(addr);
	if (local)
		count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, nr);
}

/* Brings this CPU's TLB up to f->mm's generation (Linux's flush_tlb_func). */
static void flush_tlb_func(void *info)
{
	const struct flush_tlb_info *f = info;
	struct mmu_cpu *c = this_mmu();
	struct cpu_tlbstate *s = &c->state;
	struct mm_struct *loaded_mm = s->loaded_mm;
	bool local = smp_processor_id() == f->initiating_cpu;
	uint64_t local_tlb_gen = s->ctxs[s->loaded_mm_asid].tlb_gen;
	uint64_t mm_tlb_gen;

	if (!local)
		count_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);
	/* The CPU was left in the mm's cpumask: take it out. */
	if (f->mm && f->mm != loaded_mm) {
		cpumask_clear_cpu(smp_processor_id(), mm_cpumask(f->mm));
		return;
	}
	if (loaded_mm == &init_mm)
		return;
	if (s->is_lazy) {
		/* Cheaper than a flush: drop the borrowed mm. */
		switch_mm_irqs_off(NULL, &init_mm, NULL);
		return;
	}
	if (f->new_tlb_gen != TLB_GENERATION_INVALID &&
	    f->new_tlb_gen <= local_tlb_gen)
		return;
	mm_tlb_gen = loaded_mm->context.tlb_gen;
	if (local_tlb_gen == mm_tlb_gen)
		goto done;
	if (f->end != TLB_FLUSH_ALL && f->new_tlb_gen == local_tlb_gen + 1 &&
	    f->new_tlb_gen == mm_tlb_gen) {
		flush_partial(f, local);
	} else {
		flush_tlb_local();
		if (local)
			count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	}
done:
	s->ctxs[s->loaded_mm_asid].tlb_gen = mm_tlb_gen;
}

/* Lazy CPUs catch up at their next switch_mm; the others must flush. */
static bool should_flush_tlb(int cpu, const struct flush_tlb_info *info)
{
	const struct cpu_tlbstate *s = &mmu_cpu(M->mmu, cpu)->state;

	if (s->is_lazy)
		return false;
	if (!info->mm)
		return true;
	return s->loaded_mm == info->mm;
}

static void flush_tlb_multi(const unsigned long *cpumask,
			    struct flush_tlb_info *info)
{
	unsigned long mask[MM_CPUMASK_BITS / 64];
	int cpu;

	count_vm_event(NR_TLB_REMOTE_FLUSH);
	/* The handlers may change the mask (flush_tlb_func trims it). */
	memcpy(mask, cpumask, sizeof(mask));
	for_each_online_cpu(cpu) {
		if (!cpumask_test_cpu(cpu, mask))
			continue;
		if (info->freed_tables || should_flush_tlb(cpu, info))
			run_on_cpu(cpu, flush_tlb_func, info);
	}
}

static bool other_cpu_in_mask(const unsigned long *mask, int self)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (cpu != self && cpumask_test_cpu(cpu, mask))
			return true;
	return false;
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start,
			unsigned long end, unsigned int stride_shift,
			bool freed_tables)
{
	int cpu = smp_processor_id();
	struct flush_tlb_info info;

	if (end == TLB_FLUSH_ALL ||
	    ((end - start) >> stride_shift) >
		    M->mmu->tlb_single_page_flush_ceiling) {
		start = 0;
		end = TLB_FLUSH_ALL;
	}
	info = (struct flush_tlb_info){
		.mm = mm,
		.start = start,
		.end = end,
		.new_tlb_gen = ++mm->context.tlb_gen,
		.stride_shift = stride_shift,
		.freed_tables = freed_tables,
		.initiating_cpu = cpu,
	};
	if (other_cpu_in_mask(mm_cpumask(mm), cpu))
		flush_tlb_multi(mm_cpumask(mm), &info);
	else if (mm == this_cpu_loaded_mm())
		flush_tlb_func(&info);
}

/* ---- kernel addresses --------------------------------------------------------- */

static void do_flush_tlb_all(void *info)
{
	(void)info;
	count_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);
	__flush_tlb_all();
}

void flush_tlb_all(void)
{
	count_vm_event(NR_TLB_REMOTE_FLUSH);
	on_each_cpu(do_flush_tlb_all, NULL);
}

static void do_kernel_range_flush(void *info)
{
	const struct flush_tlb_info *f = info;

	for (unsigned long addr = f->start; addr < f->end; addr += PAGE_SIZE)
		flush_tlb_one_kernel(addr);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct flush_tlb_info info = { .start = start, .end = end };

	if (end == TLB_FLUSH_ALL ||
	    end - start > M->mmu->tlb_single_page_flush_ceiling << PAGE_SHIFT)
		on_each_cpu(do_flush_tlb_all, NULL);
	else
		on_each_cpu(do_kernel_range_flush, &info);
}
