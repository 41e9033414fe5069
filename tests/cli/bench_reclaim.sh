# mmsim bench reclaim on a small machine: the help line, the table with
# its three rows and the per-second, paths, swap and sanity lines, the
# JSON shape every benchmark shares, and machines too small (never
# timings).
set -eu
. "$(dirname "$0")/lib.bash"

run bench --help
expect_rc 0
expect_line out "^  reclaim +default --ram 512M$"
expect_line out "Clean file pages: not measured \(no page cache yet\)\.$"

run bench reclaim --ram 64M
expect_rc 2
expect_first_line_prefix err "mmsim bench reclaim: --ram 64M leaves too little free memory"
[ -z "$out" ] || fail "expected nothing on stdout"

run bench reclaim --ram 128M --swap 64M
expect_rc 2
expect_first_line err "mmsim bench reclaim: --swap of 64 MiB is too small: the thrashing working set is 160 MiB (1.25 x RAM); give at least that, or no --swap (default: twice the RAM)"
[ -z "$out" ] || fail "expected nothing on stdout"

run bench reclaim --ram 128M
expect_rc 0
expect_first_line out "machine: 128 MiB RAM, 1 node, 1 CPU, x86_64, 256 MiB of swap"
expect_line out "^file pages not measured: there is no page cache yet, so no clean$"
expect_line out "^benchmark +mmsim ns/op +reference +ref ns/op +ratio$"
expect_line out "^swap_out +$num +host memcpy of 4 KiB +$num +$ratio$"
expect_line out "^swap_in +$num +host memcpy of 4 KiB +$num +$ratio$"
expect_line out "^thrash +$num +host random writes, same size +$num +$ratio$"
expect_line out "^per host second: [0-9]+ pages reclaimed to swap, [0-9]+ pages swapped in, [0-9.]+ M thrashing accesses$"
# every page of the 64 MiB goes out and comes back each round; the
# thrash (2 writes per page of 160 MiB, 5 rounds) faults and swaps both ways
expect_line out "^paths: swap_out 16384 pswpout and swap_in 16384 pswpin for 16384 pages a round; thrash 409600 accesses: [1-9][0-9]* major faults, [1-9][0-9]* pswpin, [1-9][0-9]* pswpout, [0-9]+ pgsteal_kswapd, [0-9]+ pgsteal_direct, [0-9]+ allocstall$"
expect_line out "^swap after the task exited: ([0-9]+) slots in use, as many as the \1 swap entries of the processes left \(init\); [0-9]+ pages in the swap cache; 0 invariant violations$"
expect_line out "^sanity: ok \(every word of 16384 pages holds its address after 6 swap cycles; 0 failures, 0 BUG/WARN reports\)$"
[ -z "$err" ] || fail "expected nothing on stderr"

run bench reclaim --ram 128M --swap 200M:ssd --json
expect_rc 0
expect_bench_json reclaim 3 swap_out swap_in thrash
if command -v python3 >/dev/null; then
	printf '%s\n' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["bench"] == "reclaim"
assert [x["name"] for x in r["results"]] == ["swap_out", "swap_in", "thrash"]
for x in r["results"]:
    assert set(x) == {"name", "ns_per_op", "reference",
                      "reference_ns_per_op", "ratio"}
    assert x["ns_per_op"] > 0 and x["reference_ns_per_op"] > 0
' || fail "expected valid JSON with the fields"
fi

pass
