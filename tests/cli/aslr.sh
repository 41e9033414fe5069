# Address-space randomisation from the command line: randomize_va_space
# is 2 by default; the same --seed (or none) gives byte-identical output,
# another seed another layout, and -o kernel.randomize_va_space=0 the
# fixed layout whatever the seed.
set -eu
. "$(dirname "$0")/lib.bash"

run boot --quiet --cat /proc/sys/kernel/randomize_va_space \
	--cat /proc/sys/vm/mmap_rnd_bits
expect_rc 0
expect_line out "^2$"
expect_line out "^28$"
run boot --quiet -o kernel.randomize_va_space=1 \
	--cat /proc/sys/kernel/randomize_va_space
expect_first_line out "1"

cat >"$TMP/script.vm" <<'VM'
mmap 0 1M rw- MAP_PRIVATE|MAP_ANONYMOUS
brk 0
brk $2+0x4000
cat /proc/self/maps
cat /proc/self/stat
VM

# layout ARGS...: vmtest's output for the script, kept in $TMP/NAME.
layout() {
	local name=$1
	shift
	run vmtest "$@" "$TMP/script.vm"
	expect_rc 0
	cp "$TMP/out" "$TMP/$name"
}

layout seed5 --seed 5
layout seed5-again --seed=5
cmp -s "$TMP/seed5" "$TMP/seed5-again" ||
	fail "the same seed gave different output"
grep -q '\[heap\]$' "$TMP/seed5" || fail "expected a [heap] line"
layout seed6 --seed 6
cmp -s "$TMP/seed5" "$TMP/seed6" && fail "seeds 5 and 6 gave the same layout"
layout none
layout none-again
cmp -s "$TMP/none" "$TMP/none-again" || fail "two runs without --seed differ"
layout seed0 --seed 0x0
cmp -s "$TMP/none" "$TMP/seed0" || fail "the default seed is not 0"

# randomize_va_space=0: Linux's fixed layout, the same for every seed.
layout fixed1 --seed 1 -o kernel.randomize_va_space=0
layout fixed2 --seed 2 -o kernel.randomize_va_space=0
cmp -s "$TMP/fixed1" "$TMP/fixed2" ||
	fail "randomize_va_space=0 still depends on the seed"
grep -qxF "mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7eff000" "$TMP/fixed1" ||
	fail "expected the fixed mmap address"
grep -qxF "brk(NULL) = 0x414000" "$TMP/fixed1" || fail "expected brk 0x414000"
grep -q '^7ffffffde000-7ffffffff000 rw-p .*\[stack\]$' "$TMP/fixed1" ||
	fail "expected the stack at STACK_TOP"

pass
