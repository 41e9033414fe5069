# `mmsim run` and the OOM killer: examples/oom.lua's victims (the +500
# process first, then the biggest; the -1000 one never), the report's
# lines, SIGKILL in the Exited table; p:oom_score_adj() and its errno
# values; vm.panic_on_oom halting the run with exit status 1; a bad
# spawn{oom_score_adj=} named with its line.
set -eu
. "$(dirname "$0")/lib.bash"
EX="$(dirname "$0")/../../examples"

run run "$EX/oom.lua"
expect_rc 0
expect_line out "^\[ *[0-9.]+\] db invoked oom-killer: gfp_mask=0x[0-9a-f]+\(GFP_HIGHUSER_MOVABLE[A-Z_|]*\), order=0, oom_score_adj=-1000$"
expect_line out "^\[ *[0-9.]+\] Tasks state \(memory values in pages\):$"
expect_line out "^\[ *[0-9.]+\] \[  pid  \]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name$"
expect_line out "^\[ *[0-9.]+\] \[      5\]  1000     5 +[0-9]+ +[0-9]+ +[0-9]+ +0 +0 +[0-9]+ +0 +500 cache$"
expect_line out "^\[ *[0-9.]+\] oom-kill:constraint=CONSTRAINT_NONE,nodemask=\(null\),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=cache,pid=5,uid=1000$"
expect_line out "^\[ *[0-9.]+\] Out of memory: Killed process 5 \(cache\) total-vm:[0-9]+kB, anon-rss:[0-9]+kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:[0-9]+kB oom_score_adj:500$"
expect_line out "^\[ *[0-9.]+\] oom_reaper: reaped process 5 \(cache\), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB$"
expect_line out "^\[ *[0-9.]+\] Out of memory: Killed process 6 \(worker1\) "
expect_no_line out "Killed process 4 \(db\)"
expect_no_line out "Killed process 7 "
expect_line out "^ +4 exit 0 .* db$"
expect_line out "^ +5 SIGKILL .* cache$"
expect_line out "^ +6 SIGKILL .* worker1$"
expect_line out "^ +7 exit 0 .* worker2$"
expect_line out "^db: grew to 80M; oom_score 0$"
expect_line out "^  oom_kill +2 \(\+2\)$"
expect_no_line out "page allocation failure"

# p:oom_score_adj(): the process may raise it and lower it back to its
# floor (what root gave it at spawn), not below; /proc shows it.
cat >"$TMP/adj.lua" <<'LUA'
spawn("t", function(p)
  print("old", p:oom_score_adj(300))
  print("now", p:oom_score_adj())
  print("below floor", p:oom_score_adj(-1))
  print("range", p:oom_score_adj(1001))
  print("file", (p:cat("/proc/self/oom_score_adj"):gsub("\n", "")))
  print("oom_adj", (p:cat("/proc/self/oom_adj"):gsub("\n", "")))
  local c = p:fork(function(c) print("child", c:oom_score_adj()) end)
  p:wait()
end)
spawn("u", function(p)
  print("u floor", p:oom_score_adj(-300), p:oom_score_adj(-200), p:oom_score_adj(-301))
end, { oom_score_adj = -300 })
LUA
run run "$TMP/adj.lua"
expect_rc 0
expect_line out "^old	0$"
expect_line out "^now	300$"
expect_line out "^below floor	nil	EACCES$"
expect_line out "^range	nil	EINVAL$"
expect_line out "^file	300$"
expect_line out "^oom_adj	5$"
expect_line out "^child	300$"
expect_line out "^u floor	-300	-300	nil	EACCES$"

# vm.panic_on_oom=1: Linux's panic; the machine halts, the report
# follows, and mmsim run exits 1 with the panic as its error.
cat >"$TMP/panic.lua" <<'LUA'
machine{ ram = "128M" }
sysctl{ ["vm.overcommit_memory"] = 1, ["vm.panic_on_oom"] = 1 }
spawn("hog", function(p)
  local a = p:mmap("200M")
  p:touch{ addr = a, length = "200M", write = true }
  print("not reached")
end)
LUA
run run "$TMP/panic.lua"
expect_rc 1
expect_first_line err "mmsim run: Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled"
expect_line out "^\[ *[0-9.]+\] hog invoked oom-killer: "
expect_line out "^\[ *[0-9.]+\] Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled$"
expect_line out "^\[ *[0-9.]+\] ---\[ end Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled \]---$"
expect_line out "^ +4 D .* hog$"
expect_no_line out "Killed process"
expect_no_line out "not reached"

# A bad value is an error naming the script line.
cat >"$TMP/bad.lua" <<'LUA'
spawn("t", function(p) end,
  { oom_score_adj = 2000 })
LUA
run run "$TMP/bad.lua"
expect_rc 1
expect_line err "bad.lua:1: spawn\(\): oom_score_adj 2000 is out of range \(accepted: -1000..1000\)"

pass
