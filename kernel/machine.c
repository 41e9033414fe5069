/* The simulated machine: configuration from text with range checks, the
 * RAM mapping (a memory file mapped MAP_NORESERVE, so untouched frames
 * cost the host nothing and vmalloc can map frames a second time), boot
 * (start_kernel's order for what mmsim models) and teardown. */
#define _GNU_SOURCE /* memfd_create */
#include "kernel/machine.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch/mmu.h"
#include "base/parse.h"
#include "drivers/block/blkdev.h"
#include "fs/proc/proc.h"
#include "kernel/printk.h"
#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/random.h"
#include "kernel/sched.h"
#include "kernel/sched/task.h"
#include "kernel/time/hrtimer.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/mm.h"
#include "mm/mm_init.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vma.h"

_Thread_local struct machine *cur_machine;
static _Thread_local unsigned long boots;

unsigned long machine_boot_id(void)
{
	return cur_machine ? cur_machine->boot_id : 0;
}

#define MIN_RAM (64ULL << 20)
#define MIN_NODE_RAM (32ULL << 20)
#define MAX_KERNEL_IMAGE (256ULL << 20)

void machine_config_default(struct machine_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_bytes = 1ULL << 30;
	cfg->nr_nodes = 1;
	cfg->nr_cpus = 1;
	cfg->arch = &arch_x86_64;
	cfg->kernel_image_bytes = 32ULL << 20;
	mmu_config_default(&cfg->mmu);
	cost_model_default(&cfg->cost);
	disk_config_default(&cfg->disk);
}

static bool set_size(const char *opt, const char *value, uint64_t *out,
		     char *err, size_t errlen)
{
	char why[160];

	if (parse_size(value, out, why, sizeof(why)))
		return true;
	snprintf(err, errlen, "--%s %s: %s", opt, value, why);
	return false;
}

static bool set_int(const char *opt, const char *value, long lo, long hi,
		    int *out, char *err, size_t errlen)
{
	char why[160];
	long v;

	if (!parse_long(value, lo, hi, &v, why, sizeof(why))) {
		snprintf(err, errlen, "--%s %s: %s", opt, value, why);
		return false;
	}
	*out = (int)v;
	return true;
}

static bool set_slab(const char *value, enum slab_impl *out, char *err,
		     size_t errlen)
{
	static const char *const names[] = {
		[SLAB_IMPL_SLUB] = "slub",
		[SLAB_IMPL_SLAB] = "slab",
		[SLAB_IMPL_SLOB] = "slob",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(value, names[i])) {
			*out = (enum slab_impl)i;
			return true;
		}
	snprintf(
		err, errlen,
		"--slab %s: unknown slab allocator (accepted: slub, slab, slob)",
		value);
	return false;
}

static bool set_reclaim(const char *value, enum reclaim_policy *out, char *err,
			size_t errlen)
{
	if (reclaim_policy_parse(value, out))
		return true;
	snprintf(
		err, errlen,
		"--reclaim %s: unknown reclaim policy (accepted: lru, clock, fifo, exact-lru)",
		value);
	return false;
}

/* --seed: 0..2^64-1, decimal or 0x hex. */
static bool set_seed(const char *value, uint64_t *out, char *err, size_t errlen)
{
	bool hex = value[0] == '0' && (value[1] == 'x' || value[1] == 'X');
	const char *digits = hex ? value + 2 : value;
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (!isxdigit((unsigned char)digits[0]) || *end || errno) {
		snprintf(
			err, errlen,
			"--seed %s: %s (accepted: 0..18446744073709551615, decimal or 0x hex)",
			value,
			errno == ERANGE ? "out of range" : "not a number");
		return false;
	}
	*out = v;
	return true;
}

/* "vm.NAME" and "kernel.NAME": sysctls written after boot. */
static bool is_sysctl_key(const char *key)
{
	return (!strncmp(key, "vm.", 3) && key[3]) ||
	       (!strncmp(key, "kernel.", 7) && key[7]);
}

bool machine_config_set(struct machine_config *cfg, const char *key,
			const char *value, char *err, size_t errlen)
{
	int ret;

	if (!strcmp(key, "ram"))
		return set_size(key, value, &cfg->ram_bytes, err, errlen);
	if (!strcmp(key, "kernel-size"))
		return set_size(key, value, &cfg->kernel_image_bytes, err,
				errlen);
	if (!strcmp(key, "nodes"))
		return set_int(key, value, 1, MAX_NUMNODES, &cfg->nr_nodes, err,
			       errlen);
	if (!strcmp(key, "cpus"))
		return set_int(key, value, 1, NR_CPUS, &cfg->nr_cpus, err,
			       errlen);
	if (!strcmp(key, "arch")) {
		const struct arch_desc *a = arch_lookup(value);

		if (!a) {
			snprintf(
				err, errlen,
				"--arch %s: unknown arch (accepted: x86_64, i386, riscv64)",
				value);
			return false;
		}
		cfg->arch = a;
		return true;
	}
	if (!strcmp(key, "slab"))
		return set_slab(value, &cfg->slab, err, errlen);
	if (!strcmp(key, "reclaim"))
		return set_reclaim(value, &cfg->reclaim, err, errlen);
	if (!strcmp(key, "seed"))
		return set_seed(value, &cfg->seed, err, errlen);
	if (!strncmp(key, "cost.", 5))
		return cost_model_set(&cfg->cost, key + 5, value, err, errlen);
	if (!strcmp(key, "disk") || !strncmp(key, "disk.", 5))
		return disk_config_set(&cfg->disk, key, value, err, errlen);
	if (!strcmp(key, "swap")) {
		if (!swap_option_check(value, err, errlen))
			return false;
		if (cfg->nr_swaps == MAX_SWAP_OPTIONS) {
			snprintf(err, errlen,
				 "--swap %s: more than %d swap areas", value,
				 MAX_SWAP_OPTIONS);
			return false;
		}
		cfg->swaps[cfg->nr_swaps++] = value;
		return true;
	}
	ret = mmu_config_set(&cfg->mmu, key, value, err, errlen);
	if (ret >= 0)
		return ret;
	if (is_sysctl_key(key)) {
		if (cfg->nr_sysctls == MAX_SYSCTL_OVERRIDES) {
			snprintf(err, errlen,
				 "-o %s: more than %d sysctl settings", key,
				 MAX_SYSCTL_OVERRIDES);
			return false;
		}
		cfg->sysctls[cfg->nr_sysctls] = key;
		cfg->sysctl_values[cfg->nr_sysctls++] = value;
		return true;
	}
	snprintf(
		err, errlen,
		"unknown machine option '%s' (accepted: ram, nodes, cpus, arch, kernel-size, slab, reclaim, seed, disk, swap, la57, sv48, pcid, gbpages, tlb.NAME, cost.NAME, disk.NAME, vm.NAME, kernel.NAME)",
		key);
	return false;
}

/* A size in the largest unit that divides it exactly ("1M", "3G"). */
static void size_text(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (u < 3 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)bytes,
			 units[u]);
}

bool machine_config_check(const struct machine_config *cfg, char *err,
			  size_t errlen)
{
	char lo[24], hi[24], have[24];
	uint64_t ram = cfg->ram_bytes & PAGE_MASK;

	size_text(MIN_RAM, lo, sizeof(lo));
	size_text(cfg->arch->max_ram, hi, sizeof(hi));
	size_text(cfg->ram_bytes, have, sizeof(have));
	if (!mmu_config_check(&cfg->mmu, cfg->arch, err, errlen) ||
	    !disk_config_check(&cfg->disk, err, errlen))
		return false;
	if (ram < MIN_RAM || ram > cfg->arch->max_ram) {
		snprintf(err, errlen,
			 "--ram %s: out of range (accepted: %s..%s for %s)",
			 have, lo, hi, cfg->arch->name);
		return false;
	}
	if (ram / (unsigned)cfg->nr_nodes < MIN_NODE_RAM) {
		snprintf(
			err, errlen,
			"--nodes %d: each node needs at least 32M; %s of RAM allows at most %llu nodes",
			cfg->nr_nodes, have,
			(unsigned long long)(ram / MIN_NODE_RAM));
		return false;
	}
	/* The image loads 16 MiB into RAM (riscv64: 2 MiB) and must leave a
	 * quarter of RAM free. */
	if (cfg->kernel_image_bytes < (1ULL << 20) ||
	    cfg->kernel_image_bytes > MAX_KERNEL_IMAGE ||
	    cfg->kernel_image_bytes + cfg->arch->kernel_offset > ram / 4 * 3) {
		size_text(cfg->kernel_image_bytes, have, sizeof(have));
		size_text(cfg->arch->kernel_offset, lo, sizeof(lo));
		snprintf(
			err, errlen,
			"--kernel-size %s: out of range (accepted: 1M..256M, and %s + kernel size at most 3/4 of RAM)",
			have, lo);
		return false;
	}
	return true;
}

const char *current_comm(void)
{
	static _Thread_local char comm[16];
	const struct task_struct *t = M->cpus[M->this_cpu].curr;

	if (t)
		return t->comm;
	snprintf(comm, sizeof(comm), "swapper/%d", smp_processor_id());
	return comm;
}

int current_pid(void)
{
	const struct task_struct *t = M->cpus[M->this_cpu].curr;

	return t ? t->pid : 0;
}

void machine_set_current(struct machine *m)
{
	cur_machine = m;
}

static void machine_init_defaults(struct machine *m,
				  const struct machine_config *cfg)
{
	static const int ratio[MAX_NR_ZONES] = { 256, 256, 32, 0, 0 };

	m->cfg = *cfg;
	m->arch = cfg->arch;
	m->phys_ram_base = cfg->arch->phys_ram_base;
	m->ram_bytes = cfg->ram_bytes & PAGE_MASK;
	m->nr_nodes = cfg->nr_nodes;
	m->nr_cpus = cfg->nr_cpus;
	for (int i = 0; i < m->nr_nodes; i++)
		for (int j = 0; j < m->nr_nodes; j++)
			m->node_distance[i][j] = i == j ? 10 : 20;
	/* CPUs are spread evenly over the nodes, in order. */
	for (int c = 0; c < m->nr_cpus; c++)
		m->cpus[c].node = c * m->nr_nodes / m->nr_cpus;
	m->user_min_free_kbytes = -1;
	m->watermark_scale_factor = 10;
	m->watermark_boost_factor = 15000;
	m->overcommit_ratio = 50;
	m->vm_swappiness = 60;
	m->reclaim = reclaim_policy_ops(cfg->reclaim);
	m->page_cluster = 3;
	m->max_map_count = DEFAULT_MAX_MAP_COUNT;
	m->mmap_min_addr = DEFAULT_MMAP_MIN_ADDR;
	m->stack_guard_gap = 256UL << PAGE_SHIFT;
	m->mmap_rnd_bits = arch_aslr(cfg->arch)->mmap_rnd_bits_min;
	m->randomize_va_space = 2;
	m->oom_dump_tasks = 1;
	rand_initialize(m, cfg->seed);
	memcpy(m->lowmem_reserve_ratio, ratio, sizeof(ratio));
	seq_init(&m->log);
}

static bool apply_sysctls(const struct machine_config *cfg, char *err,
			  size_t errlen)
{
	for (int i = 0; i < cfg->nr_sysctls; i++) {
		char path[128], why[200];

		/* kernel.randomize_va_space is /proc/sys/kernel/... */
		snprintf(path, sizeof(path), "/proc/sys/%s", cfg->sysctls[i]);
		for (char *c = path + 10; *c; c++)
			if (*c == '.')
				*c = '/';
		if (proc_write(path, cfg->sysctl_values[i], why, sizeof(why))) {
			snprintf(err, errlen, "-o %s=%s: %s", cfg->sysctls[i],
				 cfg->sysctl_values[i], why);
			return false;
		}
	}
	return true;
}

/* Host bytes behind m->ram: the physical addresses below RAM, then RAM. */
static size_t ram_span(const struct machine *m)
{
	return (size_t)(m->phys_ram_base + m->ram_bytes);
}

/* RAM is a memory file mapped shared, so that vmalloc's host window can
 * map its frames again (mm/vmalloc.c). Physical addresses below RAM are
 * reserved host address space without access. */
static bool ram_map(struct machine *m)
{
	char *span;
	int saved;

	m->ram_fd = memfd_create("mmsim-ram", MFD_CLOEXEC);
	if (m->ram_fd < 0)
		return false;
	if (!ftruncate(m->ram_fd, (off_t)m->ram_bytes)) {
		span = mmap(NULL, ram_span(m), PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (span != MAP_FAILED &&
		    mmap(span + m->phys_ram_base, m->ram_bytes,
			 PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_NORESERVE | MAP_FIXED, m->ram_fd,
			 0) != MAP_FAILED) {
			m->ram = span;
			return true;
		}
		saved = errno;
		if (span != MAP_FAILED)
			munmap(span, ram_span(m));
		errno = saved;
	}
	saved = errno;
	close(m->ram_fd);
	errno = saved;
	return false;
}

/* start_kernel() after mm_core_init(): pids, rmap, tasks, idle tasks,
 * timers, then the runqueues and ticks (sched_init_smp), then the block
 * layer and the disk its driver finds, and SLAB's reap timers. */
static bool kernel_boot(char *err, size_t errlen)
{
	if (!pid_idr_init()) {
		snprintf(
			err, errlen,
			"--kernel-size: too small for the pid table of %d CPUs (its .bss holds pid_max bits)",
			M->nr_cpus);
		return false;
	}
	return anon_vma_init() && fork_init() && sched_init() &&
	       hrtimers_init() && sched_init_smp() && blk_dev_init() &&
	       sim_disk_init(&M->cfg.disk) && cpucache_init() &&
	       swap_init(err, errlen);
}

struct machine *machine_boot(const struct machine_config *cfg, char *err,
			     size_t errlen)
{
	struct machine *m, *prev = cur_machine;

	err[0] = '\0';
	if (!machine_config_check(cfg, err, errlen))
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "out of host memory");
		return NULL;
	}
	machine_init_defaults(m, cfg);
	m->boot_id = ++boots;
	if (!ram_map(m)) {
		snprintf(err, errlen,
			 "--ram: cannot map %llu bytes of host memory: %s",
			 (unsigned long long)m->ram_bytes, strerror(errno));
		seq_release(&m->log);
		free(m);
		return NULL;
	}
	cur_machine = m;
	pr_notice(
		"Linux version 6.16.0-mmsim (mmsim) #1 SMP PREEMPT_DYNAMIC\n");
	if (!mm_boot(err, errlen) || !kernel_boot(err, errlen) ||
	    !apply_sysctls(cfg, err, errlen)) {
		if (!err[0])
			snprintf(
				err, errlen,
				"--ram: too small for the kernel's early allocations");
		machine_destroy(m);
		cur_machine = prev;
		return NULL;
	}
	if (cfg->reclaim != RECLAIM_LRU)
		pr_info("mmsim: reclaim policy: %s\n", m->reclaim->name);
	return m;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	vmalloc_destroy(m);
	blk_dev_destroy(m);
	swap_destroy(m);
	vmscan_destroy(m);
	sched_destroy(m);
	hrtimers_destroy(m);
	munmap(m->ram, ram_span(m));
	close(m->ram_fd);
	mmu_destroy(m);
	seq_release(&m->log);
	if (cur_machine == m)
		cur_machine = NULL;
	free(m);
}
