# mmsim slabtop: procps slabtop -o's summary and table, its sort orders,
# the allocators with and without /proc/slabinfo, and option errors.
set -eu
. "$(dirname "$0")/lib.bash"

run slabtop --help
expect_rc 0
expect_first_line out "Usage: mmsim slabtop [OPTIONS]"
for opt in --ram --nodes --cpus --slab --sort --help; do
	expect_line out "^  $opt "
done

run slabtop --sort bogus
expect_rc 2
expect_first_line err "mmsim slabtop: --sort bogus: unknown key (accepted: size, objs, name)"
[ -z "$out" ] || fail "expected nothing on stdout"

run slabtop --frobnicate
expect_rc 2
expect_first_line err "mmsim slabtop: unknown option '--frobnicate' (try 'mmsim slabtop --help')"

run slabtop --ram 1M
expect_rc 2

# SLOB has no /proc/slabinfo, so there is nothing to show (as on Linux).
run slabtop --slab slob
expect_rc 1
expect_first_line err "mmsim slabtop: /proc/slabinfo: No such file or directory"

# The summary: five lines in procps's format, then an empty line.
run slabtop
expect_rc 0
n='[0-9]+'
k='[0-9]+\.[0-9]{2}K'
p='\([0-9]+\.[0-9]%\)'
expect_first_line_prefix out " Active / Total Objects (% used)    : "
expect_line out "^ Active / Total Objects \(% used\)    : $n / $n $p$"
expect_line out "^ Active / Total Slabs \(% used\)      : $n / $n $p$"
expect_line out "^ Active / Total Caches \(% used\)     : $n / $n $p$"
expect_line out "^ Active / Total Size \(% used\)       : $k / $k $p$"
expect_line out "^ Minimum / Average / Maximum Object : $k / $k / $k$"
[ "$(sed -n 6p "$TMP/out")" = "" ] || fail "expected an empty line 6"
# the heading, padded to 78 columns as procps pads it
[ "$(sed -n 7p "$TMP/out")" = "$(printf '%-78s' "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME")" ] ||
	fail "expected the heading on line 7"
# one line per cache, names padded to 23 columns
row="^ *$n +$n +$n% +[0-9]+\.[0-9]{2}K +$n +$n +${n}K [^ ]+ *$"
[ "$(tail -n +8 "$TMP/out" | grep -Evc -- "$row")" -eq 0 ] ||
	fail "every line after the heading should be a cache line"
expect_line out "^    64     64 100%    0\.06K      1       64         4K kmem_cache_node        $"
expect_line out "^ +0 +0   0%    8\.00K      0        4         0K kmalloc-8k +$"
# boot's only objects are kmem_cache's, kmem_cache_node's, vmalloc_init's
# vmap_area, kmalloc-16's (the copies of cache names) and kmalloc-8's
# (the shadow shrinker's per-node counts): the five caches in use lead
# the default (cache size) order, kmem_cache (4 slabs) first
expect_line out "^    56     56 100%    0\.07K      1       56         4K vmap_area              $"
tail -n +8 "$TMP/out" | head -n 1 | grep -q ' kmem_cache ' ||
	fail "expected kmem_cache on the first line"
for name in vmap_area kmalloc-16 kmalloc-8 kmem_cache_node; do
	tail -n +9 "$TMP/out" | head -n 4 | grep -q " $name " ||
		fail "expected $name among lines 2 to 5 of the table"
done
[ "$(tail -n +8 "$TMP/out" | wc -l)" -eq 61 ] || fail "expected 61 caches"

# --sort name: A to Z; --sort objs: most objects first.
run slabtop --sort name
expect_rc 0
names=$(tail -n +8 "$TMP/out" | awk '{ print $8 }')
[ "$names" = "$(printf '%s\n' "$names" | LC_ALL=C sort)" ] ||
	fail "expected the caches sorted by name"
run slabtop --sort o
expect_rc 0
objs=$(tail -n +8 "$TMP/out" | awk '{ print $1 }')
[ "$objs" = "$(printf '%s\n' "$objs" | sort -rn)" ] ||
	fail "expected the caches sorted by number of objects"

# SLAB's /proc/slabinfo works the same way.
run slabtop --slab slab --cpus 2
expect_rc 0
expect_line out "^ Active / Total Caches \(% used\)     : $n / $n $p$"
expect_line out " kmalloc-32 +$"

pass
