-- mmsim's demo (`make demo`, `mmsim demo`): a process's memory, end to end,
-- as Linux manages it. Each part prints what to look for and the figures
-- that show it; the report at the end is what `mmsim run` prints for any
-- scenario.
machine{ ram = "1G", cpus = 2 }

local function part(title) print(string.format("\n=== %s ===", title)) end

-- A figure of /proc/self/status, in kB.
local function status_kb(p, field)
  return tonumber(p:cat("/proc/self/status"):match(field .. ":%s+(%d+) kB"))
end

-- The CPU time a process has had, in ms (/proc/PID/sched).
local function cpu_ms(p, pid)
  return tonumber(p:cat("/proc/" .. pid .. "/sched"):match("se.sum_exec_runtime%s+:%s+([%d.]+)"))
end

spawn("app", function(p)
  part("1. Demand paging: memory is mapped first, backed by pages on first touch")
  local size = 64 * 1024 * 1024
  local buf = p:mmap(size)
  print(string.format("mmap 64M:           VmSize %6d kB, VmRSS %6d kB (nothing touched yet)",
    status_kb(p, "VmSize"), status_kb(p, "VmRSS")))
  local _, faults = p:touch{ addr = buf, length = "16M", write = true }
  print(string.format("write 16M of it:    VmRSS %6d kB, %d page faults (one per 4K page)",
    status_kb(p, "VmRSS"), faults))
  _, faults = p:touch{ addr = buf, length = "16M" }
  print(string.format("read them again:    %d page faults (the pages are mapped now)", faults))

  part("2. fork and copy-on-write: parent and child share pages until one writes")
  p:write(buf, "the parent's data")
  local child = p:fork(function(c)
    print(string.format("child after fork:   VmRSS %6d kB (the parent's pages, shared)",
      status_kb(c, "VmRSS")))
    local _, cow = c:touch{ addr = buf, length = "4M", write = true }
    print(string.format("child writes 4M:    %d copy-on-write faults, RssAnon %d kB",
      cow, status_kb(c, "RssAnon")))
    c:write(buf, "the child's data!")
    print(string.format("child's first page says:  %q", c:read(buf, 17)))
  end)
  p:wait(child.pid)
  print(string.format("parent's first page says: %q (the child wrote its own copy)",
    p:read(buf, 17)))

  part("3. Threads share one address space")
  local shared = p:mmap("8M")
  local threads = {}
  for i = 0, 1 do
    threads[#threads + 1] = p:clone(function(t)
      local half = shared + i * 4 * 1024 * 1024
      local _, f = t:touch{ addr = half, length = "4M", write = true }
      t:write(half, string.format("thread %d was here", i))
      print(string.format("thread %d wrote its 4M half: %d page faults", i, f))
    end)
  end
  repeat
    p:sleep("1ms")
  until threads[1].exited and threads[2].exited
  print(string.format("main thread reads:  %q, %q; VmRSS %d kB (+8M once: one mm)",
    p:read(shared, 17), p:read(shared + 4 * 1024 * 1024, 17), status_kb(p, "VmRSS")))

  part("4. CFS shares a CPU by nice level")
  print("three busy processes at nice 0, 5 and 10 share CPU 1 for one second:")
  local start, hogs = now(), {}
  for _, n in ipairs{ 0, 5, 10 } do
    hogs[#hogs + 1] = p:fork(function(h)
      h:exec("nice" .. n)
      h:setaffinity("1")
      h:nice(n)
      while now() < start + 1e9 do h:compute("1ms") end
    end)
  end
  p:sleep("990ms")
  local ran, total = {}, 0
  for i, h in ipairs(hogs) do
    ran[i] = cpu_ms(p, h.pid)
    total = total + ran[i]
  end
  for i, n in ipairs{ 0, 5, 10 } do
    print(string.format("  nice %2d: %5.1f%% of the CPU (its weight's share: %s)", n,
      100 * ran[i] / total, ({ "69.7%", "22.8%", "7.5%" })[i]))
  end
  for _ = 1, 3 do p:wait() end
end)
