# mmsim boot: the kernel log, --cat, --quiet, both option forms, sysctls.
set -eu
. "$(dirname "$0")/lib.bash"

run boot --quiet --cat /proc/buddyinfo
expect_rc 0
expect_first_line_prefix out "Node 0, zone      DMA "
expect_line out "^Node 0, zone    DMA32 "
expect_no_line out "^\[ *[0-9]+\.[0-9]{6}\] "
expect_no_line out "==>"

# Without --quiet the log comes first, with dmesg time stamps.
run boot
expect_rc 0
expect_first_line out "[    0.000000] Linux version 6.16.0-mmsim (mmsim) #1 SMP PREEMPT_DYNAMIC"

# Several --cat: a "==> PATH <==" line before each file, like head(1).
run boot -q --cat /proc/buddyinfo --cat=/proc/meminfo
expect_rc 0
expect_first_line out "==> /proc/buddyinfo <=="
expect_line out "^==> /proc/meminfo <==$"
expect_line out "^MemTotal: +[0-9]+ kB$"

# --ram 512M and --ram=512M are the same machine.
run boot --quiet --ram 512M --cat /proc/meminfo
expect_rc 0
a=$out
run boot --quiet --ram=512M --cat /proc/meminfo
expect_rc 0
[ "$a" = "$out" ] || fail "expected the same meminfo for --ram 512M and --ram=512M"

# Deterministic: the same options give byte-identical output.
run boot --cpus 4 --nodes 2 --ram 2G --cat /proc/zoneinfo
expect_rc 0
a=$out
run boot --cpus 4 --nodes 2 --ram 2G --cat /proc/zoneinfo
[ "$a" = "$out" ] || fail "expected identical output from two identical runs"
expect_line out "^Node 1, zone"

# A sysctl set with -o is visible in /proc/sys/vm.
run boot -q -o vm.min_free_kbytes=4096 --cat /proc/sys/vm/min_free_kbytes
expect_rc 0
expect_first_line out "4096"

# The smallest machine: 64M of RAM needs a smaller kernel image.
run boot -q --ram 64M --kernel-size 8M --cat /proc/meminfo
expect_rc 0
expect_line out "^MemTotal:"

run boot -q --arch i386 --cat /proc/buddyinfo
expect_rc 0
expect_line out "^Node 0, zone  HighMem "

# --slab picks the allocator: SLAB's /proc/slabinfo shows its tunables,
# SLOB has none (as in Linux).
run boot -q --slab slab --cpus 2 --cat /proc/slabinfo
expect_rc 0
expect_line out "^kmalloc-32 +[0-9]+ +[0-9]+ +32 +124 +1 : tunables  120   60    8 : slabdata "
run boot -q --slab slob --cat /proc/slabinfo
expect_rc 1
expect_line err "^mmsim boot: --cat /proc/slabinfo: No such file or directory$"

# An unknown --cat path fails after printing the files before it.
run boot -q --cat /proc/buddyinfo --cat /proc/nope --cat /proc/meminfo
expect_rc 1
expect_line err "^mmsim boot: --cat /proc/nope: No such file or directory$"
expect_line out "^Node 0, zone      DMA "
expect_line out "^MemTotal:"

pass
