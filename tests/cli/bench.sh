# mmsim bench: help, unknown names, option errors, and one real run of
# page_alloc in both output shapes (checks its shape and sanity line,
# never its timings).
set -eu
. "$(dirname "$0")/lib.bash"

run bench --help
expect_rc 0
expect_first_line out "Usage: mmsim bench NAME [--json] [MACHINE OPTIONS]"
expect_line out "^  page_alloc "
expect_line out "^  slab "
for opt in --json --ram --nodes --cpus --arch -o; do
	expect_line out "^  $opt "
done

run bench page_alloc --help
expect_rc 0
expect_first_line out "Usage: mmsim bench NAME [--json] [MACHINE OPTIONS]"

run bench
expect_rc 2
expect_first_line_prefix err "mmsim bench: missing benchmark NAME; available: page_alloc, slab"
expect_line err " \(try 'mmsim bench --help'\)$"

run bench nope --json
expect_rc 2
expect_first_line_prefix err "mmsim bench: unknown benchmark 'nope'; available: page_alloc, slab"
[ -z "$out" ] || fail "expected nothing on stdout"

run bench page_alloc --frobnicate
expect_rc 2
expect_first_line err "mmsim bench: unknown option '--frobnicate' (try 'mmsim bench --help')"

run bench page_alloc --ram 256M
expect_rc 2
expect_line err "^mmsim bench page_alloc: --ram 256M is too small"

# A real run, on 1G to keep it short: the table, then a passing sanity line.
run bench page_alloc --ram 1G
expect_rc 0
expect_first_line out "machine: 1024 MiB RAM, 1 node, 1 CPU, x86_64"
expect_line out "^benchmark +mmsim ns/op +reference +ref ns/op +ratio$"
for name in order0_pair_pcp order0_pair_nopcp mixed_order0_4; do
	expect_line out "^$name +$num +malloc\(4096(<<order)?\)[+/]free +$num +$ratio$"
done
expect_line out "^sanity: ok \(free pages ([0-9]+) at start, \1 at end; 0 invariant violations, 0 failed allocations, 0 BUG/WARN reports\)$"

# --json: exactly the shape every benchmark shares, nothing else.
run bench page_alloc --json --ram=1G
expect_rc 0
expect_bench_json page_alloc 3 order0_pair_pcp order0_pair_nopcp mixed_order0_4

pass
