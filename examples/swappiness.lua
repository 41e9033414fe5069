-- vm.swappiness 0, 60 and 200: the same load run three times, one after
-- the other on one machine, vm.swappiness set before each run.
-- Three processes: "lazy" wrote 12M and gave it back with MADV_FREE (lazily
-- freed pages: clean, on the inactive file list, dropped without any I/O;
-- with no page cache yet they are the only "file" pages there are),
-- "cold" wrote 40M and sleeps, and "hot" keeps reading its 60M while it
-- grows by 112M, 2M at a time: the machine runs short and reclaims.
-- Look for, in each row:
--   pgscan_anon  how many anonymous pages reclaim looked at: none at
--                swappiness 0, more at 200 than at 60 (anon and file are
--                scanned in the ratio swappiness : 200 - swappiness);
--   pswpout      pages written to swap: none at swappiness 0, which
--                leaves anonymous memory alone while file pages remain;
--   pglazyfreed  lazily freed pages dropped: reclaim takes them first at
--                every swappiness here, because the file list is big
--                enough to trim (Linux's cache_trim_mode) and the anon
--                pages it scans were used since they were mapped (an
--                accessed page gets a second look before it goes);
--   VmSwap of cold and hot, and the lazy pages lazy still has (RSS).
machine{ ram = "256M", cpus = 2, swap = "512M" }

local MB = 1024 * 1024

local function vmstat(name)
  return tonumber(cat("/proc/vmstat"):match("\n" .. name .. " (%d+)"))
end

local function status_kb(p, field)
  return tonumber(p:cat("/proc/self/status"):match(field .. ":%s+(%d+) kB"))
end

local counters = { "pgscan_anon", "pgscan_file", "pswpout", "pglazyfreed" }

local function load(swappiness)
  sysctl{ ["vm.swappiness"] = swappiness }
  local before = {}
  for _, k in ipairs(counters) do before[k] = vmstat(k) end
  local done, lazy_rss, cold_swap, hot_swap = false

  spawn("lazy", function(p)
    local a = p:mmap(12 * MB)
    p:touch{ addr = a, length = 12 * MB, write = true }
    p:madvise(a, 12 * MB, "free")
    while not done do p:sleep("10ms") end
    lazy_rss = status_kb(p, "VmRSS")
  end)
  spawn("cold", function(p)
    local a = p:mmap(40 * MB)
    p:touch{ addr = a, length = 40 * MB, write = true }
    while not done do p:sleep("10ms") end
    cold_swap = status_kb(p, "VmSwap")
  end)
  spawn("hot", function(p)
    p:sleep("1ms")
    local a = p:mmap(60 * MB)
    p:touch{ addr = a, length = 60 * MB, write = true }
    local b = p:mmap(112 * MB)
    for off = 0, 110, 2 do
      p:touch{ addr = b + off * MB, length = 2 * MB, write = true }
      p:touch{ addr = a, length = 60 * MB, stride = 65536 } -- keep it hot
      p:sleep("2ms")
    end
    hot_swap = status_kb(p, "VmSwap")
    done = true
  end)
  run{}
  run{ ["for"] = "1s" } -- writeback ends, kswapd goes back to sleep

  local row = string.format("%10d", swappiness)
  for _, k in ipairs(counters) do
    row = row .. string.format(" %11d", vmstat(k) - before[k])
  end
  print(row .. string.format(" %10d kB %8d kB %8d kB", lazy_rss, cold_swap, hot_swap))
end

print(string.format("%10s %11s %11s %11s %11s %13s %11s %11s", "swappiness",
                    "pgscan_anon", "pgscan_file", "pswpout", "pglazyfreed",
                    "lazy VmRSS", "cold VmSwap", "hot VmSwap"))
for _, s in ipairs{ 0, 60, 200 } do load(s) end
