/* The OOM killer (mm/oom_kill.c): when reclaim cannot free memory, the
 * process with the highest badness (rss + swap entries + page tables,
 * moved by oom_score_adj) is killed with SIGKILL, gets the OOM reserves
 * while it dies, and its anonymous memory is reaped. The report is
 * Linux's: "invoked oom-killer", Mem-Info, the task table, the oom-kill
 * summary, "Out of memory: Killed process", "oom_reaper: reaped".
 * Linux's oom_reaper thread reaps shortly after the kill; mmsim reaps at
 * once (a task body never waits inside a step), except the victim that
 * is current: it dies at its next step, or is reaped by the next OOM. */
#include "mm/oom.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>

#include "base/seq_file.h"
#include "kernel/fork.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "mm/internal.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

#define K(x) ((x) << (PAGE_SHIFT - 10))
/* oc->chosen when a victim is still on its way out (Linux's -1UL). */
#define OOM_ABORT ((struct task_struct *)-1L)

static const char *const oom_constraint_text[] = {
	[CONSTRAINT_NONE] = "CONSTRAINT_NONE",
	[CONSTRAINT_CPUSET] = "CONSTRAINT_CPUSET",
	[CONSTRAINT_MEMORY_POLICY] = "CONSTRAINT_MEMORY_POLICY",
	[CONSTRAINT_MEMCG] = "CONSTRAINT_MEMCG",
};

/* ---- who may be killed ------------------------------------------------------ */

static bool is_global_init(const struct task_struct *p)
{
	return p->tgid == 1;
}

static bool oom_unkillable_task(const struct task_struct *p)
{
	return is_global_init(p) || (p->flags & PF_KTHREAD);
}

/* The credentials of signal.c's kill_ok_by_cred(): root for swapper,
 * init and kernel threads, uid 1000 for every user task. */
static unsigned task_uid(const struct task_struct *p)
{
	return (!p->pid || oom_unkillable_task(p)) ? 0 : 1000;
}

bool capable_sys_resource(void)
{
	return (current->flags & (PF_IDLE | PF_KTHREAD)) ||
	       is_global_init(current);
}

/* find_lock_task_mm(): a thread of p's process still using its mm. */
static struct task_struct *find_task_mm(struct task_struct *p)
{
	struct task_struct *t;

	for_each_thread(p, t)
	{
		if (t->mm)
			return t;
	}
	return NULL;
}

/* Whether p's process uses mm. */
static bool process_shares_mm(struct task_struct *p, const struct mm_struct *mm)
{
	struct task_struct *t = find_task_mm(p);

	return t && t->mm == mm;
}

static bool same_thread_group(const struct task_struct *a,
			      const struct task_struct *b)
{
	return a->tgid == b->tgid;
}

/* A vfork child borrowing its parent's mm is not judged by it. */
static bool in_vfork(const struct task_struct *p)
{
	return p->vfork_parent && p->vfork_parent->mm == p->mm;
}

/* The OOM killer is done with mm: reaped, or its owner exited (Linux's
 * exit_mmap() sets MMF_OOM_SKIP; here the last user's going counts). */
static bool mm_oom_skip(struct mm_struct *mm)
{
	if (!mm->mm_users)
		mm->flags |= 1UL << MMF_OOM_SKIP;
	return mm->flags & (1UL << MMF_OOM_SKIP);
}

long oom_badness(struct task_struct *p, unsigned long totalpages)
{
	struct mm_struct *mm;
	long points, adj;

	if (oom_unkillable_task(p))
		return LONG_MIN;
	p = find_task_mm(p);
	if (!p)
		return LONG_MIN;
	mm = p->mm;
	adj = p->signal->oom_score_adj;
	if (adj == OOM_SCORE_ADJ_MIN || mm_oom_skip(mm) || in_vfork(p))
		return LONG_MIN;
	points = (long)(get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS)) +
		 mm->pgtables_bytes / (long)PAGE_SIZE;
	return points + adj * (long)(totalpages / 1000);
}

static unsigned long oom_totalpages(void)
{
	return M->totalram_pages + (unsigned long)M->total_swap_pages;
}

unsigned long oom_score(struct task_struct *p)
{
	long total = (long)oom_totalpages();
	long badness = oom_badness(p, (unsigned long)total);

	if (badness == LONG_MIN || total <= 0)
		return 0;
	return (unsigned long)((1000 + badness * 1000 / total) * 2 / 3);
}

/* ---- the report --------------------------------------------------------------- */

static void dump_task(struct task_struct *p)
{
	struct task_struct *t;
	struct mm_struct *mm;

	if (oom_unkillable_task(p) || !(t = find_task_mm(p)))
		return;
	mm = t->mm;
	pr_info("[%7d] %5u %5d %8lu %8lu %8lu %8lu %9lu %8ld %8lu         %5hd %s\n",
		t->pid, task_uid(t), t->tgid, mm->total_vm, get_mm_rss(mm),
		get_mm_counter(mm, MM_ANONPAGES),
		get_mm_counter(mm, MM_FILEPAGES),
		get_mm_counter(mm, MM_SHMEMPAGES), mm->pgtables_bytes,
		get_mm_counter(mm, MM_SWAPENTS), t->signal->oom_score_adj,
		t->comm);
}

static void dump_tasks(void)
{
	struct task_struct *p;

	pr_info("Tasks state (memory values in pages):\n");
	pr_info("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n");
	for_each_process(p)
	{
		dump_task(p);
	}
}

static void dump_header(const struct oom_control *oc)
{
	struct seq_file m;

	seq_init(&m);
	format_gfp_flags(&m, oc->gfp_mask);
	pr_warn("%s invoked oom-killer: gfp_mask=%#x(%s), order=%d, oom_score_adj=%d\n",
		current->comm, oc->gfp_mask, seq_text(&m), oc->order,
		current->signal->oom_score_adj);
	seq_release(&m);
	print_cpu_line(); /* dump_stack() */
	__show_mem(gfp_zone(oc->gfp_mask));
	if (M->oom_dump_tasks)
		dump_tasks();
}

/* The one-line summary: no cpusets or memory cgroups, every node. */
static void dump_oom_victim(const struct oom_control *oc,
			    const struct task_struct *victim)
{
	char mems[16];

	if (M->nr_nodes == 1)
		snprintf(mems, sizeof(mems), "0");
	else
		snprintf(mems, sizeof(mems), "0-%d", M->nr_nodes - 1);
	pr_info("oom-kill:constraint=%s,nodemask=(null),cpuset=/,mems_allowed=%s,global_oom,task_memcg=/,task=%s,pid=%d,uid=%u\n",
		oom_constraint_text[oc->constraint], mems, victim->comm,
		victim->pid, task_uid(victim));
}

/* ---- the kill and the reaping ------------------------------------------------ */

/* mark_oom_victim(): the process may use the OOM reserves (ALLOC_OOM). */
static void mark_oom_victim(struct task_struct *tsk)
{
	if (tsk->signal->oom_mm || !tsk->mm)
		return;
	tsk->signal->oom_mm = tsk->mm;
	mmgrab(tsk->mm);
}

/* __oom_reap_task_mm(): unmaps what can go without I/O: anonymous and
 * private mappings (shared file mappings stay for exit to release). */
static void __oom_reap_task_mm(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	for (vma = mm->mmap; vma; vma = vma->vm_next) {
		if (vma->vm_flags & (VM_HUGETLB | VM_PFNMAP))
			continue;
		if (vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED))
			zap_page_range_single(vma, vma->vm_start,
					      vma->vm_end - vma->vm_start);
	}
}

static void oom_reap_task(struct task_struct *tsk)
{
	struct mm_struct *mm = tsk->signal->oom_mm;

	if (mm_oom_skip(mm))
		return; /* it exited on its own */
	__oom_reap_task_mm(mm);
	pr_info("oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB\n",
		tsk->pid, tsk->comm, K(get_mm_counter(mm, MM_ANONPAGES)),
		K(get_mm_counter(mm, MM_FILEPAGES)),
		K(get_mm_counter(mm, MM_SHMEMPAGES)));
	mm->flags |= 1UL << MMF_OOM_SKIP;
}

/* queue_oom_reaper(): the reaping happens now, between the victim's
 * steps; never under current's own feet (current may be inside a fault
 * of that mm: its own, or one it shares with the victim). */
static void queue_oom_reaper(struct task_struct *tsk)
{
	if (tsk->signal->oom_mm != current->mm)
		oom_reap_task(tsk);
}

/* The process will free its memory without a kill: it is exiting or has
 * SIGKILL pending (Linux's SIGNAL_GROUP_EXIT is set at the send). */
static bool __task_will_free_mem(struct task_struct *task)
{
	if (task->signal->flags & SIGNAL_GROUP_EXIT)
		return true;
	if (fatal_signal_pending(task))
		return true;
	return thread_group_empty(task) && (task->flags & PF_EXITING);
}

/* task_will_free_mem(): so does every process sharing its mm. */
static bool task_will_free_mem(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;
	struct task_struct *p;

	if (!mm || !__task_will_free_mem(task) || mm_oom_skip(mm))
		return false;
	if (mm->mm_users <= 1)
		return true;
	for_each_process(p)
	{
		if (!process_shares_mm(p, mm) || same_thread_group(task, p))
			continue;
		if (!__task_will_free_mem(p))
			return false;
	}
	return true;
}

static void __oom_kill_process(struct task_struct *victim, const char *message)
{
	struct task_struct *p = find_task_mm(victim);
	bool can_oom_reap = true;
	struct mm_struct *mm;

	if (!p) {
		pr_info("%s: OOM victim %d (%s) is already exiting. Skip killing the task\n",
			message, victim->pid, victim->comm);
		return;
	}
	victim = p;
	mm = victim->mm;
	mmgrab(mm);
	count_vm_event(OOM_KILL);
	/* SIGKILL first, then the reserves: the victim cannot use them
	 * for anything but dying. */
	send_sig(SIGKILL, victim);
	mark_oom_victim(victim);
	pr_err("%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%d\n",
	       message, victim->pid, victim->comm, K(mm->total_vm),
	       K(get_mm_counter(mm, MM_ANONPAGES)),
	       K(get_mm_counter(mm, MM_FILEPAGES)),
	       K(get_mm_counter(mm, MM_SHMEMPAGES)), task_uid(victim),
	       (unsigned long)mm->pgtables_bytes >> 10,
	       victim->signal->oom_score_adj);
	/* Other processes sharing the mm die too (without reserves). */
	for_each_process(p)
	{
		if (!process_shares_mm(p, mm) || same_thread_group(p, victim))
			continue;
		if (is_global_init(p)) {
			can_oom_reap = false;
			mm->flags |= 1UL << MMF_OOM_SKIP;
			pr_info("oom killer %d (%s) has mm pinned by %d (%s)\n",
				victim->pid, victim->comm, p->pid, p->comm);
			continue;
		}
		if (p->flags & PF_KTHREAD)
			continue;
		send_sig(SIGKILL, p);
	}
	if (can_oom_reap)
		queue_oom_reaper(victim);
	mmdrop(mm);
}

static void oom_kill_process(struct oom_control *oc, const char *message)
{
	static _Thread_local unsigned long rs_boot;
	static _Thread_local uint64_t rs_begin;
	static _Thread_local int rs_printed;
	struct task_struct *victim = find_task_mm(oc->chosen);

	/* Already dying: no alarm, only the reserves and the reaper. */
	if (victim && task_will_free_mem(victim)) {
		mark_oom_victim(victim);
		queue_oom_reaper(victim);
		return;
	}
	if (__printk_ratelimit(&rs_boot, &rs_begin, &rs_printed)) {
		dump_header(oc);
		dump_oom_victim(oc, victim ? victim : oc->chosen);
	}
	__oom_kill_process(oc->chosen, message);
}

/* ---- choosing the victim ------------------------------------------------------- */

static int oom_evaluate_task(struct task_struct *task, struct oom_control *oc)
{
	long points;

	if (oom_unkillable_task(task))
		return 0;
	/* A victim on its way out: wait for it (Linux), unless its mm is
	 * done with. mmsim cannot wait inside a step, so it reaps the
	 * victim now, as the oom_reaper would shortly; only a victim that
	 * is current is left to die at its next step. */
	if (tsk_is_oom_victim(task)) {
		if (mm_oom_skip(task->signal->oom_mm))
			return 0;
		queue_oom_reaper(task);
		oc->chosen = OOM_ABORT;
		return 1;
	}
	points = oom_badness(task, oc->totalpages);
	if (points == LONG_MIN || points < oc->chosen_points)
		return 0;
	oc->chosen = task;
	oc->chosen_points = points;
	return 0;
}

static void select_bad_process(struct oom_control *oc)
{
	struct task_struct *p;

	oc->chosen_points = LONG_MIN;
	for_each_process(p)
	{
		if (oom_evaluate_task(p, oc))
			break;
	}
}

static void check_panic_on_oom(const struct oom_control *oc)
{
	if (!M->panic_on_oom)
		return;
	if (M->panic_on_oom != 2 && oc->constraint != CONSTRAINT_NONE)
		return;
	dump_header(oc);
	panic("Out of memory: %s panic_on_oom is enabled\n",
	      M->panic_on_oom == 2 ? "compulsory" : "system-wide");
}

bool out_of_memory(struct oom_control *oc)
{
	if (machine_halted() || !current)
		return false; /* halted, or early boot */
	/* A dying current gets the reserves rather than a new victim. */
	if (task_will_free_mem(current)) {
		mark_oom_victim(current);
		queue_oom_reaper(current);
		return true;
	}
	/* Linux returns true for GFP_NOFS (no kill, the caller retries
	 * until others free memory); mmsim cannot wait: it fails. */
	if (!(oc->gfp_mask & __GFP_FS))
		return false;
	oc->constraint = CONSTRAINT_NONE;
	oc->totalpages = oom_totalpages();
	oc->chosen = NULL;
	check_panic_on_oom(oc);
	if (machine_halted())
		return false;
	if (M->oom_kill_allocating_task && current->mm &&
	    !oom_unkillable_task(current) &&
	    current->signal->oom_score_adj != OOM_SCORE_ADJ_MIN) {
		oc->chosen = current->group_leader;
		oom_kill_process(oc,
				 "Out of memory (oom_kill_allocating_task)");
		return true;
	}
	select_bad_process(oc);
	if (!oc->chosen) {
		dump_header(oc);
		pr_warn("Out of memory and no killable processes...\n");
		panic("System is deadlocked on memory\n");
		return false;
	}
	if (oc->chosen != OOM_ABORT)
		oom_kill_process(oc, "Out of memory");
	return true;
}

bool pagefault_out_of_memory(void)
{
	if (machine_halted() || fatal_signal_pending(current) ||
	    tsk_is_oom_victim(current))
		return false;
	pr_warn_ratelimited(
		"Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF\n");
	return true;
}

/* ---- oom_score_adj ----------------------------------------------------------------- */

int set_oom_score_adj(struct task_struct *task, int adj, bool legacy)
{
	struct signal_struct *sig = task->signal;
	bool capable = capable_sys_resource();
	struct task_struct *t = find_task_mm(task), *p;

	if (legacy) {
		if (adj < sig->oom_score_adj && !capable)
			return -EACCES;
		pr_warn_once(
			"%s (%d): /proc/%d/oom_adj is deprecated, please use /proc/%d/oom_score_adj instead.\n",
			current->comm, current->pid, task->pid, task->pid);
	} else if (adj < sig->oom_score_adj_min && !capable) {
		return -EACCES;
	}
	sig->oom_score_adj = (short)adj;
	if (!legacy && capable)
		sig->oom_score_adj_min = (short)adj;
	if (!t || in_vfork(t))
		return 0;
	/* Processes sharing the mm (CLONE_VM without a thread) agree. */
	for_each_process(p)
	{
		if (same_thread_group(task, p) || oom_unkillable_task(p) ||
		    p->vfork_parent || !process_shares_mm(p, t->mm))
			continue;
		p->signal->oom_score_adj = (short)adj;
		if (!legacy && capable)
			p->signal->oom_score_adj_min = (short)adj;
	}
	return 0;
}
