# mmsim bench fault and fork: the table, the JSON shape every benchmark
# shares, the sanity lines, and a machine too small (never timings).
set -eu
. "$(dirname "$0")/lib.bash"

run bench --help
expect_rc 0
expect_line out "^  fault +default --ram 4G$"
expect_line out "^  fork +default --ram 4G$"

for bench in fault fork; do
	run bench "$bench" --ram 1G
	expect_rc 2
	expect_first_line_prefix err "mmsim bench $bench: --ram 1024M is too small:"
	[ -z "$out" ] || fail "expected nothing on stdout"
done

# The table: the machine line, both timed rows beside their host
# references, a passing sanity line.
run bench fault
expect_rc 0
expect_first_line out "machine: 4096 MiB RAM, 1 node, 1 CPU, x86_64"
expect_line out "^benchmark +mmsim ns/op +reference +ref ns/op +ratio$"
expect_line out "^anon_write_fault +$num +host mmap\+touch, 4K pages +$num +$ratio$"
expect_line out "^munmap_1g +$num +host munmap of 1 GiB +$num +$ratio$"
expect_line out "^sanity: ok \(262144 faults for 262144 pages; pages free or in slabs ([0-9]+) at start, \1 at end; 0 invariant violations, 0 failed accesses, 0 BUG/WARN reports\)$"
[ -z "$err" ] || fail "expected nothing on stderr"

run bench fork --json
expect_rc 0
expect_bench_json fork 2 fork_1g cow_fault

run bench fork --ram 2G
expect_rc 0
expect_first_line out "machine: 2048 MiB RAM, 1 node, 1 CPU, x86_64"
expect_line out "^fork_1g +$num +host fork\(\), 1 GiB touched +$num +$ratio$"
expect_line out "^cow_fault +$num +host COW write fault +$num +$ratio$"
expect_line out "^sanity: ok \(65536 COW faults for 65536 pages written, child kept its bytes: yes; pages free or in slabs ([0-9]+) at start, \1 at end; 0 invariant violations, 0 failures, 0 BUG/WARN reports\)$"

run bench fault --json --ram=2G
expect_rc 0
expect_bench_json fault 2 anon_write_fault munmap_1g

pass
