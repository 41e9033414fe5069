# mmsim boot --cat /sys/kernel/slab/NAME/ATTR: SLUB's attributes, read
# like /proc files; unknown caches or attributes, and other allocators,
# have none.
set -eu
. "$(dirname "$0")/lib.bash"

run boot --quiet --cat /sys/kernel/slab/kmalloc-64/order
expect_rc 0
[ "$out" = "0" ] || fail "expected order 0"

run boot --quiet --cat /sys/kernel/slab/kmalloc-64/objs_per_slab \
	--cat /sys/kernel/slab/kmem_cache_node/objects
expect_rc 0
expect_first_line out "==> /sys/kernel/slab/kmalloc-64/objs_per_slab <=="
expect_line out "^64$"
expect_line out "^==> /sys/kernel/slab/kmem_cache_node/objects <==$"
expect_line out "^64 N0=64$"

run boot --quiet --cat /sys/kernel/slab/nosuch/order
expect_rc 1
expect_first_line err "mmsim boot: --cat /sys/kernel/slab/nosuch/order: No such file or directory"

run boot --quiet --slab slab --cat /sys/kernel/slab/kmalloc-64/order
expect_rc 1
expect_first_line err "mmsim boot: --cat /sys/kernel/slab/kmalloc-64/order: No such file or directory"

pass
