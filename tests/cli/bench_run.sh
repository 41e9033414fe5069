# mmsim bench run: the JSON every benchmark shares with its four rows,
# the table with the per-second figures and passing sanity lines, and a
# machine too small (never timings).
set -eu
. "$(dirname "$0")/lib.bash"

run bench --help
expect_rc 0
expect_line out "^  run +default --ram 1G$"

run bench run --ram 256M
expect_rc 2
expect_first_line_prefix err "mmsim bench run: --ram 256M is too small:"
[ -z "$out" ] || fail "expected nothing on stdout"

run bench run --json
expect_rc 0
expect_bench_json run 4 touch_seq_tlb_hit touch_random_walk touch_fault \
	context_switch
if command -v python3 >/dev/null; then
	printf '%s\n' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["bench"] == "run"
assert [x["name"] for x in r["results"]] == ["touch_seq_tlb_hit",
    "touch_random_walk", "touch_fault", "context_switch"]
for x in r["results"]:
    assert set(x) == {"name", "ns_per_op", "reference",
                      "reference_ns_per_op", "ratio"}
    assert x["ns_per_op"] > 0 and x["reference_ns_per_op"] > 0
' || fail "expected valid JSON with the fields"
fi

run bench run --ram 2G
expect_rc 0
expect_first_line out "machine: 2048 MiB RAM, 1 node, 1 CPU, x86_64"
expect_line out "^benchmark +mmsim ns/op +reference +ref ns/op +ratio$"
expect_line out "^touch_seq_tlb_hit +$num +host seq writes, 128 KiB +$num +$ratio$"
expect_line out "^touch_random_walk +$num +host random reads, 64 MiB +$num +$ratio$"
expect_line out "^touch_fault +$num +host first-touch faults +$num +$ratio$"
expect_line out "^context_switch +$num +host pipe ping-pong, 1 CPU +$num +$ratio$"
expect_line out "^per host second: [0-9.]+ M TLB-hit accesses \(target 100\), [0-9.]+ M walk accesses, [0-9.]+ M faults, [0-9.]+ M context switches$"
expect_line out "^paths: seq 100\.0% dTLB hits; random [0-9.]+% walks; fault 65536 faults for 65536 pages; 200000 switches in 500 ms of virtual time$"
expect_line out "^sanity: ok \(each word holds its address, 0 failures, 0 BUG/WARN reports\)$"
[ -z "$err" ] || fail "expected nothing on stderr"

pass
