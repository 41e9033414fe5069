-- Real-time scheduling on one CPU: SCHED_FIFO preempts CFS, SCHED_RR
-- rotates every 100 ms.
-- Look for: the FIFO task wakes every 100 ms and gets the CPU at once,
-- however busy the CFS hog is (its wakeup latency is the context switch);
-- the hog gets what is left. Then two RR tasks of equal priority, each
-- needing 250 ms, take turns in 100 ms slices: rr1 ends at 1.45 s, rr2
-- at 1.5 s, and the hog gets nothing meanwhile.
machine{ cpus = 1 }

local function ms(ns) return ns / 1e6 end

local hog = spawn("hog", function(p)
  while now() < 2e9 do p:compute("1ms") end
end)

spawn("fifo", function(p)
  for i = 1, 9 do
    local wake = i * 100e6
    p:sleep(wake - now())
    print(string.format("fifo: woke for %4.0f ms, running at %.6f ms", ms(wake), ms(now())))
    p:compute("20ms")
  end
end, { policy = "fifo", priority = 50 })

run{ ["until"] = "1s" }
print(string.format("hog ran %.3f ms of the first second",
  tonumber(cat("/proc/" .. hog.pid .. "/sched"):match("se.sum_exec_runtime%s+:%s+([%d.]+)"))))

for i = 1, 2 do
  spawn("rr" .. i, function(p)
    p:compute("250ms")
    print(string.format("rr%d: done at %.0f ms", i, ms(now())))
  end, { policy = "rr", priority = 10 })
end
