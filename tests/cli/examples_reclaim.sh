# examples/swappiness.lua: the same load at vm.swappiness 0, 60 and 200.
# Its key figures: at 0 reclaim scans no anonymous page and swaps
# nothing while lazily freed pages remain (it drops those); at 60 and 200
# it scans anonymous pages, more at 200; the same --seed gives the same
# output.
set -eu
. "$(dirname "$0")/lib.bash"
EX="$(dirname "$0")/../../examples"

run run --seed 3 "$EX/swappiness.lua"
expect_rc 0
first=$out
expect_first_line out "swappiness pgscan_anon pgscan_file     pswpout pglazyfreed    lazy VmRSS cold VmSwap  hot VmSwap"
expect_line out "^ +0 +0 +[1-9][0-9]* +0 +[1-9][0-9]* +[0-9]+ kB +0 kB +0 kB$"
# pgscan_file = pglazyfreed: each file page scanned was a lazy one, dropped
expect_line out "^ +0 +0 +([0-9]+) +0 +\1 "
expect_line out "^ +60 +[1-9][0-9]* +[1-9][0-9]* +[0-9]+ +[1-9][0-9]* "
expect_line out "^ +200 +[1-9][0-9]* +[1-9][0-9]* +[0-9]+ +[1-9][0-9]* "
anon60=$(printf '%s\n' "$out" | awk '$1 == 60 { print $2 }')
anon200=$(printf '%s\n' "$out" | awk '$1 == 200 { print $2 }')
[ "$anon200" -gt "$anon60" ] ||
	fail "expected more anonymous pages scanned at 200 ($anon200) than at 60 ($anon60)"
expect_no_line out "Out of memory"
[ -z "$err" ] || fail "expected nothing on stderr"

run run --seed 3 "$EX/swappiness.lua"
expect_rc 0
[ "$out" = "$first" ] || fail "expected the same output with the same --seed"

pass
