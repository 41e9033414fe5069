-- CFS shares one CPU by nice level.
-- Look for: three CPU-bound processes at nice 0, 5 and 10 share the CPU in
-- the ratio of their load weights, 1024 : 335 : 110 (69.7%, 22.8%, 7.5%),
-- not equally: see the lines printed at 3 s and the TIME column of the
-- Exited table. Each nice step is worth about 1.25x.
machine{ cpus = 1 }

local hogs = {}
for _, n in ipairs{ 0, 5, 10 } do
  hogs[#hogs + 1] = spawn("nice" .. n, function(p)
    while now() < 3e9 do p:compute("1ms") end   -- busy until 3 s
  end, { nice = n })
end

run{ ["until"] = "3s" }

local ran, total = {}, 0
for i, p in ipairs(hogs) do
  -- /proc/PID/sched: se.sum_exec_runtime in ms
  ran[i] = tonumber(cat("/proc/" .. p.pid .. "/sched"):match("se.sum_exec_runtime%s+:%s+([%d.]+)"))
  total = total + ran[i]
end
for i, p in ipairs(hogs) do
  print(string.format("%-7s ran %8.3f ms: %4.1f%% of the CPU", p.comm, ran[i], 100 * ran[i] / total))
end
