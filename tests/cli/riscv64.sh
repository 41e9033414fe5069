# mmsim boot --arch riscv64: a riscv64 Linux boot log and /proc files
# (RAM from 0x80000000, DMA32 and Normal, no DirectMap lines, the vmalloc
# area below PAGE_OFFSET), Sv48 with -o mmsim.sv48=1, and the x86
# options riscv64 does not have, refused with status 2.
set -eu
. "$(dirname "$0")/lib.bash"

# The log: the device tree's reserved memory and arch_numa, no e820.
run boot --arch riscv64 --ram 4G
expect_rc 0
expect_first_line out "[    0.000000] Linux version 6.16.0-mmsim (mmsim) #1 SMP PREEMPT_DYNAMIC"
expect_line out "\] OF: reserved mem: 0x0000000080000000\.\.0x000000008003ffff \(256 KiB\) nomap non-reusable mmode_resv0@80000000$"
expect_line out "\] NUMA: Faking a node at \[mem 0x0000000080000000-0x000000017fffffff\]$"
expect_line out "\]   DMA32    \[mem 0x0000000080000000-0x00000000ffffffff\]$"
expect_line out "\]   Normal   \[mem 0x0000000100000000-0x000000017fffffff\]$"
expect_line out "\]   node   0: \[mem 0x0000000080040000-0x000000017fffffff\]$"
expect_line out "\] Memory: [0-9]+K/4194304K available \("
for x86 in BIOS-e820 last_pfn setup_percpu "GB pages" "   DMA  "; do
	expect_no_line out "$x86"
done

# --arch=riscv64 and machine_config_set's "arch" are the same machine.
run boot -q --arch=riscv64 --ram 2G --cat /proc/meminfo --cat /proc/buddyinfo \
	--cat /proc/zoneinfo --cat /proc/vmallocinfo --cat /proc/vmstat
expect_rc 0
expect_line out "^Hugepagesize:       2048 kB$"
expect_line out "^VmallocTotal:   67108864 kB$"
expect_line out "^PageTables:          256 kB$"
expect_no_line out "^DirectMap"
expect_line out "^Node 0, zone    DMA32 "
expect_no_line out "zone +DMA( |$)"
expect_line out "^  start_pfn:           524288$"
expect_line out "^pgalloc_dma32 [0-9]+$"
expect_no_line out "^pgalloc_dma "
expect_no_line out "^nr_tlb_"
# vmallocinfo is empty at boot: its heading is followed by the next file.
grep -A1 -x "==> /proc/vmallocinfo <==" "$TMP/out" | tail -n 1 | grep -qx "" ||
	fail "expected an empty /proc/vmallocinfo"

# Sv48: a 32 TiB vmalloc area.
run boot -q --arch riscv64 -o mmsim.sv48=1 --cat /proc/meminfo
expect_rc 0
expect_line out "^VmallocTotal:   34359738368 kB$"

# TLB counters work the same way.
run boot -q --arch riscv64 --cpus 2 -o mmsim.tlb.dtlb=32:4 --cat /proc/mmsim/tlb
expect_rc 0
expect_line out "^cpu1_page_walks 0$"

# x86's paging options are refused, and Sv48 on x86.
run boot -q --arch riscv64 -o mmsim.la57=1
expect_rc 2
expect_first_line err "mmsim boot: mmsim.la57=1: needs --arch x86_64 (riscv64 has no such feature)"
run boot -q --arch riscv64 -o mmsim.pcid=1
expect_rc 2
expect_first_line err "mmsim boot: mmsim.pcid=1: needs --arch x86_64 (riscv64 has no such feature)"
run boot -q --arch riscv64 -o mmsim.gbpages=1
expect_rc 2
expect_first_line err "mmsim boot: mmsim.gbpages=1: needs --arch x86_64 (riscv64 has no such feature)"
run boot -q -o mmsim.sv48=1
expect_rc 2
expect_first_line err "mmsim boot: mmsim.sv48=1: needs --arch riscv64 (x86_64 has no such feature)"
run boot -q --arch riscv64 -o mmsim.sv48=yes
expect_rc 2
expect_first_line err "mmsim boot: mmsim.sv48=yes: expected 0 or 1"
run boot -q --arch riscv64 --ram 125G
expect_rc 2
expect_first_line err "mmsim boot: --ram 125G: out of range (accepted: 64M..124G for riscv64)"
run boot -q --arch riscv32
expect_rc 2
expect_first_line err "mmsim boot: --arch riscv32: unknown arch (accepted: x86_64, i386, riscv64)"

# The other commands take the arch too.
run slabtop --arch riscv64
expect_rc 0
expect_no_line out "dma-kmalloc"
run bench translate --arch riscv64 --ram 256M
expect_rc 0
expect_first_line out "machine: 256 MiB RAM, riscv64, riscv64 Sv39 paging, no ASIDs"
expect_line out "full_walk 100\.0% walks of 3\.0 steps"

pass
