# Page tables, MMU and TLB from the command line: -o mmsim.NAME=VALUE
# machine options and their errors, meminfo's DirectMap lines for each
# paging mode, /proc/mmsim/tlb, and `mmsim bench translate` in both output
# shapes (its paths and sanity line, never its timings).
set -eu
. "$(dirname "$0")/lib.bash"

run boot -q --ram 4G --cat /proc/meminfo
expect_rc 0
expect_line out "^DirectMap4k:        2048 kB$"
expect_line out "^DirectMap2M:     1046528 kB$"
expect_line out "^DirectMap1G:     3145728 kB$"

run boot -q --ram 4G -o mmsim.gbpages=0 --cat /proc/meminfo
expect_rc 0
expect_line out "^DirectMap2M:     4192256 kB$"
expect_no_line out "^DirectMap1G:"

run boot -q --ram 2G -o mmsim.la57=1 -o mmsim.pcid=0 --cat /proc/meminfo
expect_rc 0
expect_line out "^DirectMap1G:     1048576 kB$"

run boot -q --arch i386 --ram 1G --cat /proc/meminfo
expect_rc 0
expect_line out "^DirectMap4k:        4096 kB$"
expect_line out "^DirectMap4M:      913408 kB$"

run boot -q --cpus 2 -o mmsim.tlb.dtlb=128:8 --cat /proc/mmsim/tlb
expect_rc 0
expect_first_line out "dtlb_hits 0"
expect_line out "^page_walks 0$"
expect_line out "^cpu1_walk_steps 0$"

run boot -q -o mmsim.la57=2
expect_rc 2
expect_first_line err "mmsim boot: mmsim.la57=2: expected 0 or 1"

run boot -q --arch i386 -o mmsim.pcid=1
expect_rc 2
expect_first_line err "mmsim boot: mmsim.pcid=1: needs --arch x86_64 (i386 has no such feature)"

run boot -q -o mmsim.tlb.stlb=1536:7
expect_rc 2
expect_first_line_prefix err "mmsim boot: mmsim.tlb.stlb=1536:7: expected ENTRIES:WAYS"

run boot -q -o mmsim.tlb.l3=64:4
expect_rc 2
expect_first_line_prefix err "mmsim boot: mmsim.tlb.l3: unknown TLB (accepted: dtlb,"

run boot -q -o debug=1
expect_rc 2
expect_first_line err "mmsim boot: -o 'debug=1': only vm.NAME=VALUE and kernel.NAME=VALUE sysctls (or mmsim.NAME=VALUE machine options) can be set"

# The benchmark: each case on its path, everything freed at the end.
run bench translate --ram 256M
expect_rc 0
expect_first_line out "machine: 256 MiB RAM, x86_64, x86-64 4-level paging, PCID on"
for name in tlb_hit l1_miss_l2_hit full_walk; do
	expect_line out "^$name +$num +host load, [0-9]+ KiB array +$num +$ratio$"
done
expect_line out "^paths: tlb_hit 100\.0% dTLB hits; l1_miss_l2_hit 100\.0% STLB hits; full_walk 100\.0% walks of 4\.0 steps$"
expect_line out "^sanity: ok \(0 faults, 0 invariant violations, page-table pages 64 at start, 64 at end; free pages ([0-9]+) at start, \1 at end\)$"

run bench translate --json --arch i386 --ram 256M
expect_rc 0
expect_bench_json translate 3 tlb_hit l1_miss_l2_hit full_walk

pass
