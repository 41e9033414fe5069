/* /proc/meminfo (fs/proc/meminfo.c, mm/show_mem.c si_mem_available):
 * every field of Linux 6.x in its order and format; what mmsim does not
 * model (zswap, huge pages, the page cache...) reads 0. */
#include "fs/proc/internal.h"

#include "mm/internal.h"
#include "mm/pgtable.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))

static void show_val_kb(struct seq_file *m, const char *label,
			unsigned long pages)
{
	seq_printf(m, "%-16s%8lu kB\n", label, K(pages));
}

static void show_kb(struct seq_file *m, const char *label, unsigned long kb)
{
	seq_printf(m, "%-16s%8lu kB\n", label, kb);
}

/* Linux's si_mem_available(): free memory above the reserves, plus the
 * page cache and reclaimable kernel memory that reclaim could free. */
unsigned long si_mem_available(void)
{
	unsigned long wmark_low = 0, pagecache, reclaimable;
	struct zone *zone;
	long available;

	for_each_zone(zone)
		wmark_low += low_wmark_pages(zone);
	available = (long)global_zone_page_state(NR_FREE_PAGES) -
		    (long)M->totalreserve_pages;
	pagecache = global_node_page_state(NR_ACTIVE_FILE) +
		    global_node_page_state(NR_INACTIVE_FILE);
	pagecache -= min(pagecache / 2, wmark_low);
	available += (long)pagecache;
	reclaimable = global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B) +
		      global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE);
	reclaimable -= min(reclaimable / 2, wmark_low);
	available += (long)reclaimable;
	return available < 0 ? 0 : (unsigned long)available;
}

static void show_highmem(struct seq_file *m)
{
	unsigned long total = 0, free = 0;
	struct zone *zone;

	for_each_zone(zone)
		if (zone_idx(zone) == ZONE_HIGHMEM) {
			total += zone->managed_pages;
			free += zone_page_state(zone, NR_FREE_PAGES);
		}
	show_val_kb(m, "HighTotal:", total);
	show_val_kb(m, "HighFree:", free);
	show_val_kb(m, "LowTotal:", M->totalram_pages - total);
	show_val_kb(m,
		    "LowFree:", global_zone_page_state(NR_FREE_PAGES) - free);
}

static unsigned long node_pages(enum node_stat_item item)
{
	return global_node_page_state_pages(item);
}

void meminfo_show(struct seq_file *m)
{
	unsigned long sreclaimable = node_pages(NR_SLAB_RECLAIMABLE_B);
	unsigned long sunreclaim = node_pages(NR_SLAB_UNRECLAIMABLE_B);
	unsigned long swapcache = node_pages(NR_SWAPCACHE);
	long cached = (long)node_pages(NR_FILE_PAGES) - (long)swapcache;

	show_val_kb(m, "MemTotal:", M->totalram_pages);
	show_val_kb(m, "MemFree:", global_zone_page_state(NR_FREE_PAGES));
	show_val_kb(m, "MemAvailable:", si_mem_available());
	show_val_kb(m, "Buffers:", 0);
	show_val_kb(m, "Cached:", cached < 0 ? 0 : (unsigned long)cached);
	show_val_kb(m, "SwapCached:", swapcache);
	show_val_kb(m, "Active:",
		    node_pages(NR_ACTIVE_ANON) + node_pages(NR_ACTIVE_FILE));
	show_val_kb(m, "Inactive:",
		    node_pages(NR_INACTIVE_ANON) +
			    node_pages(NR_INACTIVE_FILE));
	show_val_kb(m, "Active(anon):", node_pages(NR_ACTIVE_ANON));
	show_val_kb(m, "Inactive(anon):", node_pages(NR_INACTIVE_ANON));
	show_val_kb(m, "Active(file):", node_pages(NR_ACTIVE_FILE));
	show_val_kb(m, "Inactive(file):", node_pages(NR_INACTIVE_FILE));
	show_val_kb(m, "Unevictable:", node_pages(NR_UNEVICTABLE));
	show_val_kb(m, "Mlocked:", global_zone_page_state(NR_MLOCK));
	if (arch_has_zone(M->arch, ZONE_HIGHMEM))
		show_highmem(m);
	show_val_kb(m, "SwapTotal:", (unsigned long)M->total_swap_pages);
	show_val_kb(m, "SwapFree:", (unsigned long)get_nr_swap_pages());
	show_val_kb(m, "Zswap:", 0);
	show_val_kb(m, "Zswapped:", 0);
	show_val_kb(m, "Dirty:", node_pages(NR_FILE_DIRTY));
	show_val_kb(m, "Writeback:", node_pages(NR_WRITEBACK));
	show_val_kb(m, "AnonPages:", node_pages(NR_ANON_MAPPED));
	show_val_kb(m, "Mapped:", node_pages(NR_FILE_MAPPED));
	show_val_kb(m, "Shmem:", node_pages(NR_SHMEM));
	show_val_kb(m, "KReclaimable:",
		    sreclaimable + node_pages(NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(m, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(m, "SReclaimable:", sreclaimable);
	show_val_kb(m, "SUnreclaim:", sunreclaim);
	show_kb(m, "KernelStack:", node_pages(NR_KERNEL_STACK_KB));
	show_val_kb(m, "PageTables:", node_pages(NR_PAGETABLE));
	show_val_kb(m, "SecPageTables:", node_pages(NR_SECONDARY_PAGETABLE));
	show_val_kb(m, "NFS_Unstable:", 0);
	show_val_kb(m, "Bounce:", global_zone_page_state(NR_BOUNCE));
	show_val_kb(m, "WritebackTmp:", node_pages(NR_WRITEBACK_TEMP));
	show_val_kb(m, "CommitLimit:", vm_commit_limit());
	show_val_kb(m, "Committed_AS:",
		    M->vm_committed_as < 0 ? 0 :
					     (unsigned long)M->vm_committed_as);
	show_kb(m, "VmallocTotal:", vmalloc_total_kb());
	show_val_kb(m, "VmallocUsed:", vmalloc_nr_pages());
	show_val_kb(m, "VmallocChunk:", 0);
	show_kb(m, "Percpu:", M->percpu_bytes >> 10);
	seq_printf(m, "HardwareCorrupted: %5lu kB\n", 0UL);
	show_val_kb(m, "AnonHugePages:", 0);
	show_val_kb(m, "ShmemHugePages:", 0);
	show_val_kb(m, "ShmemPmdMapped:", 0);
	show_val_kb(m, "FileHugePages:", 0);
	show_val_kb(m, "FilePmdMapped:", 0);
	show_val_kb(m, "Balloon:", node_pages(NR_BALLOON_PAGES));
	seq_printf(m,
		   "HugePages_Total:   %5lu\nHugePages_Free:    %5lu\n"
		   "HugePages_Rsvd:    %5lu\nHugePages_Surp:    %5lu\n",
		   0UL, 0UL, 0UL, 0UL);
	show_kb(m, "Hugepagesize:", M->arch->hpage_kb);
	show_kb(m, "Hugetlb:", 0);
	arch_report_meminfo(m);
}
