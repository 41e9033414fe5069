/* vmalloc: the arch ranges and VmallocTotal, the tables preallocated at
 * boot, contents seen through both the vmalloc address and the pages,
 * virtually contiguous areas with a guard page between them, pages given
 * back by vfree, lazily freed ranges reused only after a purge (and the
 * TLB flush that comes with it), the lowest-address fit in a fragmented
 * area, vmap, size limits and misuse reports, exact /proc/vmallocinfo
 * lines, VmallocUsed, translate() in kernel and user mode, the i386 pgd
 * sync, riscv64's area below PAGE_OFFSET (Sv39 and Sv48), and a random
 * run checked by the invariant checkers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "pgtable_helpers.h"

#include "base/prng.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define KiB 1024UL
#define MiB (1024UL * 1024)

/* Every test ends with both checkers clean. */
static void check_all(void)
{
	assert_int_equal(check_vmalloc_invariants(), 0);
	assert_int_equal(check_pgtable_invariants(), 0);
}

static void end_test(struct machine *m)
{
	check_all();
	machine_destroy(m);
}

static char *vmallocinfo(void)
{
	return proc_text("/proc/vmallocinfo");
}

static void assert_vmallocinfo(const char *want)
{
	char *text = vmallocinfo();

	assert_string_equal(text, want);
	free(text);
}

/* The page behind a vmalloc address, readable whatever its zone. */
static unsigned char *page_bytes(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);

	assert_non_null(page);
	return kmap_local_page(page);
}

/* ---- layout ------------------------------------------------------------------ */

static void test_x86_64_layout_and_boot_tables(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	char *text;

	(void)state;
	assert_int_equal(VMALLOC_START, 0xffffc90000000000UL);
	assert_int_equal(VMALLOC_END, 0xffffe8ffffffffffUL);
	assert_int_equal(meminfo_kb("VmallocTotal:"), 34359738367UL);
	assert_int_equal(meminfo_kb("VmallocUsed:"), 0);
	assert_int_equal(meminfo_kb("VmallocChunk:"), 0);
	/* No early areas. */
	assert_vmallocinfo("");
	/* mem_init()'s preallocate_vmalloc_pages(): one PUD table under
	 * each of the 64 pgd entries of the 32 TiB, counted in
	 * PageTables. */
	assert_int_equal(nr_pagetable(), 64);
	assert_int_equal(meminfo_kb("PageTables:"), 64 * 4);
	for (unsigned long i = 402; i <= 465; i++)
		assert_true(pgd_val(pgdp_get(pt_slot(swapper_pg_dir, i))));
	assert_false(pgd_val(pgdp_get(pt_slot(swapper_pg_dir, 401))));
	assert_false(pgd_val(pgdp_get(pt_slot(swapper_pg_dir, 466))));
	/* vmalloc_init() made the vmap_area cache, with the one area of
	 * the free space. */
	text = proc_text("/proc/slabinfo");
	assert_non_null(strstr(text, "\nvmap_area             56     56 "));
	free(text);
	/* The first area adds its PMD and PTE tables. */
	vfree(vmalloc(PAGE_SIZE));
	assert_int_equal(nr_pagetable(), 64 + 2);
	assert_int_equal(meminfo_kb("PageTables:"), (64 + 2) * 4);
	end_test(m);
}

static void test_5level_layout(void **state)
{
	struct machine *m = boot_machine("ram=512M", "la57=1");

	(void)state;
	assert_int_equal(VMALLOC_START, 0xffa0000000000000UL);
	assert_int_equal(meminfo_kb("VmallocTotal:"),
			 ((12800UL << 40) - 1) >> 10);
	/* P4D tables under the 50 pgd entries of the 12800 TiB, at boot;
	 * the first area adds a PUD, a PMD and a PTE table. */
	assert_int_equal(nr_pagetable(), 50);
	vfree(vmalloc(PAGE_SIZE));
	assert_int_equal(nr_pagetable(), 50 + 3);
	end_test(m);
}

/* riscv64: 64 GiB below PAGE_OFFSET (Sv48: 32 TiB); pgtable_cache_init()
 * preallocates a table under each of its 64 pgd entries, below the
 * linear map's first entry. */
static void check_riscv64_layout(unsigned long start, unsigned long end,
				 unsigned long first_pgd)
{
	char *text;

	assert_int_equal(VMALLOC_START, start);
	assert_int_equal(VMALLOC_END, end);
	assert_int_equal(VMALLOC_END, PAGE_OFFSET);
	assert_int_equal(meminfo_kb("VmallocTotal:"), (end - start) >> 10);
	assert_int_equal(nr_pagetable(), 64);
	assert_int_equal(pgd_index(VMALLOC_START), first_pgd);
	assert_int_equal(pgd_index(PAGE_OFFSET), first_pgd + 64);
	for (unsigned long i = first_pgd; i < first_pgd + 64; i++)
		assert_true(pgd_val(pgdp_get(pt_slot(swapper_pg_dir, i))));
	assert_false(pgd_val(pgdp_get(pt_slot(swapper_pg_dir, first_pgd - 1))));
	/* All of it is the kernel half every pgd shares. */
	assert_int_equal(KERNEL_PGD_BOUNDARY, 256);
	text = proc_text("/proc/slabinfo");
	assert_non_null(strstr(text, "\nvmap_area "));
	free(text);
	/* The first area only adds a PTE table (Sv48: and a PMD table). */
	vfree(vmalloc(PAGE_SIZE));
	assert_int_equal(nr_pagetable(), 64 + (pt_folded(PT_PUD) ? 1 : 2));
}

static void test_riscv64_layout(void **state)
{
	struct machine *m = boot_machine("arch=riscv64", "ram=1G");

	(void)state;
	check_riscv64_layout(0xffffffc600000000UL, 0xffffffd600000000UL, 280);
	end_test(m);
	m = boot_machine("arch=riscv64", "ram=1G", "sv48=1");
	check_riscv64_layout(0xffff8f8000000000UL, 0xffffaf8000000000UL, 287);
	end_test(m);
}

static void test_i386_layout(void **state)
{
	struct machine *m = boot_machine("arch=i386", "ram=2G");

	(void)state;
	/* high_memory (896 MiB of lowmem) + VMALLOC_OFFSET, up to 4 GiB. */
	assert_int_equal(VMALLOC_START, 0xf8800000UL);
	assert_int_equal(VMALLOC_END, 0x100000000UL);
	assert_int_equal(meminfo_kb("VmallocTotal:"), 122880);
	assert_int_equal(nr_pagetable(), 0);
	vfree(vmalloc(PAGE_SIZE));
	assert_int_equal(nr_pagetable(), 1); /* i386 syncs, no prealloc */
	machine_destroy(m);
	/* Less lowmem, a larger area, as in Linux. */
	m = boot_machine("arch=i386", "ram=512M");
	assert_int_equal(VMALLOC_START, 0xe0800000UL);
	assert_int_equal(meminfo_kb("VmallocTotal:"), 516096);
	end_test(m);
}

/* ---- contents and placement -------------------------------------------------- */

static void fill_and_check(unsigned char *p, unsigned long size, unsigned seed)
{
	for (unsigned long i = 0; i < size; i++)
		p[i] = (unsigned char)(i * 7 + seed);
	for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
		unsigned char *page = page_bytes(p + off);
		unsigned long n = min(PAGE_SIZE, size - off);

		for (unsigned long i = 0; i < n; i++)
			assert_int_equal(page[i],
					 (unsigned char)((off + i) * 7 + seed));
		/* ... and the other way round. */
		page[0] ^= 0xff;
		assert_int_equal(p[off],
				 (unsigned char)(off * 7 + seed) ^ 0xff);
	}
}

static void check_contents(const char *arch)
{
	struct machine *m = boot_machine(arch, "ram=2G");
	unsigned long size = 5 * PAGE_SIZE + 123;
	unsigned char *p = vmalloc(size);
	unsigned char *z = vzalloc(3 * PAGE_SIZE);
	void *k = kmalloc(8, GFP_KERNEL);

	assert_non_null(p);
	assert_non_null(z);
	assert_true(is_vmalloc_addr(p));
	assert_false(is_vmalloc_addr(k));
	kfree(k);
	fill_and_check(p, size, 3);
	for (unsigned long i = 0; i < 3 * PAGE_SIZE; i++)
		assert_int_equal(z[i], 0);
	fill_and_check(z, 3 * PAGE_SIZE, 11);
	/* Any byte of a page finds it. */
	assert_ptr_equal(vmalloc_to_page(p + PAGE_SIZE + 17),
			 vmalloc_to_page(p + PAGE_SIZE));
	assert_int_equal(vmalloc_to_pfn(p), page_to_pfn(vmalloc_to_page(p)));
	vfree(p);
	vfree(z);
	end_test(m);
}

static void test_contents_survive_x86_64(void **state)
{
	(void)state;
	check_contents("arch=x86_64");
}

static void test_contents_survive_riscv64(void **state)
{
	(void)state;
	check_contents("arch=riscv64");
}

/* i386 vmalloc pages come from HighMem (GFP_KERNEL | __GFP_HIGHMEM). */
static void test_contents_survive_i386_highmem(void **state)
{
	(void)state;
	check_contents("arch=i386");
}

static void test_areas_contiguous_with_guard_page(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	char *a = vmalloc(3 * PAGE_SIZE);
	char *b = vmalloc(2 * PAGE_SIZE);
	char *c = vmalloc(1);
	unsigned level;

	(void)state;
	assert_int_equal(vmalloc_va(a), VMALLOC_START);
	assert_int_equal(vmalloc_va(b), vmalloc_va(a) + 4 * PAGE_SIZE);
	assert_int_equal(vmalloc_va(c), vmalloc_va(b) + 3 * PAGE_SIZE);
	assert_ptr_equal(vmalloc_ptr(vmalloc_va(b)), b);
	/* The guard page after a has no page behind it. */
	assert_null(vmalloc_to_page(a + 3 * PAGE_SIZE));
	assert_true(pte_none(ptep_get(
		lookup_address(vmalloc_va(a) + 3 * PAGE_SIZE, &level))));
	assert_int_equal(find_vm_area(a)->size, 4 * PAGE_SIZE);
	assert_int_equal(get_vm_area_size(find_vm_area(a)), 3 * PAGE_SIZE);
	assert_int_equal(find_vm_area(a)->nr_pages, 3);
	assert_ptr_equal(find_vm_area(a + PAGE_SIZE + 5), find_vm_area(a));
	/* Lookups go by range, the guard page included (as in Linux). */
	assert_ptr_equal(find_vm_area(a + 3 * PAGE_SIZE), find_vm_area(a));
	assert_null(find_vm_area(c + 2 * PAGE_SIZE));
	/* PAGE_KERNEL: present, RW, NX, global, accessed, dirty. */
	{
		pte_t pte = ptep_get(lookup_address(vmalloc_va(b), &level));

		assert_int_equal(level, PG_LEVEL_4K);
		assert_int_equal(pte_val(pte) & 0xfff,
				 pgprot_val(PAGE_KERNEL) & 0xfff);
		assert_true(pte_write(pte) && pte_global(pte) &&
			    pte_dirty(pte) && pte_young(pte) && !pte_exec(pte));
	}
	vfree(a);
	vfree(b);
	vfree(c);
	end_test(m);
}

/* ---- freeing ---------------------------------------------------------------------- */

static void test_vfree_gives_pages_back(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	unsigned long free0, pt0, slab0;
	void *p;

	(void)state;
	/* Warm up: the PTE table and slab objects exist afterwards. */
	vfree(vmalloc(64 * PAGE_SIZE));
	vm_unmap_aliases();
	free0 = free_pages_drained();
	pt0 = nr_pagetable();
	slab0 = slab_pages();
	p = vmalloc(64 * PAGE_SIZE);
	assert_non_null(p);
	assert_true(free_pages_drained() <= free0 - 64);
	assert_int_equal(meminfo_kb("VmallocUsed:"), 64 * 4);
	vfree(p);
	assert_int_equal(meminfo_kb("VmallocUsed:"), 0);
	/* The pages are back at once; the range waits for a purge. */
	assert_int_equal(free_pages_drained(), free0);
	vm_unmap_aliases();
	assert_int_equal(free_pages_drained(), free0);
	assert_int_equal(nr_pagetable(), pt0);
	assert_int_equal(slab_pages(), slab0);
	end_test(m);
}

static void test_freed_range_reused_only_after_purge(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	unsigned long a_va, received;
	char *a, *b, *c;
	char want[256];
	char *text;

	(void)state;
	a = vmalloc(PAGE_SIZE);
	a_va = vmalloc_va(a);
	a[0] = 42;
	/* The CPU caches the translation... */
	xlate_ok(0, &init_mm, a_va, MMU_READ, MMU_KERNEL);
	vfree(a);
	/* ...and keeps it: the pte is gone but the flush is deferred. */
	assert_null(vmalloc_to_page(a));
	xlate_ok(0, &init_mm, a_va, MMU_READ, MMU_KERNEL);
	b = vmalloc(PAGE_SIZE);
	assert_int_equal(vmalloc_va(b), a_va + 2 * PAGE_SIZE);
	text = vmallocinfo();
	snprintf(want, sizeof(want),
		 "0x%016lx-0x%016lx    8192 unpurged vm_area\n", a_va,
		 a_va + 2 * PAGE_SIZE);
	assert_non_null(strstr(text, want));
	free(text);
	/* A purge flushes a small range page by page (no vmstat event). */
	received = vmstat_counter("nr_tlb_remote_flush_received");
	vm_unmap_aliases();
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"),
			 received);
	assert_int_equal(xlate_fault(0, &init_mm, a_va, MMU_READ, MMU_KERNEL),
			 0);
	c = vmalloc(PAGE_SIZE);
	assert_int_equal(vmalloc_va(c), a_va); /* lowest fit */
	assert_null(strstr(text = vmallocinfo(), "unpurged"));
	free(text);
	vfree(b);
	vfree(c);
	end_test(m);
}

/* lazy_max_pages() = fls(CPUs) * 32 MiB of pages: past it the purge runs
 * by itself, flushing everything (a range over 33 pages) on each CPU. */
static void test_lazy_max_pages_triggers_purge(void **state)
{
	struct machine *m = boot_machine("ram=512M", "cpus=2");
	enum { N = 64 };
	unsigned long received;
	void *p[N];
	int i;

	(void)state;
	/* fls(2) * 8192 = 16384 pages; 1 MiB areas take 257 with guard:
	 * the 64th free reaches 16448. */
	for (i = 0; i < N; i++)
		assert_non_null(p[i] = vmalloc(MiB));
	received = vmstat_counter("nr_tlb_remote_flush_received");
	for (i = 0; i < N - 1; i++)
		vfree(p[i]);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"),
			 received);
	vfree(p[N - 1]);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"),
			 received + 2);
	assert_vmallocinfo("");
	assert_int_equal(vmalloc_va(p[0] = vmalloc(PAGE_SIZE)), VMALLOC_START);
	vfree(p[0]);
	end_test(m);
}

/* ---- fragmentation ------------------------------------------------------------------ */

/* Areas of 1..16 pages; the odd ones freed leave holes of 3, 5, ...,
 * 17 pages (guard included). A request fits the lowest hole that holds
 * it, even when a larger one exists. */
static void test_lowest_fit_in_fragmented_area(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	enum { N = 16 };
	unsigned long va[N];
	char *p[N], *q;

	(void)state;
	for (int i = 0; i < N; i++) {
		p[i] = vmalloc((unsigned long)(i + 1) * PAGE_SIZE);
		va[i] = vmalloc_va(p[i]);
	}
	for (int i = 1; i < N; i += 2)
		vfree(p[i]);
	vm_unmap_aliases();
	/* 15 pages + guard: only the last hole (17 pages) holds it. */
	q = vmalloc(15 * PAGE_SIZE);
	assert_int_equal(vmalloc_va(q), va[15]);
	vfree(q);
	vm_unmap_aliases();
	/* 3 pages + guard: the hole of area 3 (5 pages) is the lowest. */
	q = vmalloc(3 * PAGE_SIZE);
	assert_int_equal(vmalloc_va(q), va[3]);
	/* 1 page + guard: area 1's hole (3 pages), below q. */
	assert_int_equal(vmalloc_va(p[1] = vmalloc(PAGE_SIZE)), va[1]);
	/* Its remaining page is too small for 1 page + guard: next hole
	 * that is free is after q in area 3's hole (5 - 4 = 1 page, no),
	 * so area 5's. */
	assert_int_equal(vmalloc_va(p[3 + 2] = vmalloc(PAGE_SIZE)), va[5]);
	check_all();
	vfree(q);
	vfree(p[1]);
	vfree(p[5]);
	for (int i = 0; i < N; i += 2)
		vfree(p[i]);
	vm_unmap_aliases();
	assert_vmallocinfo("");
	end_test(m);
}

/* ---- vmap ---------------------------------------------------------------------------- */

static void test_vmap_of_given_pages(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	struct page *pages[4], *spacer[4];
	char *p;
	unsigned level;
	char want[160];
	char *text;

	(void)state;
	for (int i = 0; i < 4; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		spacer[i] = alloc_page(GFP_KERNEL); /* not contiguous */
	}
	p = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	assert_non_null(p);
	for (int i = 0; i < 4; i++) {
		memset(p + i * PAGE_SIZE, 'a' + i, PAGE_SIZE);
		assert_int_equal(((char *)page_address(pages[i]))[100],
				 'a' + i);
		assert_ptr_equal(vmalloc_to_page(p + i * PAGE_SIZE), pages[i]);
	}
	assert_false(pte_exec(ptep_get(lookup_address(vmalloc_va(p), &level))));
	/* vmap pages are not vmalloc pages. */
	assert_int_equal(meminfo_kb("VmallocUsed:"), 0);
	text = vmallocinfo();
	snprintf(
		want, sizeof(want),
		"0x%016lx-0x%016lx   20480 test_vmap_of_given_pages+0x0/0x0 vmap\n",
		vmalloc_va(p), vmalloc_va(p) + 5 * PAGE_SIZE);
	assert_string_equal(text, want);
	free(text);
	vunmap(p);
	/* The pages stay the caller's. */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(page_ref_count(pages[i]), 1);
		assert_int_equal(((char *)page_address(pages[i]))[0], 'a' + i);
		__free_page(pages[i]);
		__free_page(spacer[i]);
	}
	end_test(m);
}

/* VM_MAP_PUT_PAGES hands the pages and the array to vfree. */
static void test_vmap_put_pages(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	struct page **pages = kmalloc_array(3, sizeof(*pages), GFP_KERNEL);
	unsigned long free0;
	void *p;

	(void)state;
	vfree(vmalloc(3 * PAGE_SIZE)); /* warm up */
	vm_unmap_aliases();
	free0 = free_pages_drained();
	for (int i = 0; i < 3; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	p = vmap(pages, 3, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
	assert_non_null(p);
	assert_int_equal(find_vm_area(p)->nr_pages, 3);
	vfree(p);
	vm_unmap_aliases();
	assert_int_equal(free_pages_drained(), free0);
	end_test(m);
}

/* ---- limits and misuse ----------------------------------------------------------------- */

static void test_size_limits(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	unsigned long too_big = (M->totalram_pages + 1) * PAGE_SIZE;
	char want[200];
	size_t mark;

	(void)state;
	mark = log_mark();
	assert_null(vmalloc(0));
	assert_true(log_contains_since(mark, "WARNING: CPU: 0 PID: 0 at "));
	mark = log_mark();
	assert_null(vmalloc(too_big));
	snprintf(
		want, sizeof(want),
		"swapper/0: vmalloc error: size %lu, exceeds total pages, mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0\n",
		too_big);
	assert_true(log_contains_since(mark, want));
	mark = log_mark();
	assert_null(__vmalloc(too_big, GFP_KERNEL | __GFP_NOWARN));
	assert_int_equal(log_mark(), mark);
	assert_null(vmap(NULL, 0, VM_MAP, PAGE_KERNEL));
	assert_vmallocinfo("");
	end_test(m);
}

/* i386's 120 MiB fill up: the allocator says so, then vmalloc. */
static void test_vmalloc_space_exhausted_i386(void **state)
{
	struct machine *m = boot_machine("arch=i386", "ram=2G");
	char want[200];
	size_t mark;
	void *a, *b;

	(void)state;
	a = vmalloc(64 * MiB);
	assert_non_null(a);
	mark = log_mark();
	assert_null(vmalloc(60 * MiB));
	snprintf(
		want, sizeof(want),
		"vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n",
		60 * MiB + PAGE_SIZE);
	assert_true(log_contains_since(mark, want));
	snprintf(
		want, sizeof(want),
		"vmalloc error: size %lu, vm_struct allocation failed, mode:0xcc0(GFP_KERNEL)",
		60 * MiB);
	assert_true(log_contains_since(mark, want));
	vfree(a); /* 16385 lazy pages > 8192: purged at once */
	b = vmalloc(60 * MiB);
	assert_int_equal(vmalloc_va(b), VMALLOC_START);
	vfree(b);
	end_test(m);
}

/* More than free memory but less than RAM: the pages run out, the
 * report says how far it got, and everything is given back. */
static void test_page_allocation_failure(void **state)
{
	struct machine *m = boot_machine("ram=256M");
	unsigned long size = (M->totalram_pages - 64) * PAGE_SIZE;
	size_t mark = log_mark();

	(void)state;
	assert_null(vmalloc(size));
	assert_true(
		log_contains_since(mark, "swapper/0: vmalloc error: size "));
	assert_true(log_contains_since(
		mark,
		", failed to allocate pages, mode:0xcc2(GFP_KERNEL|__GFP_HIGHMEM), nodemask=(null)"));
	assert_int_equal(meminfo_kb("VmallocUsed:"), 0);
	vm_unmap_aliases();
	assert_vmallocinfo("");
	end_test(m);
}

static void test_misuse_is_reported(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	char *p = vmalloc(2 * PAGE_SIZE);
	void *k = kmalloc(64, GFP_KERNEL);
	char want[120];
	size_t mark;

	(void)state;
	vfree(NULL);
	vunmap(NULL);
	mark = log_mark();
	vfree(p + 1);
	snprintf(want, sizeof(want), "Trying to vfree() bad address (%016lx)",
		 vmalloc_va(p) + 1);
	assert_true(log_contains_since(mark, want));
	assert_true(log_contains_since(
		mark, "Trying to vfree() nonexistent vm area"));
	assert_non_null(find_vm_area(p)); /* still there */
	mark = log_mark();
	vfree(k);
	assert_true(log_contains_since(
		mark, "Trying to vfree() nonexistent vm area"));
	vfree(p);
	mark = log_mark();
	vfree(p);
	assert_true(log_contains_since(
		mark, "Trying to vfree() nonexistent vm area"));
	kfree(k);
	end_test(m);
}

static void test_kvmalloc_falls_back_to_vmalloc(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	void *small = kvmalloc(100, GFP_KERNEL);
	void *big = kvzalloc(8 * MiB, GFP_KERNEL); /* above MAX_PAGE_ORDER */

	(void)state;
	assert_false(is_vmalloc_addr(small));
	assert_true(is_vmalloc_addr(big));
	assert_int_equal(((char *)big)[8 * MiB - 1], 0);
	kvfree(small);
	kvfree(big);
	end_test(m);
}

/* ---- /proc/vmallocinfo and meminfo ------------------------------------------------------- */

static void test_vmallocinfo_lines(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	struct page *page = alloc_page(GFP_KERNEL);
	void *a = vmalloc(8192);
	void *b = vzalloc(100);
	void *c = vmap(&page, 1, VM_MAP, PAGE_KERNEL);

	(void)state;
	assert_vmallocinfo(
		"0xffffc90000000000-0xffffc90000003000   12288 test_vmallocinfo_lines+0x0/0x0 pages=2 vmalloc N0=2\n"
		"0xffffc90000003000-0xffffc90000005000    8192 test_vmallocinfo_lines+0x0/0x0 pages=1 vmalloc N0=1\n"
		"0xffffc90000005000-0xffffc90000007000    8192 test_vmallocinfo_lines+0x0/0x0 vmap\n");
	assert_int_equal(meminfo_kb("VmallocUsed:"), 12);
	vfree(b);
	assert_vmallocinfo(
		"0xffffc90000000000-0xffffc90000003000   12288 test_vmallocinfo_lines+0x0/0x0 pages=2 vmalloc N0=2\n"
		"0xffffc90000005000-0xffffc90000007000    8192 test_vmallocinfo_lines+0x0/0x0 vmap\n"
		"0xffffc90000003000-0xffffc90000005000    8192 unpurged vm_area\n");
	assert_int_equal(meminfo_kb("VmallocUsed:"), 8);
	vfree(a);
	vunmap(c);
	__free_page(page);
	vm_unmap_aliases();
	assert_vmallocinfo("");
	end_test(m);
}

/* 513 pages need a 4104-byte page array: vmalloc'ed too ("vpages"),
 * by the same caller, right after the area. */
static void test_vmallocinfo_page_array_in_vmalloc(void **state)
{
	struct machine *m = boot_machine("ram=512M");
	void *a = vmalloc(513 * PAGE_SIZE);

	(void)state;
	assert_vmallocinfo(
		"0xffffc90000000000-0xffffc90000202000 2105344 test_vmallocinfo_page_array_in_vmalloc+0x0/0x0 pages=513 vmalloc vpages N0=513\n"
		"0xffffc90000202000-0xffffc90000205000   12288 test_vmallocinfo_page_array_in_vmalloc+0x0/0x0 pages=2 vmalloc N0=2\n");
	assert_int_equal(meminfo_kb("VmallocUsed:"), 515 * 4);
	check_all();
	vfree(a);
	assert_int_equal(meminfo_kb("VmallocUsed:"), 0);
	end_test(m);
}

static void test_vmallocinfo_nodes_and_i386(void **state)
{
	struct machine *m = boot_machine("ram=1G", "nodes=2");
	void *a = vmalloc_node(8192, 1);
	void *b = vmalloc(4096);
	struct page *page;
	char want[512];

	(void)state;
	assert_vmallocinfo(
		"0xffffc90000000000-0xffffc90000003000   12288 test_vmallocinfo_nodes_and_i386+0x0/0x0 pages=2 vmalloc N1=2\n"
		"0xffffc90000003000-0xffffc90000005000    8192 test_vmallocinfo_nodes_and_i386+0x0/0x0 pages=1 vmalloc N0=1\n");
	vfree(a);
	vfree(b);
	end_test(m);
	m = boot_machine("arch=i386", "ram=2G");
	a = vmalloc(4096);
	assert_vmallocinfo(
		"0xf8800000-0xf8802000    8192 test_vmallocinfo_nodes_and_i386+0x0/0x0 pages=1 vmalloc N0=1\n");
	vfree(a);
	end_test(m);
	/* riscv64: RAM from 0x80000000, so phys= addresses there too. */
	m = boot_machine("arch=riscv64", "ram=1G");
	page = alloc_page(GFP_KERNEL);
	a = vmalloc(4096);
	b = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	snprintf(
		want, sizeof(want),
		"0xffffffc600000000-0xffffffc600002000    8192 test_vmallocinfo_nodes_and_i386+0x0/0x0 pages=1 vmalloc N0=1\n"
		"0xffffffc600002000-0xffffffc600004000    8192 test_vmallocinfo_nodes_and_i386+0x0/0x0 vmap\n");
	assert_vmallocinfo(want);
	assert_true(page_to_pfn(page) >= 0x80000);
	vfree(a);
	vunmap(b);
	__free_page(page);
	end_test(m);
}

/* ---- the MMU's view -------------------------------------------------------------------------- */

/* The fault a kernel-only page gives: the x86 error code, or the riscv
 * cause of the access. */
static unsigned long kernel_page_fault(enum mmu_access acc, unsigned long x86)
{
	if (!ptfmt()->riscv)
		return x86;
	if (acc == MMU_EXEC)
		return EXC_INST_PAGE_FAULT;
	return acc == MMU_WRITE ? EXC_STORE_PAGE_FAULT : EXC_LOAD_PAGE_FAULT;
}

/* paging: sv48=0|1 (which x86 accepts as 0). */
static void check_translation(const char *arch, const char *paging)
{
	struct machine *m = boot_machine(arch, paging, "ram=1G", "cpus=2");
	struct mm_struct before, after;
	char *p;
	unsigned long va;
	uint64_t pa;

	/* A process that exists before the mapping, and one after. */
	assert_int_equal(mm_pgtable_init(&before), 0);
	p = vmalloc(2 * PAGE_SIZE);
	va = vmalloc_va(p);
	assert_int_equal(mm_pgtable_init(&after), 0);
	pa = xlate_ok(0, &init_mm, va + PAGE_SIZE + 5, MMU_WRITE, MMU_KERNEL);
	assert_int_equal(pa, PFN_PHYS(vmalloc_to_pfn(p + PAGE_SIZE)) + 5);
	assert_int_equal(xlate_ok(1, &before, va, MMU_READ, MMU_KERNEL),
			 PFN_PHYS(vmalloc_to_pfn(p)));
	assert_int_equal(xlate_ok(0, &after, va, MMU_READ, MMU_KERNEL),
			 PFN_PHYS(vmalloc_to_pfn(p)));
	/* Kernel pages: a user access is a protection fault. */
	assert_int_equal(xlate_fault(1, &before, va, MMU_READ, MMU_USER),
			 kernel_page_fault(MMU_READ,
					   X86_PF_PROT | X86_PF_USER));
	assert_int_equal(xlate_fault(0, &after, va, MMU_WRITE, MMU_USER),
			 kernel_page_fault(MMU_WRITE, X86_PF_PROT |
							      X86_PF_USER |
							      X86_PF_WRITE));
	/* The guard page is not present. */
	assert_int_equal(xlate_fault(0, &init_mm, va + 2 * PAGE_SIZE, MMU_READ,
				     MMU_KERNEL),
			 kernel_page_fault(MMU_READ, 0));
	if (M->pt_fmt->nx || M->pt_fmt->exec)
		assert_int_equal(xlate_fault(0, &init_mm, va, MMU_EXEC,
					     MMU_KERNEL),
				 kernel_page_fault(MMU_EXEC,
						   X86_PF_PROT | X86_PF_INSTR));
	check_all();
	vfree(p);
	vm_unmap_aliases();
	mm_pgtable_exit(&before);
	mm_pgtable_exit(&after);
	end_test(m);
}

static void test_translate_x86_64(void **state)
{
	(void)state;
	check_translation("arch=x86_64", "sv48=0");
}

/* riscv64 preallocates like x86-64, in Sv39 and Sv48. */
static void test_translate_riscv64(void **state)
{
	(void)state;
	check_translation("arch=riscv64", "sv48=0");
	check_translation("arch=riscv64", "sv48=1");
}

/* i386 has no preallocation: the new PTE table's pgd entry is copied
 * into every pgd (arch_sync_kernel_mappings). */
static void test_translate_i386_synced_pgds(void **state)
{
	(void)state;
	check_translation("arch=i386", "sv48=0");
}

/* ---- random run ------------------------------------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define RANDOM_STEPS 1500
#else
#define RANDOM_STEPS 12000
#endif

struct live {
	unsigned char *p;
	unsigned long size;
	unsigned char tag;
};

static unsigned long random_size(struct prng *r)
{
	switch (prng_below(r, 8)) {
	case 0:
		return 2 + prng_below(r, 100);
	case 1:
		return PAGE_SIZE * (16 + prng_below(r, 240));
	default:
		return 1 + prng_below(r, 8 * PAGE_SIZE);
	}
}

static void check_live(const struct live *l)
{
	assert_int_equal(l->p[0], l->tag);
	assert_int_equal(l->p[l->size - 1], (unsigned char)~l->tag);
	assert_int_equal(page_bytes(l->p)[0], l->tag);
}

static void test_random_vmalloc_vfree(void **state)
{
	struct machine *m = boot_machine("ram=1G", "cpus=2", "nodes=2");
	enum { SLOTS = 200 };
	static struct live live[SLOTS];
	unsigned long free0, pt0, slab0;
	struct prng r;

	(void)state;
	memset(live, 0, sizeof(live));
	prng_seed(&r, 2024);
	free0 = free_pages_drained();
	pt0 = nr_pagetable();
	slab0 = slab_pages();
	for (unsigned step = 0; step < RANDOM_STEPS; step++) {
		struct live *l = &live[prng_below(&r, SLOTS)];

		if (l->p) {
			check_live(l);
			vfree(l->p);
			l->p = NULL;
		} else {
			l->size = random_size(&r);
			l->tag = (unsigned char)step;
			l->p = prng_below(&r, 4) ?
				       vmalloc(l->size) :
				       vmalloc_node(l->size,
						    (int)prng_below(&r, 2));
			assert_non_null(l->p);
			l->p[0] = l->tag;
			l->p[l->size - 1] = (unsigned char)~l->tag;
		}
		if (step % 997 == 0) {
			vm_unmap_aliases();
			check_all();
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (live[i].p) {
			check_live(&live[i]);
			vfree(live[i].p);
		}
	vm_unmap_aliases();
	assert_vmallocinfo("");
	assert_int_equal(meminfo_kb("VmallocUsed:"), 0);
	/* Everything came back but the PTE tables (Linux keeps kernel
	 * tables) and the slab pages of the caches that grew. */
	assert_int_equal(free_pages_drained() + (nr_pagetable() - pt0) +
				 (slab_pages() - slab0),
			 free0);
	end_test(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_x86_64_layout_and_boot_tables,
					  destroy_current),
		cmocka_unit_test_teardown(test_5level_layout, destroy_current),
		cmocka_unit_test_teardown(test_i386_layout, destroy_current),
		cmocka_unit_test_teardown(test_riscv64_layout, destroy_current),
		cmocka_unit_test_teardown(test_contents_survive_x86_64,
					  destroy_current),
		cmocka_unit_test_teardown(test_contents_survive_riscv64,
					  destroy_current),
		cmocka_unit_test_teardown(test_contents_survive_i386_highmem,
					  destroy_current),
		cmocka_unit_test_teardown(test_areas_contiguous_with_guard_page,
					  destroy_current),
		cmocka_unit_test_teardown(test_vfree_gives_pages_back,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_freed_range_reused_only_after_purge,
			destroy_current),
		cmocka_unit_test_teardown(test_lazy_max_pages_triggers_purge,
					  destroy_current),
		cmocka_unit_test_teardown(test_lowest_fit_in_fragmented_area,
					  destroy_current),
		cmocka_unit_test_teardown(test_vmap_of_given_pages,
					  destroy_current),
		cmocka_unit_test_teardown(test_vmap_put_pages, destroy_current),
		cmocka_unit_test_teardown(test_size_limits, destroy_current),
		cmocka_unit_test_teardown(test_vmalloc_space_exhausted_i386,
					  destroy_current),
		cmocka_unit_test_teardown(test_page_allocation_failure,
					  destroy_current),
		cmocka_unit_test_teardown(test_misuse_is_reported,
					  destroy_current),
		cmocka_unit_test_teardown(test_kvmalloc_falls_back_to_vmalloc,
					  destroy_current),
		cmocka_unit_test_teardown(test_vmallocinfo_lines,
					  destroy_current),
		cmocka_unit_test_teardown(test_vmallocinfo_page_array_in_vmalloc,
					  destroy_current),
		cmocka_unit_test_teardown(test_vmallocinfo_nodes_and_i386,
					  destroy_current),
		cmocka_unit_test_teardown(test_translate_x86_64,
					  destroy_current),
		cmocka_unit_test_teardown(test_translate_riscv64,
					  destroy_current),
		cmocka_unit_test_teardown(test_translate_i386_synced_pgds,
					  destroy_current),
		cmocka_unit_test_teardown(test_random_vmalloc_vfree,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
