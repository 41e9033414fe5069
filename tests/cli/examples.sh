# Each example scenario's key figures (the "Look for" of its comment).
set -eu
. "$(dirname "$0")/lib.bash"
EX="$(dirname "$0")/../../examples"

# nice: CPU shares by load weight, 1024 : 335 : 110.
run run "$EX/nice.lua"
expect_rc 0
expect_line out "^nice0 +ran +2087.995 ms: 69.6% of the CPU$"
expect_line out "^nice5 +ran +684.000 ms: 22.8% of the CPU$"
expect_line out "^nice10 +ran +228.000 ms:  7.6% of the CPU$"

# fifo: FIFO wakes at once (one context switch, 1.5 us); RR alternates.
run run "$EX/fifo.lua"
expect_rc 0
for t in 100 200 300 400 500 600 700 800 900; do
	expect_line out "^fifo: woke for +$t ms, running at $t.001500 ms$"
done
expect_line out "^hog ran 819.977 ms of the first second$"
expect_line out "^rr1: done at 1450 ms$"
expect_line out "^rr2: done at 1500 ms$"
expect_line out "^ +4 exit 0 .* 0:01.320 hog$"

# threads: one mm; each thread faults its own quarter; writes are shared.
run run "$EX/threads.lua"
expect_rc 0
for i in 0 1 2 3; do
	expect_line out "^thread $i: 1024 writes, 1024 page faults$"
	expect_line out "^quarter $i says: written by thread $i$"
done
expect_line out "^Threads:	5	VmRSS:	   163[89][0-9] kB$"
expect_line out "^ +4 exit 0 +409[7-9] +0 .* worker$"

# working-set: clear_refs leaves the TLB alone (the hot 4M it holds read
# as unreferenced) until 4 flushes it; 5 resets VmHWM.
run run "$EX/working-set.lua"
expect_rc 0
expect_line out "^Rss 65540 kB, Referenced 65540 kB$"
expect_line out "^50 ms after clear_refs 1: Referenced 0 kB "
expect_line out "^50 ms after clear_refs 4 and 1: Referenced 4096 kB "
expect_line out "^after MADV_DONTNEED: VmRSS 4100 kB, VmHWM 65540 kB$"
expect_line out "^after clear_refs 5:  VmRSS 4100 kB, VmHWM 4100 kB$"

# pagemap: absent, then present and exclusive; after fork both share the
# PFN, not exclusive; the child's write gives it its own page and both are
# exclusive again; MAP_SHARED has the file bit; memory tight, swapped.
# kpageflags and kpagecount of the page: mapped once, then twice.
run run "$EX/pagemap.lua"
expect_rc 0
bits() { echo "^$1 +$2 +present $3 swapped $4 file $5 exclusive $6  $7\$"; }
expect_line out "$(bits parent 'before touch' 0 0 0 0 'pfn 0x0')"
pfn=$(grep -Eo 'after touch .* pfn 0x[0-9a-f]+$' "$TMP/out" | grep -Eo '0x[0-9a-f]+$')
[ -n "$pfn" ] && [ "$pfn" != 0x0 ] || fail "no PFN after the first touch"
expect_line out "$(bits parent 'after touch' 1 0 0 1 "pfn $pfn")"
expect_line out "$(bits parent 'after fork' 1 0 0 0 "pfn $pfn")"
kpf="uptodate,lru,mmap,anonymous,swapbacked"
expect_line out "^pfn $pfn: kpageflags $kpf, kpagecount 1$"
expect_line out "^pfn $pfn: kpageflags $kpf, kpagecount 2$"
expect_line out "$(bits child 'after fork' 1 0 0 0 "pfn $pfn")"
expect_line out "$(bits child 'after its write' 1 0 0 1 'pfn 0x[0-9a-f]+')"
expect_no_line out "$(bits child 'after its write' 1 0 0 1 "pfn $pfn")"
expect_line out "$(bits parent "after child's write" 1 0 0 1 "pfn $pfn")"
expect_line out "$(bits parent 'MAP_SHARED page' 1 0 1 1 'pfn 0x[0-9a-f]+')"
expect_line out "$(bits parent 'after filling 160M' 0 1 0 0 'swap type 0 offset [0-9]+')"
expect_line out "^outside every VMA \(address 0\): 0$"

# fork-cow is checked in run.sh.
pass
