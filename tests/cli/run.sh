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
