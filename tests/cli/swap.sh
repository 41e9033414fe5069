# Swap from the command line: --swap areas as /proc/swaps, meminfo and
# the kernel log show them, the errors for bad --swap values (named, exit
# status 2), a swap file really written on the host, and a scenario
# bigger than RAM (examples/swap.lua) whose pages go to swap and come
# back intact, with swapon{}/swapoff() from Lua.
set -eu
. "$(dirname "$0")/lib.bash"

EX="$(dirname "$0")/../../examples"

expect_out() {
	[ "$out" = "$1" ] || fail "expected stdout:" "$1" "got:" "$out"
}

# Two partitions, on disks of their own, and a file on the machine's disk.
run boot --swap 64M --swap 32M:hdd --swap "16M:$TMP/swapfile" \
	--cat /proc/swaps --cat /proc/partitions
expect_rc 0
expect_line out "^\[ +[0-9.]+\] Adding 65532k swap on /dev/nvme1n1\.  Priority:-2 extents:1 across:65532k SS$"
expect_line out "^\[ +[0-9.]+\] Adding 32764k swap on /dev/sda\.  Priority:-3 extents:1 across:32764k $"
expect_line out "^/dev/nvme1n1                            partition	65532		0		-2$"
expect_line out "^/dev/sda                                partition	32764		0		-3$"
expect_line out "^$TMP/swapfile +file		16380		0		-4$"
expect_line out "^ 259        1      65536 nvme1n1$"
expect_line out "^   8        0      32768 sda$"
[ "$(stat -c %s "$TMP/swapfile")" = 16777216 ] ||
	fail "the swap file is not 16M on the host"

run boot -q --swap 1G --cat /proc/meminfo
expect_rc 0
expect_line out "^SwapTotal: +1048572 kB$"
expect_line out "^SwapFree: +1048572 kB$"

run boot -q --cat /proc/swaps --cat /proc/sys/vm/swappiness \
	--cat /proc/sys/vm/page-cluster
expect_rc 0
expect_out "==> /proc/swaps <==
Filename				Type		Size		Used		Priority

==> /proc/sys/vm/swappiness <==
60

==> /proc/sys/vm/page-cluster <==
3"

# Bad values are named.
run boot --swap lots
expect_rc 2
expect_first_line err "mmsim boot: --swap lots: 'lots' is not a size (expected e.g. 512M, 1G)"
run boot --swap 4K
expect_rc 2
expect_line err "^mmsim boot: --swap 4K: size out of range \(accepted: 40K..1T\)$"
run boot --swap 1M:
expect_rc 2
expect_line err "^mmsim boot: --swap 1M:: empty FILE"
run boot --swap 1M:ssd:/nonexistent-dir/x
expect_rc 1
expect_line err "^mmsim boot: --swap 1M:ssd:/nonexistent-dir/x: swap file /nonexistent-dir/x: No such file or directory$"
run boot -o vm.swappiness=201
expect_rc 1
expect_line err "201 is out of range \(accepted: 0..200\)"

# A process bigger than RAM: out to swap and back, every word intact.
run run "$EX/swap.lua" --seed 1
expect_rc 0
expect_line out "^first word: 0x[0-9a-f]+ \(its own address: true\)$"
expect_line out "^ +3 S .* \[kswapd0\]$"
expect_line out "^ +4 exit 0 +[0-9]+ +[1-9][0-9]* .* big$"
expect_line out "^pswpout +[1-9][0-9]*$"
expect_line out "^pswpin +[1-9][0-9]*$"
expect_line out "^/dev/sda +partition	524284		[0-9]+		-2$"

# swapon{} and swapoff() from a script.
cat >"$TMP/s.lua" <<'LUA'
machine{ ram = "128M" }
local a = swapon{ size = "8M", disk = "hdd", priority = 7 }
local b = swapon{ size = "4M", file = os.getenv("SWAPFILE") }
print(a, b)
print(cat("/proc/swaps"))
print(swapon{ size = "4M", file = os.getenv("SWAPFILE") })
print(swapoff(a))
print(swapoff(a))
print(cat("/proc/swaps"))
LUA
SWAPFILE="$TMP/lua.swap" run run "$TMP/s.lua"
expect_rc 0
expect_line out "^/dev/sda	$TMP/lua.swap$"
expect_line out "^/dev/sda                                partition	8188		0		7$"
expect_line out "^$TMP/lua.swap +file		4092		0		-2$"
expect_line out "^nil	EBUSY$"
expect_line out "^0$"
expect_line out "^nil	EINVAL$"

cat >"$TMP/bad.lua" <<'LUA'
swapon{ disk = "ssd" }
LUA
run run "$TMP/bad.lua"
expect_rc 1
expect_line err "swapon\{\}: size is required"

# echo(): /sys/kernel/mm/swap/vma_ra_enabled switches readahead by address
# off; bad values and files are refused with the errno and the reason
cat >"$TMP/echo.lua" <<'LUA'
io.write(cat("/sys/kernel/mm/swap/vma_ra_enabled"))
print(echo("off", "/sys/kernel/mm/swap/vma_ra_enabled"))
io.write(cat("/sys/kernel/mm/swap/vma_ra_enabled"))
print(echo("maybe", "/sys/kernel/mm/swap/vma_ra_enabled"))
print(echo(1, "/proc/meminfo"))
print(echo(1, "/proc/nope"))
LUA
run run "$TMP/echo.lua"
expect_rc 0
expect_line out "^true$"
expect_line out "^false$"
expect_line out "^nil	EINVAL	/sys/kernel/mm/swap/vma_ra_enabled: Invalid argument \(maybe: expected true or false\)$"
expect_line out "^nil	EACCES	/proc/meminfo: Permission denied$"
expect_line out "^nil	ENOENT	/proc/nope: No such file or directory$"

# p:read and p:write of pages on swap wait for the disk (virtual time
# passes, one major fault each), and the bytes are right
cat >"$TMP/rw.lua" <<'LUA'
machine{ ram = "128M", swap = "256M:ssd" }
spawn("r", function(p)
  local a = p:mmap(64 * 4096)
  p:touch{ addr = a, length = 64 * 4096, write = true }
  p:madvise(a, 64 * 4096, "pageout")
  p:sleep("2s") -- meanwhile the hog pushes them out of the swap cache
  local function majflt()
    return tonumber(p:cat("/proc/self/stat"):match("%) (.*)"):match(string.rep("%S+ ", 9) .. "(%d+)"))
  end
  print("swapcached " .. cat("/proc/meminfo"):match("SwapCached:%s+(%d+)"))
  local m0, t0 = majflt(), now()
  local w = string.unpack("<I8", p:read(a + 8192, 8))
  print("read", w == a + 8192, majflt() - m0, now() - t0 > 0)
  m0, t0 = majflt(), now()
  p:write(a + 40960, "hello")
  print("write", p:read(a + 40960, 5), majflt() - m0, now() - t0 > 0)
end)
spawn("hog", function(p)
  p:sleep("100ms")
  local n = 160 * 1024 * 1024
  local b = p:mmap(n)
  p:touch{ addr = b, length = n, write = true }
  p:munmap(b, n)
end)
run{}
LUA
run run "$TMP/rw.lua"
expect_rc 0
expect_line out "^swapcached 0$"
expect_line out "^read	true	1	true$"
expect_line out "^write	hello	1	true$"
echo "ok"
