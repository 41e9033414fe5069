# mmsim boot rejects bad input with a non-zero status and a message on
# stderr that names the option, and prints nothing on stdout.
set -eu
. "$(dirname "$0")/lib.bash"

# bad ARGS... -- REGEX: boot with ARGS fails; stderr matches REGEX.
bad() {
	local args=()
	while [ "$1" != "--" ]; do
		args+=("$1")
		shift
	done
	run boot --quiet "${args[@]}"
	expect_failure
	expect_line err "^mmsim boot: .*$2"
	[ -z "$out" ] || fail "expected nothing on stdout"
}

bad --ram 12Q -- "--ram 12Q"
bad --ram=12Q -- "--ram 12Q"
bad --ram 1M -- "--ram .*out of range.*64M"
bad --ram 1T -- "--ram .*out of range.*128G"
bad --arch i386 --ram 8G -- "--ram .*out of range.*4G"
bad --ram "" -- "--ram"
bad --nodes 0 -- "--nodes 0"
bad --nodes 100 -- "--nodes 100"
bad --nodes abc -- "--nodes abc"
bad --ram 64M --nodes 4 -- "--nodes 4.*32M"
bad --cpus 0 -- "--cpus 0"
bad --cpus 257 -- "--cpus 257"
bad --arch sparc -- "--arch sparc"
bad --kernel-size 1G -- "--kernel-size"
bad --slab slub2 -- "--slab slub2: unknown slab allocator \(accepted: slub, slab, slob\)"
bad -o vm.nonexistent=1 -- "vm\.nonexistent"
bad -o vm.min_free_kbytes=abc -- "vm\.min_free_kbytes"
bad -o kernel.pid_max=10 -- "-o kernel\.pid_max=10: /proc/sys/kernel/pid_max: No such file"
bad -o kernel.randomize_va_space=abc -- "kernel\.randomize_va_space=abc: 'abc' is not an integer"
bad -o vm.mmap_rnd_bits=27 -- "vm\.mmap_rnd_bits=27: .*out of range \(accepted: 28\.\.32\)"
bad --arch riscv64 -o vm.mmap_rnd_bits=25 -- "out of range \(accepted: 18\.\.24\)"
bad --arch i386 -o vm.mmap_rnd_bits=7 -- "out of range \(accepted: 8\.\.16\)"
bad -o kernel. -- "-o 'kernel\.'.*kernel\.NAME=VALUE"
bad -o fs.file-max=10 -- "only vm\.NAME=VALUE and kernel\.NAME=VALUE sysctls"
bad --seed abc -- "--seed abc: not a number \(accepted: 0\.\.18446744073709551615, decimal or 0x hex\)"
bad --seed -1 -- "--seed -1: not a number"
bad --seed " 1" -- "--seed  1: not a number"
bad --seed 0x -- "--seed 0x: not a number"
bad --seed 12ab -- "--seed 12ab: not a number"
bad --seed 18446744073709551616 -- "--seed 18446744073709551616: out of range"
bad --seed 0x10000000000000000 -- "--seed 0x10000000000000000: out of range"
bad --seed -- "option '--seed' needs a value"
bad -o vm.swappiness -- "-o 'vm\.swappiness'.*vm\.NAME=VALUE"
bad --frobnicate -- "unknown option '--frobnicate'"
bad stray -- "unexpected argument 'stray'"
bad --ram -- "option '--ram' needs a value"
bad --cat -- "option '--cat' needs a value"
bad -o -- "option '-o' needs a value"

# Exit status: 2 for a bad option, 1 when the machine cannot boot.
run boot --ram 12Q
expect_rc 2
run boot --frobnicate
expect_rc 2
run boot --cat /proc/nope --quiet
expect_rc 1

# The seed's whole range, in decimal and hex.
for seed in 0 18446744073709551615 0xffffffffffffffff 0X1F; do
	run boot --quiet --seed "$seed"
	expect_rc 0
done

pass
