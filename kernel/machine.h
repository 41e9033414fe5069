/* The simulated machine: its hardware configuration (RAM, nodes, CPUs,
 * arch), its RAM mapping and everything the kernel keeps globally. Kernel
 * code finds the active machine through one thread-local pointer, the
 * analogue of Linux's per-CPU globals, so one host process can hold
 * several machines and tests can boot, tear down and boot again. */
#ifndef MMSIM_KERNEL_MACHINE_H
#define MMSIM_KERNEL_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arch/arch.h"
#include "base/prng.h"
#include "base/seq_file.h"
#include "drivers/block/sim_disk.h"
#include "kernel/cost.h"
#include "mm/memblock.h"
#include "mm/mmzone.h"
#include "mm/reclaim_policy.h"

#define NR_CPUS 256
#define MAX_SYSCTL_OVERRIDES 32
#define MAX_SWAP_OPTIONS 8

/* The slab allocator a machine boots with, as Kconfig's CONFIG_SLUB,
 * CONFIG_SLAB or CONFIG_SLOB chose it. */
enum slab_impl {
	SLAB_IMPL_SLUB, /* the default */
	SLAB_IMPL_SLAB,
	SLAB_IMPL_SLOB,
};

struct pt_format;
struct mmu_state;
struct timer_bases;
struct sched_state;
struct vmalloc_state;
struct blk_state;
struct swap_state;
struct vmscan_state;

/* vm.overcommit_memory (include/uapi/linux/mman.h). */
#define OVERCOMMIT_GUESS 0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER 2

struct machine_config {
	uint64_t ram_bytes;
	int nr_nodes;
	int nr_cpus;
	const struct arch_desc *arch;
	uint64_t kernel_image_bytes;
	enum slab_impl slab;
	enum reclaim_policy reclaim; /* --reclaim: lru (default), clock... */
	struct mmu_config mmu; /* paging mode, PCID, gbpages, TLB geometry */
	int nr_sysctls; /* "vm.NAME" or "kernel.NAME" = value, applied after
			 * boot, in order */
	const char *sysctls[MAX_SYSCTL_OVERRIDES];
	const char *sysctl_values[MAX_SYSCTL_OVERRIDES];
	struct cost_model cost; /* ns per action (kernel/cost.h) */
	uint64_t seed; /* of the machine's PRNG (kernel/random.h); default 0 */
	struct disk_config disk; /* --disk and mmsim.disk.NAME */
	int nr_swaps; /* --swap SIZE[:TYPE][:FILE], swapped on at boot */
	const char *swaps[MAX_SWAP_OPTIONS];
};

struct task_struct;
struct kmem_cache;
struct pid_table;
struct page;

struct cpu {
	int preempt_count;
	int node;
	struct task_struct *curr; /* the running task (`current`) */
	struct task_struct *idle; /* swapper/N */
};

/* Slab caches of processes and address spaces (kernel/fork.c,
 * mm/rmap.c), named as in Linux. */
struct proc_caches {
	struct kmem_cache *task_struct, *signal, *mm_struct, *vm_area_struct;
	struct kmem_cache *anon_vma, *anon_vma_chain;
};

/* The kernel image as Linux's boot log splits it (sizes in bytes). */
struct kernel_image {
	uint64_t start, code, rwdata, rodata, init, bss;
};

/* Static kernel data in the image: the slab globals at the start of
 * .data; in .bss, swapper_pg_dir and the early page-table buffer (up to
 * 17 pages), then init_task with its signal_struct (one page),
 * init_stack (4 pages), the pid table (init_pid_ns, 2 pages for the
 * default pid_max), and empty_zero_page as the last page. */
#define IMAGE_BSS_INIT_TASK_PAGE 17UL
#define IMAGE_BSS_INIT_STACK_PAGE 18UL
#define IMAGE_BSS_PID_PAGE 22UL

static inline uint64_t kernel_bss_start(const struct kernel_image *k)
{
	return k->start + k->code + k->rwdata + k->rodata + k->init;
}

struct machine {
	struct machine_config cfg;
	const struct arch_desc *arch;

	/* Physical memory: RAM is [phys_ram_base, phys_ram_base + ram_bytes)
	 * (phys_ram_base 0 on x86, 0x80000000 on riscv64). One host mapping
	 * of a memory file (ram_fd, offset 0 = phys_ram_base) follows an
	 * inaccessible reservation of phys_ram_base bytes, so phys address p
	 * is ram + p. */
	char *ram;
	int ram_fd;
	uint64_t phys_ram_base;
	uint64_t ram_bytes;
	unsigned long max_pfn;
	unsigned long max_low_pfn; /* end of memory the kernel maps directly */
	struct memblock memblock;
	struct kernel_image image;

	int nr_nodes;
	pg_data_t *node_data[MAX_NUMNODES];
	unsigned char node_distance[MAX_NUMNODES][MAX_NUMNODES];

	int nr_cpus;
	int this_cpu; /* the CPU running kernel code now */
	struct cpu cpus[NR_CPUS];
	unsigned long percpu_bytes; /* meminfo Percpu */

	/* Page tables, MMU and TLBs (arch/pgtable.h, arch/mmu.h). */
	const struct pt_format *pt_fmt;
	struct mmu_state *mmu;
	struct vmalloc_state *vmalloc; /* mm/vmalloc.c */

	/* Page allocator state. */
	unsigned long totalram_pages;
	unsigned long physpages;
	unsigned long totalreserve_pages;
	bool page_group_by_mobility_disabled;
	bool pcp_disabled; /* benchmarks: bypass the per-CPU lists */
	enum zone_type policy_zone;
	unsigned long vm_events[NR_VM_EVENT_ITEMS];
	unsigned long nr_memmap_boot_pages;

	/* vm sysctls (kernel/sysctl.c). */
	int min_free_kbytes;
	int user_min_free_kbytes; /* -1 until the user writes one */
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;
	int overcommit_ratio;
	unsigned long overcommit_kbytes;
	int overcommit_memory; /* OVERCOMMIT_GUESS, _ALWAYS or _NEVER */
	long total_swap_pages; /* swap space (none until swap exists) */
	int vm_swappiness; /* vm.swappiness, 0..200 */
	int page_cluster; /* vm.page-cluster: swap readahead 2^N pages */
	int drop_caches; /* vm.drop_caches: the last value written */
	bool drop_caches_stfu; /* 4 was written: no more log lines */
	int max_map_count;
	unsigned long mmap_min_addr;
	int legacy_va_layout;
	unsigned long stack_guard_gap; /* bytes (stack_guard_gap= boot option) */
	int mmap_rnd_bits; /* bits of mmap_base's random offset, in pages */
	int panic_on_oom; /* 0, 1 (global OOM panics), 2 (any OOM panics) */
	int oom_kill_allocating_task; /* kill the allocating task first */
	int oom_dump_tasks; /* the OOM report lists the tasks (default 1) */

	/* kernel.randomize_va_space: 0 off, 1 mmap_base and stack, 2 brk
	 * too (Linux's default). */
	int randomize_va_space;
	struct prng rng; /* every random number (kernel/random.h) */

	/* Processes and address spaces (kernel/fork.c, kernel/pid.c). */
	struct task_struct *init_task; /* swapper/0; heads the task list */
	struct task_struct *kthreadd; /* pid 2, once rest_init() ran */
	struct pid_table *pids;
	int pid_max;
	int nr_threads;
	unsigned long total_forks; /* processes and threads forked since boot */
	int max_threads;
	struct proc_caches caches;
	struct page *zero_page; /* ZERO_PAGE(): first page of the bss */
	long vm_committed_as; /* pages committed (Committed_AS) */
	unsigned long last_ino; /* get_next_ino(): inode numbers (shmem) */

	/* Kernel log and misuse reports. */
	struct seq_file log;
	bool log_line_open; /* last printk did not end its line */
	FILE *console; /* echo of printk, or NULL */
	uint64_t clock_ns; /* virtual time */
	unsigned long taint; /* bit per TAINT_* letter */
	unsigned nr_bugs; /* BUG reports printed */
	unsigned nr_warns; /* WARN reports printed */
	unsigned nr_alloc_failures;
	char panic_msg[128]; /* set by panic(): the machine has halted */
	unsigned long boot_id; /* unique per boot, for WARN_ON_ONCE */

	/* The running system (kernel/time/, kernel/sched/): timers and
	 * ticks, and the runqueues. Host memory, like the TLBs. */
	struct timer_bases *timers;
	struct sched_state *sched;
	/* Disks (drivers/block/blkdev.h). Host memory, like the timers. */
	struct blk_state *block;
	/* Swap areas and reclaim (mm/swapfile.c, mm/vmscan.c). Host memory. */
	struct swap_state *swap;
	struct vmscan_state *vmscan;
	/* The reclaim policy (mm/reclaim_policy.h) and its own counters. */
	const struct reclaim_policy_ops *reclaim;
	unsigned long reclaim_counters[RECLAIM_POLICY_COUNTERS];
};

extern _Thread_local struct machine *cur_machine;
#define M cur_machine

/* Defaults: 1 GiB, 1 node, 1 CPU, x86_64, a 32 MiB kernel image. */
void machine_config_default(struct machine_config *cfg);

/* Sets one hardware option from text (the strings must outlive the
 * boot): "ram" (e.g. 512M), "nodes", "cpus", "arch"
 * (x86_64|i386|riscv64), "kernel-size", "slab" (slub|slab|slob),
 * "reclaim" (lru|clock|fifo|exact-lru), "seed"
 * (0..2^64-1, decimal or 0x hex), the MMU options "la57", "sv48", "pcid",
 * "gbpages" (0|1) and "tlb.NAME" (ENTRIES:WAYS, see arch/arch.h), "disk"
 * (nvme|ssd|hdd|none) and "disk.NAME" (drivers/block/sim_disk.h), or
 * "vm.NAME" / "kernel.NAME" (a sysctl applied after boot). Returns false
 * with err naming the option and the accepted range; cross-option limits
 * (RAM per node...) are checked by boot. */
bool machine_config_set(struct machine_config *cfg, const char *key,
			const char *value, char *err, size_t errlen);

/* Checks the limits that involve several options (RAM per arch and per
 * node, kernel image size); machine_boot() runs it too. */
bool machine_config_check(const struct machine_config *cfg, char *err,
			  size_t errlen);

/* Boots a machine and makes it current. On bad configuration returns NULL
 * with a message naming the option and accepted range in err. */
struct machine *machine_boot(const struct machine_config *cfg, char *err,
			     size_t errlen);
/* Frees the machine; if it was current, no machine is current after. */
void machine_destroy(struct machine *m);
/* Makes m the machine the calling host thread's kernel code acts on. */
void machine_set_current(struct machine *m);

static inline int smp_processor_id(void)
{
	return M->this_cpu;
}

static inline int cpu_to_node(int cpu)
{
	return M->cpus[cpu].node;
}

static inline int numa_node_id(void)
{
	return cpu_to_node(smp_processor_id());
}

static inline pg_data_t *NODE_DATA(int nid)
{
	return M->node_data[nid];
}

static inline void preempt_disable(void)
{
	M->cpus[M->this_cpu].preempt_count++;
}

static inline void preempt_enable(void)
{
	M->cpus[M->this_cpu].preempt_count--;
}

static inline int preempt_count(void)
{
	return M->cpus[M->this_cpu].preempt_count;
}

/* Name and pid of the running task (before tasks exist: swapper/N, 0). */
const char *current_comm(void);
int current_pid(void);

#endif
