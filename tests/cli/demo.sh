# mmsim demo (make demo): the built-in scenario's story and figures, the
# same as running examples/demo.lua; mmsim demo buddy: the tour of
# physical memory, which ends where it started.
set -eu
. "$(dirname "$0")/lib.bash"
EX="$(dirname "$0")/../../examples"

run demo
expect_rc 0
expect_line out "^=== 1. Demand paging"
expect_line out "^mmap 64M: +VmSize +[0-9]+ kB, VmRSS +4 kB"
expect_line out "^write 16M of it: +VmRSS +16388 kB, 4096 page faults"
expect_line out "^read them again: +0 page faults"
expect_line out "^child after fork: +VmRSS +16388 kB"
expect_line out "^child writes 4M: +1024 copy-on-write faults"
expect_line out "^child's first page says: +\"the child's data!\"$"
expect_line out "^parent's first page says: \"the parent's data\""
expect_line out "^thread 0 wrote its 4M half: 1024 page faults$"
expect_line out "^thread 1 wrote its 4M half: 1024 page faults$"
expect_line out "^main thread reads: +\"thread 0 was here\", \"thread 1 was here\"; VmRSS 24580 kB"
expect_line out "^  nice  0:  69.7% of the CPU"
expect_line out "^  nice  5:  22.6% of the CPU"
expect_line out "^  nice 10:   7.6% of the CPU"
expect_line out "^Virtual time: "
expect_line out "^ +[0-9]+ exit 0 .* nice10$"
[ -z "$err" ] || fail "expected nothing on stderr"
story=$out
run run "$EX/demo.lua"
[ "$out" = "$story" ] || fail "mmsim demo differs from mmsim run examples/demo.lua"

# Run's options work; a bad one is refused.
run demo --quiet --cpus 4 --json "$TMP/demo.json"
expect_rc 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["script"] == "examples/demo.lua"' "$TMP/demo.json" ||
	fail "--json: not the expected JSON"
if grep -q "=== 1" "$TMP/out"; then fail "--quiet printed the story"; fi
run demo story.lua
expect_rc 2
expect_line err "^mmsim demo: unexpected argument 'story.lua'"

run demo buddy
expect_rc 0
expect_line out "^### "
expect_line out "^buddyinfo restored: yes$"
expect_line out "^check_page_alloc_invariants\(\): 0 problems$"
expect_line out "^Node 0, zone      DMA "
expect_line out "^ +min +[0-9]+$"
expect_line out "^MemTotal:"
expect_line out "^  pgalloc_dma: [0-9]+ -> [0-9]+$"
expect_line out "^  nr_free_pages: [0-9]+ -> [0-9]+$"
expect_line out "BUG"
[ -z "$err" ] || fail "expected nothing on stderr"

# The same tour on another machine.
run demo buddy --ram 512M --cpus 4 --nodes 2
expect_rc 0
expect_line out "^buddyinfo restored: yes$"

run demo buddy --arch i386 --ram 2G
expect_rc 0
expect_line out "^buddyinfo restored: yes$"

run demo buddy --cat /proc/meminfo
expect_rc 2
expect_line err "unknown option '--cat'"

pass
