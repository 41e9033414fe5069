-- Thrashing: working sets that together exceed RAM, with swap on an ssd.
-- Each process works in steps: 512 loads at random places in its own
-- memory, then 1 ms of computing, for a fixed stretch of virtual time.
-- Phase 1 runs three processes of 24M: together they fit in RAM. Phase 2
-- runs three of 64M: 192M of working sets for the 96M RAM leaves them.
-- Look for:
-- * progress: in phase 1 the three share the two CPUs, a step per ms of
--   CPU each (about 250000 loads per virtual second); in phase 2 the same
--   steps crawl (some 15000 loads/s), since nearly every step waits in D
--   for the disk (MAJFL in the Exited table, pswpin, pswpout). The last
--   line compares the steps both phases made in the same time.
-- * workingset detection: pages read back are refaults
--   (workingset_refault_anon); those whose refault distance fits in the
--   workingset are activated at once (workingset_activate_anon), and
--   those that were in the workingset when evicted are restored
--   (workingset_restore_anon); workingset_nodes counts the swap-cache
--   nodes (64 slots) holding only shadow entries of evicted pages.
-- * pressure: waiting for a workingset page, reclaiming directly and
--   kswapd's balancing are memory stalls: /proc/pressure/memory "some"
--   and "full" climb (avg10 every 2 s, total in us) while phase 1 shows
--   none. Most of the waiting is for the disk (/proc/pressure/io): only
--   a refault of a page that was in the workingset counts as a memory
--   stall, as in Linux.
-- One page of init's was swapped out too: the 4 kB of Swap used at the
-- end, and its shadow is the workingset_nodes left.
machine{ ram = "128M", cpus = 2, swap = "512M:ssd" }
-- Random loads leave swap readahead's pages unused, so its window shrinks
-- to the one page each fault needs (swap_ra stays small beside pswpin).

local STEP_LOADS = 512
local SECONDS = 4
local steps = {}  -- per phase: steps made by all its processes

local function worker(size_mb, tag)
  return function(p)
    local len = size_mb * 1024 * 1024
    local a = p:mmap(len)
    p:touch{ addr = a, length = len, write = true }
    local t0, n = now(), 0
    while now() - t0 < SECONDS * 1e9 do
      p:touch{ addr = a, length = len, pattern = "random", count = STEP_LOADS }
      p:compute("1ms")
      n = n + 1
    end
    local dt = (now() - t0) / 1e9
    steps[tag] = (steps[tag] or 0) + n
    print(string.format("%s %-8s %6d steps in %.2f s: %9.0f loads/s", tag, p.comm,
                        n, dt, n * STEP_LOADS / dt))
  end
end

local function vmstat(tag)
  local v = cat("/proc/vmstat")
  for _, k in ipairs{ "pswpin", "pswpout", "pgmajfault", "workingset_refault_anon",
                       "workingset_activate_anon", "workingset_restore_anon",
                       "workingset_nodes" } do
    print(string.format("%s %-26s %s", tag, k, v:match("\n" .. k .. " (%d+)")))
  end
end

-- Prints the memory pressure as it is averaged, every 2 s (PSI_FREQ).
local function monitor(tag)
  spawn("monitor", function(p)
    p:sleep("100ms")
    for _ = 1, SECONDS // 2 do
      p:sleep("2s")
      local m = cat("/proc/pressure/memory")
      print(string.format("%s at %4.1f s: memory some %s, full %s", tag, now() / 1e9,
                          m:match("some (avg10=%S+)"), m:match("full (avg10=%S+)")))
    end
  end)
end

for _, phase in ipairs{ { "fits:  ", "fit", 24 }, { "thrash:", "thrash", 64 } } do
  local tag, name, mb = phase[1], phase[2], phase[3]
  for i = 1, 3 do spawn(name .. i, worker(mb, tag)) end
  monitor(tag)
  run{}
  io.write(tag, " /proc/pressure/memory:\n", cat("/proc/pressure/memory"))
  io.write(tag, " /proc/pressure/io:\n", cat("/proc/pressure/io"))
  vmstat(tag)
end
print(string.format("the same %d s made %d steps when the working sets fit, %d when they did not: %.0f times fewer",
                    SECONDS, steps["fits:  "], steps["thrash:"], steps["fits:  "] / steps["thrash:"]))
