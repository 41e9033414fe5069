-- The OOM killer: four processes grow until the 256M machine (no swap)
-- runs out of memory.
-- Look for: the kernel log's "invoked oom-killer" report (Mem-Info, the
-- task table with each process's rss and oom_score_adj, the oom-kill
-- line); "cache" (oom_score_adj +500) dies first although it is the
-- smallest, then the biggest worker; "db" (oom_score_adj -1000) is never
-- chosen; "oom_reaper: reaped process" gives the victim's memory back at
-- once; the Exited table shows the victims ended by SIGKILL, and vmstat's
-- oom_kill counts the kills.
machine{ ram = "256M", cpus = 2 }
sysctl{ ["vm.overcommit_memory"] = 1 }   -- let every mmap succeed

-- Grows by 4M every millisecond up to size, then stays.
local function grow(size_mb)
  return function(p)
    local a = p:mmap(size_mb .. "M")
    for off = 0, size_mb - 4, 4 do
      p:touch{ addr = a + off * 1024 * 1024, length = "4M", write = true }
      p:sleep("1ms")
    end
    print(string.format("%s: grew to %dM; oom_score %s", p.comm, size_mb,
                        p:cat("/proc/self/oom_score"):gsub("\n", "")))
    p:sleep("50ms")
  end
end

spawn("db", grow(80), { oom_score_adj = -1000 })
spawn("cache", grow(40), { oom_score_adj = 500 })
local w1 = spawn("worker1", grow(100))
spawn("worker2", grow(90))
run{ ["for"] = "5ms" }
print("worker1 oom_score after 5ms: " .. cat("/proc/" .. w1.pid .. "/oom_score"):gsub("\n", ""))
