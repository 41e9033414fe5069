# mmsim demo (make demo): runs the tour and ends where it started.
set -eu
. "$(dirname "$0")/lib.bash"

run demo
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
run demo --ram 512M --cpus 4 --nodes 2
expect_rc 0
expect_line out "^buddyinfo restored: yes$"

run demo --arch i386 --ram 2G
expect_rc 0
expect_line out "^buddyinfo restored: yes$"

run demo --cat /proc/meminfo
expect_rc 2
expect_line err "unknown option '--cat'"

pass
