-- The reclaim policies on one trace: run it once per policy,
--   mmsim run examples/policies.lua --reclaim lru   (the default)
--   mmsim run examples/policies.lua --reclaim clock
--   mmsim run examples/policies.lua --reclaim fifo
--   mmsim run examples/policies.lua --reclaim exact-lru
-- and compare the major faults (pgmajfault: pages read back from swap)
-- and the virtual time each took. The process has a hot 32M table it
-- reads at random, 2048 reads after each 4M of a cold 160M log it scans
-- from end to end, three times; together they are well above the 128M
-- of RAM.
-- Look for: Linux's two lists fault least (about 18900 major faults):
-- the hot pages reach the active list while the log streams through the
-- inactive one; exact LRU is close (20400); FIFO evicts hot and cold
-- alike (23700); CLOCK does worst here (26600): every log page is spared
-- once, its first access having set its bit, and hot pages whose
-- translations sit in the TLB look unused after the hand cleared them.
-- /proc/mmsim/reclaim names the policy and its own counters.
machine{ ram = "128M", swap = "512M:ssd" }

spawn("mixed", function(p)
  local hot, cold = 32 * 1024 * 1024, 160 * 1024 * 1024
  local h, c = p:mmap(hot), p:mmap(cold)
  p:touch{ addr = h, length = hot, write = true }
  p:touch{ addr = c, length = cold, write = true }
  local step = 4 * 1024 * 1024
  for round = 1, 3 do
    for off = 0, cold - step, step do
      p:touch{ addr = c + off, length = step }
      p:touch{ addr = h, length = hot, pattern = "random", count = 2048 }
    end
  end
end)

run{}
io.write(cat("/proc/mmsim/reclaim"))
local v = cat("/proc/vmstat")
for _, k in ipairs{ "pgmajfault", "pswpin", "pswpout", "pgscan_kswapd",
                     "pgscan_direct", "pgactivate", "pgdeactivate" } do
  print(string.format("%-14s %s", k, v:match("\n" .. k .. " (%d+)")))
end
