-- Threads share one address space.
-- Look for: four threads each write a quarter of a 16M buffer that the
-- main thread mapped. The process's RSS grows by the 16M once (one mm,
-- one set of pages; "Threads: 5" in /proc/PID/status), each thread takes
-- the faults of its own quarter (1024), and the main thread reads what the
-- threads wrote. The Exited table counts the faults of all the threads
-- (4096 and a few). A forked child would have copied the pages instead
-- (examples/fork-cow.lua).
machine{ cpus = 2 }

spawn("worker", function(p)
  local len = 16 * 1024 * 1024
  local buf = p:mmap(len)
  local threads = {}
  for i = 0, 3 do
    threads[#threads + 1] = p:clone(function(t)
      local quarter = buf + i * len / 4
      local accesses, faults = t:touch{ addr = quarter, length = len / 4, write = true }
      print(string.format("thread %d: %d writes, %d page faults", i, accesses, faults))
      t:write(quarter, string.format("written by thread %d", i))
      t:sleep("5ms")
    end)
  end
  p:sleep("1ms")
  local status = p:cat("/proc/self/status")
  print(status:match("Threads:%s+%d+"), status:match("VmRSS:%s+%d+ kB"))
  for i = 0, 3 do
    print(string.format("quarter %d says: %s", i, p:read(buf + i * len / 4, 24):match("[%w ]+")))
  end
  repeat
    local alive = false
    for _, t in ipairs(threads) do alive = alive or not t.exited end
    if alive then p:sleep("1ms") end
  until not alive
end)
