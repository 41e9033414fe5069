# `mmsim run`: a scenario's figures (demand paging, COW after fork, exit
# statuses, signals), determinism, script errors with file and line after
# the report of what ran, the output files and bad options.
set -eu
. "$(dirname "$0")/lib.bash"
EX="$(dirname "$0")/../../examples"

# fork-cow: 8192 pages touched, 2048 copied by the child.
run run "$EX/fork-cow.lua" --seed 3
expect_rc 0
expect_line out "^after touching 32M: VmRSS:	   327(72|76) kB$"
expect_line out "^child [0-9]+ exited with 0$"
expect_line out "^parent first word: 0x7[0-9a-f]+$"
expect_line out "^ +4 exit 0 +819[34] +0 .* parent$"
expect_line out "^ +5 exit 0 +2048 +0 .* parent$"
expect_line out "^ +1 S +0.0 +[0-9]+ +[0-9]+ .* init$"
expect_line out "^ +2 S .* \[kthreadd\]$"
expect_line out "^ +3 S .* \[kswapd0\]$"
expect_line out "^  pgfault +[0-9]+ \(\+1024[12]\)$"
expect_line out "^Virtual time: [0-9.]+ s$"
expect_line out "^Mem: +[0-9]+ +[0-9]+ +[0-9]+ +0 +0 +[0-9]+$"
first=$out

# The same seed: the same output, byte for byte; --json is JSON.
run run "$EX/fork-cow.lua" --seed 3 --json "$TMP/a.json"
[ "$out" = "$first" ] || fail "two runs with --seed 3 differ"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["error"] is None; assert any(p["exit"]=="exit 0" for p in d["processes"] if "exit" in p); assert d["vmstat"]["pgfault"] > 10000' "$TMP/a.json" ||
	fail "--json: not the expected JSON"

# Signals and their default actions; a bad access kills with SIGSEGV.
cat >"$TMP/sig.lua" <<'LUA'
local sleeper = spawn("sleeper", function(p) p:sleep("10s") end)
local stopped = spawn("stopped", function(p) p:sleep("10s") end)
spawn("crasher", function(p)
  local a = p:mmap("4K", "r--")
  p:touch{ addr = a, length = "4K", write = true }
  print("not reached")
end)
run{ ["for"] = "5ms" }
assert(kill(sleeper, "TERM") == 0)
assert(kill(stopped, "STOP") == 0)
run{ ["for"] = "5ms" }
print("stopped is " .. cat("/proc/" .. stopped.pid .. "/stat"):match("%) (%a)"))
assert(kill(1, "KILL") == 0) -- init ignores it
kill(stopped, "KILL")
LUA
run run "$TMP/sig.lua"
expect_rc 0
expect_line out "^stopped is T$"
expect_line out "^ +4 SIGTERM .* sleeper$"
expect_line out "^ +5 SIGKILL .* stopped$"
expect_line out "^ +6 SIGSEGV .* crasher$"
expect_line out "crasher\[6\]: segfault at"
expect_line out "^ +1 S .* init$"
if grep -q "not reached" "$TMP/out"; then fail "the crasher went on"; fi

# wait4 with WUNTRACED and WCONTINUED: a parent sees its child stop and
# go on, each once, then its exit.
cat >"$TMP/wait.lua" <<'LUA'
spawn("parent", function(p)
  local c = p:fork(function(c) c:sleep("20ms"); c:exit(3) end)
  print("nohang:", p:wait(-1, "nohang"))
  p:sleep("1ms")
  p:kill(c.pid, "STOP")
  print("untraced:", p:wait(c.pid, "untraced|continued"))
  print("again:", p:wait(-1, "nohang|untraced|continued"))
  p:kill(c.pid, "CONT")
  print("continued:", p:wait(c.pid, "untraced|continued"))
  print("exit:", p:wait(c.pid, "untraced|continued"))
  print("none:", p:wait())
end)
LUA
run run "$TMP/wait.lua"
expect_rc 0
expect_line out "^nohang:	0$"
expect_line out "^untraced:	5	nil	SIGSTOP	stopped$"
expect_line out "^again:	0$"
expect_line out "^continued:	5	nil	nil	continued$"
expect_line out "^exit:	5	3	nil	exited$"
expect_line out "^none:	nil	ECHILD$"

# /proc/PID/stat's CPU times (a dead thread's included, a waited-for
# child's in cutime), priority and nice, rt_priority and policy; the
# Exited table counts all threads.
cat >"$TMP/stat.lua" <<'LUA'
local function stat(p, path)
  local w = {}
  for x in p:cat(path):match("%) (.*)"):gmatch("%S+") do w[#w + 1] = x end
  return function(n) return w[n - 2] end -- field n of proc(5)
end
spawn("parent", function(p)
  local c = p:fork(function(c)
    local t = c:clone(function(t) t:compute("40ms") end)
    c:compute("60ms")
    while not t.exited do c:sleep("1ms") end
    local f = stat(c, "/proc/self/stat")
    print("child utime", f(14), "threads", f(20))
  end)
  p:wait()
  local f = stat(p, "/proc/self/stat")
  print("parent utime", f(14), "cutime", f(16), "priority", f(18), "nice", f(19))
end, { nice = 5 })
spawn("rt", function(p)
  local f = stat(p, "/proc/self/stat")
  print("rt priority", f(18), "nice", f(19), "rt_priority", f(40), "policy", f(41))
end, { policy = "fifo", priority = 10 })
LUA
run run "$TMP/stat.lua"
expect_rc 0
expect_line out "^child utime	10	threads	1$"
expect_line out "^parent utime	0	cutime	10	priority	25	nice	5$"
expect_line out "^rt priority	-11	nice	0	rt_priority	10	policy	1$"
expect_line out "^ +6 exit 0 +[0-9]+ +0 +0:00.100 parent$"

# sched_setaffinity: /proc/PID/status's Cpus_allowed and the CPU the
# task runs on follow the mask; bad lists are script errors.
cat >"$TMP/aff.lua" <<'LUA'
machine{ cpus = 4 }
spawn("a", function(p)
  local function allowed()
    local s = p:cat("/proc/self/status")
    return s:match("Cpus_allowed:%s+(%S+)"), s:match("Cpus_allowed_list:%s+(%S+)")
  end
  print("all:", allowed())
  print("set 2:", p:setaffinity("2"))
  p:compute("5ms")
  print("on:", (allowed()), p:cat("/proc/self/stat"):match("%) (.*)"):match(string.rep("%S+ ", 36) .. "(%d+)"))
  p:setaffinity("1,3-3")
  print("then:", allowed())
  print("offline:", p:setaffinity("7"))
  print(pcall(p.setaffinity, p, "3-1"))
end)
LUA
run run "$TMP/aff.lua"
expect_rc 0
expect_line out "^all:	f	0-3$"
expect_line out "^set 2:	0$"
expect_line out "^on:	4	2$"
expect_line out "^then:	a	1,3$"
expect_line out "^offline:	nil	EINVAL$"
expect_line out "^false	bad argument #2: bad CPU list '3-1'$"

# /proc/stat, /proc/loadavg and /proc/uptime of a busy second: three hogs
# on two CPUs, then idle.
cat >"$TMP/stat2.lua" <<'LUA'
machine{ cpus = 2 }
for i = 1, 3 do spawn("hog" .. i, function(p) while now() < 1e9 do p:compute("1ms") end end) end
spawn("sleeper", function(p) p:sleep("2s") end)
run{ ["until"] = "1s" }
print(cat("/proc/stat"))
print(cat("/proc/loadavg"))
print(cat("/proc/uptime"))
run{ ["until"] = "8s" }
print(cat("/proc/uptime"))
LUA
run run "$TMP/stat2.lua"
expect_rc 0
expect_line out "^cpu  199 0 0 0 0 0 0 0 0 0$"
expect_line out "^cpu0 99 0 0 0 0 0 0 0 0 0$"
expect_line out "^cpu1 99 0 0 0 0 0 0 0 0 0$"
expect_line out "^ctxt [0-9]+$"
expect_line out "^btime 1735689600$"
expect_line out "^processes 7$"
expect_line out "^procs_running 3$"
expect_line out "^procs_blocked 0$"
expect_line out "^0.00 0.00 0.00 3/7 7$"
expect_line out "^1.00 0.00$"
expect_line out "^8.00 13.99$"

# A script error: file and line, exit 1, after the report of what ran.
cat >"$TMP/bad.lua" <<'LUA'
local p = spawn("w", function(p) p:compute("2ms") end)
run{}
p:mmap("4K")
LUA
run run "$TMP/bad.lua"
expect_rc 1
expect_line err "^mmsim run: .*bad.lua:3: p:mmap\(\): a process's methods run as that process"
expect_line out "^Virtual time: "
cat >"$TMP/bad2.lua" <<'LUA'
spawn("w", function(p)
  p:compute("1ms")
  p:touch{ addr = 0, length = 0 }
end)
LUA
run run "$TMP/bad2.lua"
expect_rc 1
expect_line err "^mmsim run: .*bad2.lua:3: p:touch\(\): "
cat >"$TMP/syntax.lua" <<'LUA'
spawn("w", function(p)
LUA
run run "$TMP/syntax.lua"
expect_rc 1
expect_line err "^mmsim run: .*syntax.lua:2: "

# --csv every 5 ms of a 15 ms run: the header and a row per sample.
run run "$EX/fork-cow.lua" --quiet --csv "$TMP/s.csv" --sample 5ms --proc-dir "$TMP/proc"
expect_rc 0
[ "$(head -1 "$TMP/s.csv")" = "time_s,MemFree_kb,MemAvailable_kb,AnonPages_kb,Mapped_kb,Shmem_kb,Slab_kb,KernelStack_kb,PageTables_kb,Committed_AS_kb,pgfault,pgmajfault,pswpin,pswpout,nr_free_pages" ] ||
	fail "--csv header"
[ "$(sed -n 2p "$TMP/s.csv" | cut -d, -f1)" = "0.000000" ] || fail "--csv first row"
[ "$(sed -n 3p "$TMP/s.csv" | cut -d, -f1)" = "0.005000" ] || fail "--csv second row"
grep -q "^MemTotal:" "$TMP/proc/meminfo" || fail "--proc-dir: no meminfo"
grep -q "^Name:	init$" "$TMP/proc/1/status" || fail "--proc-dir: no 1/status"
# pagemap is binary, without a text form: the snapshot leaves it out
[ ! -e "$TMP/proc/1/pagemap" ] || fail "--proc-dir: wrote 1/pagemap"
if grep -q "after touching" "$TMP/out"; then fail "--quiet printed the script's output"; fi

# Bad options.
run run
expect_rc 2
expect_line err "no script given"
run run "$EX/fork-cow.lua" --csv "$TMP/x.csv"
expect_rc 2
run run "$EX/fork-cow.lua" --csv "$TMP/x.csv" --sample 5parsecs
expect_rc 2
expect_line err "not a duration"
run run "$EX/fork-cow.lua" --ram 1P
expect_rc 2
run run "$TMP/none.lua"
expect_rc 1
expect_line err "cannot open"

# An unknown flag word is named (the message once failed to format).
cat >"$TMP/flag.lua" <<'LUA'
spawn("f", function(p)
  print(pcall(p.wait, p, -1, "nohang|bogus"))
  p:mmap(4096, "rw-", "private|weird")
end)
run{}
LUA
run run "$TMP/flag.lua"
expect_rc 1
expect_line out "^false	bad argument #3: unknown W flag 'bogus'$"
expect_line err "bad argument #4: unknown MAP_ flag 'weird'"

# p:write into fresh memory faults once a page (a write fault, no read
# of the zero page first); p:read of mapped pages faults not at all
cat >"$TMP/w.lua" <<'LUA'
spawn("w", function(p)
  local function minflt()
    return tonumber(p:cat("/proc/self/stat"):match("%) (.*)"):match(string.rep("%S+ ", 7) .. "(%d+)"))
  end
  local a = p:mmap(16 * 4096)
  local m0 = minflt()
  p:write(a + 100, string.rep("x", 15 * 4096))
  print("write faults", minflt() - m0)
  m0 = minflt()
  local s = p:read(a, 16 * 4096)
  print("read", #s, s:sub(101, 103), minflt() - m0)
end)
LUA
run run "$TMP/w.lua"
expect_rc 0
expect_line out "^write faults	16$"
expect_line out "^read	65536	xxx	0$"

# vm.drop_caches: 1..4, counted and logged until a value with 4 in it
cat >"$TMP/drop.lua" <<'LUA'
print(echo(3, "/proc/sys/vm/drop_caches"))
print(echo(0, "/proc/sys/vm/drop_caches"))
print(echo(4, "/proc/sys/vm/drop_caches"))
print(echo(1, "/proc/sys/vm/drop_caches"))
print(cat("/proc/sys/vm/drop_caches"))
print(cat("/proc/vmstat"):match("drop_pagecache %d+"), cat("/proc/vmstat"):match("drop_slab %d+"))
LUA
run run "$TMP/drop.lua"
expect_rc 0
expect_line out "^nil	EINVAL	0 is out of range \(accepted: 1\.\.4\)$"
expect_line out "^1$"
expect_line out "^drop_pagecache 2	drop_slab 1$"
expect_line out "^\[ +[0-9.]+\] swapper/0 \(0\): drop_caches: 3$"
expect_line out "^\[ +[0-9.]+\] swapper/0 \(0\): drop_caches: 4$"
if grep -q "drop_caches: 1$" "$TMP/out"; then fail "logged after 4"; fi

# pread: bytes of a /proc file at an offset; pagemap's entries need an
# offset and a count in multiples of 8; bad arguments are named.
cat >"$TMP/pread.lua" <<'LUA'
spawn("reader", function(p)
  local a = p:mmap(8192)
  p:touch{ addr = a, length = 4096, write = true }
  local e0, e1 = string.unpack("<I8<I8", p:pread("/proc/self/pagemap", 16, (a // 4096) * 8))
  print("entries", e0 >> 63, (e0 >> 56) & 1, e0 & ((1 << 55) - 1) ~= 0, e1)
  print("misaligned", p:pread("/proc/self/pagemap", 8, 4))
  print("count", p:pread("/proc/self/pagemap", 12, 0))
  print("text", p:cat("/proc/self/pagemap"))
  print("stat", p:pread("/proc/self/stat", 9, 0))
  print("past the end", #p:pread("/proc/self/stat", 9, 1 << 20))
  print("none", p:pread("/proc/self/nope", 8, 0))
  print(pcall(function() return p:pread("/proc/self/pagemap", -8, 0) end))
  print(pcall(function() return p:pread("/proc/self/pagemap", 8, -8) end))
end)
run{}
print(pcall(pread, "/proc/1/pagemap", 8))
print("init", #pread("/proc/1/pagemap", 64, 0))
LUA
run run "$TMP/pread.lua"
expect_rc 0
expect_line out "^entries	1	1	true	0$"
expect_line out "^misaligned	nil	EINVAL$"
expect_line out "^count	nil	EINVAL$"
expect_line out "^text	nil	EINVAL$"
expect_line out "^stat	4 \(reader$"
expect_line out "^past the end	0$"
expect_line out "^none	nil	ENOENT$"
expect_line out "^false	.*bad argument #2 to 'pread' \(count must be 0\.\.67108864 bytes\)$"
expect_line out "^false	.*bad argument #3 to 'pread' \(offset must be >= 0\)$"
expect_line out "^false	.*bad argument #3 to 'pread' \(number expected, got no value\)$"
expect_line out "^init	64$"

# Ctrl-C stops a run that would never end (a busy process, a Lua loop
# that never calls into the machine) where it is: the report of what it
# did so far, the JSON too, and exit status 130. (Job control, so that the
# background mmsim does not start with SIGINT ignored.)
cat >"$TMP/forever.lua" <<'LUA'
spawn("busy", function(p) while true do p:compute("1ms") end end)
spawn("spin", function(p) p:sleep("1s"); local x = 0; while true do x = x + 1 end end)
LUA
set -m
"$MMSIM" run "$TMP/forever.lua" --json "$TMP/int.json" >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 2
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
set +m
cmd="mmsim run forever.lua, then SIGINT"
expect_rc 130
expect_line err "^mmsim run: interrupted at [0-9]+\.[0-9]{6} s$"
expect_line out "^Virtual time: "
expect_line out " busy$"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["error"].startswith("interrupted at ")' "$TMP/int.json" ||
	fail "the JSON does not record the interrupt"
