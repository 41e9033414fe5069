-- A process bigger than RAM, with swap.
-- Look for: the writes fill RAM, then kswapd0 (its TIME in the ps table)
-- and direct reclaim (allocstall, pgscan_direct) move the oldest pages to
-- swap (pswpout, /proc/swaps Used, the process's VmSwap); the second pass
-- reads them back as major faults (MAJFL, pswpin, swap_ra from readahead)
-- while the task sleeps in D for the disk; every word still holds its own
-- address (touch writes the address of each word it stores).
machine{ ram = "256M", cpus = 2, swap = "512M:ssd" }

spawn("big", function(p)
  local len = 320 * 1024 * 1024
  local a = p:mmap(len)
  p:touch{ addr = a, length = len, write = true }
  print("after writing 320M:  " .. p:cat("/proc/self/status"):match("VmSwap:%s+%d+ kB"))
  p:touch{ addr = a, length = len }
  local w = string.unpack("<I8", p:read(a, 8))
  print(string.format("first word: 0x%x (its own address: %s)", w, tostring(w == a)))
  print("after reading it back: " .. p:cat("/proc/self/status"):match("VmSwap:%s+%d+ kB"))
end)

run{}
print(cat("/proc/swaps"))
local v = cat("/proc/vmstat")
for _, k in ipairs{ "pswpin", "pswpout", "pgmajfault", "pgscan_kswapd", "pgsteal_kswapd",
                     "pgscan_direct", "pgsteal_direct", "allocstall_movable",
                     "swap_ra", "swap_ra_hit" } do
  print(string.format("%-18s %s", k, v:match("\n" .. k .. " (%d+)")))
end
