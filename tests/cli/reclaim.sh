# --reclaim: the policy named in the boot log and /proc/mmsim/reclaim,
# machine{reclaim=...} in a scenario with the command line overriding
# it, the errors for an unknown policy (named, exit status 2), and
# examples/policies.lua's comparison: on its trace FIFO takes more major
# faults than exact LRU and Linux's LRU.
set -eu
. "$(dirname "$0")/lib.bash"

EX="$(dirname "$0")/../../examples"

run boot --reclaim clock --cat /proc/mmsim/reclaim
expect_rc 0
expect_line out "^\[ +[0-9.]+\] mmsim: reclaim policy: clock$"
expect_line out "^policy clock$"
expect_line out "^available lru \[clock\] fifo exact-lru$"
expect_line out "^second_chance 0$"

run boot --cat /proc/mmsim/reclaim
expect_rc 0
expect_no_line out "reclaim policy"
expect_line out "^available \[lru\] clock fifo exact-lru$"

run boot -q --reclaim=exact-lru --cat /proc/mmsim/reclaim
expect_rc 0
expect_line out "^stamps 0$"

run boot -q -o mmsim.reclaim=fifo --cat /proc/mmsim/reclaim
expect_rc 0
expect_line out "^policy fifo$"

for bad in mglru LRU "" "clock "; do
	run boot -q --reclaim "$bad"
	expect_rc 2
	expect_first_line err "mmsim boot: --reclaim $bad: unknown reclaim policy (accepted: lru, clock, fifo, exact-lru)"
	[ -z "$out" ] || fail "expected nothing on stdout"
done
run boot -q --reclaim
expect_rc 2
expect_line err "option '--reclaim' needs a value"

cat >"$TMP/m.lua" <<'LUA'
machine{ ram = "128M", reclaim = "fifo" }
print(cat("/proc/mmsim/reclaim"))
LUA
run run "$TMP/m.lua"
expect_rc 0
expect_line out "^policy fifo$"
run run "$TMP/m.lua" --reclaim exact-lru
expect_rc 0
expect_line out "^policy exact-lru$"
printf 'machine{ reclaim = "2q" }\n' >"$TMP/bad.lua"
run run "$TMP/bad.lua"
expect_failure
expect_line err "--reclaim 2q: unknown reclaim policy"

# The example: major faults per policy.
majflt() {
	run run "$EX/policies.lua" --reclaim "$1"
	expect_rc 0
	expect_line out "^policy $1$"
	printf '%s\n' "$out" | sed -n 's/^pgmajfault *\([0-9]*\)$/\1/p'
}
fifo=$(majflt fifo)
exact=$(majflt exact-lru)
lru=$(majflt lru)
[ -n "$fifo" ] && [ -n "$exact" ] && [ -n "$lru" ] ||
	fail "no pgmajfault line in the example's output"
[ "$fifo" -gt "$exact" ] ||
	fail "FIFO ($fifo major faults) should fault more than exact LRU ($exact)"
[ "$fifo" -gt "$lru" ] ||
	fail "FIFO ($fifo major faults) should fault more than the LRU ($lru)"

pass
