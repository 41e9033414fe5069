# mmsim bench slab: the table and the JSON shape for each slab allocator,
# the sanity line, and option errors (never timings).
set -eu
. "$(dirname "$0")/lib.bash"

run bench slab --slab nope
expect_rc 2
expect_first_line err "mmsim bench: --slab nope: unknown slab allocator (accepted: slub, slab, slob)"
[ -z "$out" ] || fail "expected nothing on stdout"

run bench slab --frobnicate
expect_rc 2
expect_first_line err "mmsim bench: unknown option '--frobnicate' (try 'mmsim bench --help')"

# The table: machine line naming the allocator, the two timed figures
# beside their host references, the memory row without one, sanity.
for slab in slub slab slob; do
	run bench slab --ram 256M --slab "$slab"
	expect_rc 0
	expect_first_line out "machine: 256 MiB RAM, 1 node, 1 CPU, x86_64, $slab"
	expect_line out "^benchmark +mmsim ns/op +reference +ref ns/op +ratio$"
	expect_line out "^cache_pair_64 +$num +malloc\(64\)\+free +$num +$ratio$"
	expect_line out "^kmalloc_random +$num +malloc\(16\.\.512\)/free +$num +$ratio$"
	expect_line out "^kmalloc_random_memory +$num +none +0\.00 +n/a$"
	expect_line out "^sanity: ok \(objects in use ([0-9]+) at start, \1 at end; free pages ([0-9]+) at start, \2 at end; 0 invariant violations, 0 failed allocations, 0 BUG/WARN reports\)$"
	[ -z "$err" ] || fail "expected nothing on stderr"
	# slab pages never hold less than what was asked for
	mem=$(printf '%s\n' "$out" |
		awk '$1 == "kmalloc_random_memory" && NF == 5 { print $2 }')
	awk -v m="$mem" 'BEGIN { exit !(m >= 1.0 && m < 4.0) }' ||
		fail "memory overhead $mem not in [1, 4)"
done

# --json: the shape every benchmark shares; the memory row's ratio is null.
run bench slab --json --ram=256M
expect_rc 0
expect_bench_json slab 3 cache_pair_64 kmalloc_random
expect_line out '^    \{"name": "kmalloc_random_memory", "ns_per_op": [0-9.]+, "reference": "none", "reference_ns_per_op": 0\.00, "ratio": null\}$'

pass
