-- Demand paging and copy-on-write after fork.
-- Look for: the parent's RSS grows only as it touches pages (MINFL = pages
-- touched); after fork the child shares them, and its writes copy them
-- (vmstat cow faults, the child's MINFL); the parent's pages are untouched.
machine{ ram = "512M", cpus = 2 }

spawn("parent", function(p)
  local a = p:mmap("64M")                    -- private anonymous, rw-
  p:touch{ addr = a, length = "32M", write = true }   -- 8192 pages
  print(string.format("after touching 32M: %s", p:cat("/proc/self/status"):match("VmRSS:%s+%d+ kB")))
  local child = p:fork(function(c)
    c:touch{ addr = a, length = "8M", write = true } -- 2048 COW copies
    print("child: " .. c:cat("/proc/self/status"):match("RssAnon:%s+%d+ kB"))
    c:sleep("10ms")
  end)
  local pid, code = p:wait()
  print(string.format("child %d exited with %d", pid, code))
  print("parent first word: " .. string.format("0x%x", string.unpack("<I8", p:read(a, 8))))
end)
