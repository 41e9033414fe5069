-- Measuring a working set with /proc/PID/clear_refs, as on Linux.
-- Look for: a process maps 64M, writes all of it, then keeps using only
-- 4M. Writing 1 to clear_refs clears the accessed bits, and smaps'
-- Referenced shows what was used since: the working set. But the first
-- measurement reads 0 kB: clear_refs does not flush the TLB (Linux does
-- not either), and the hot 4M fit in the TLBs (the STLB's 1536 entries
-- cover 6M), so the CPU uses their cached translations and never walks
-- the page tables to set an accessed bit again. Writing 4 (soft-dirty)
-- flushes the TLB; after 4 and 1 the hot 4M show up. Writing 5 resets
-- VmHWM (the peak RSS) to the current RSS once the process has let the
-- other 60M go.
machine{ ram = "256M", cpus = 1 }

local M = 1024 * 1024
local big = 64 * M
local a
local p = spawn("app", function(p)
  a = p:mmap(big)
  p:touch{ addr = a, length = big, write = true }    -- all of it, once
  for _ = 1, 30 do                                   -- then only the hot 4M
    p:touch{ addr = a, length = 4 * M }
    p:sleep("10ms")
  end
  p:madvise(a + 4 * M, big - 4 * M, "dontneed")       -- lets the rest go
  p:sleep("1s")
end)

local function smaps_kb(field)
  local total = 0
  for kb in cat("/proc/" .. p.pid .. "/smaps"):gmatch(field .. ":%s+(%d+) kB") do
    total = total + tonumber(kb)
  end
  return total
end
local function status_kb(field)
  return tonumber(cat("/proc/" .. p.pid .. "/status"):match(field .. ":%s+(%d+) kB"))
end
local clear_refs = "/proc/" .. p.pid .. "/clear_refs"

run{ ["for"] = "100ms" }
print(string.format("Rss %d kB, Referenced %d kB", smaps_kb("Rss"), smaps_kb("Referenced")))
echo(1, clear_refs)
run{ ["for"] = "50ms" }
print(string.format("50 ms after clear_refs 1: Referenced %d kB (the TLB holds the hot pages)",
                    smaps_kb("Referenced")))
echo(4, clear_refs)
echo(1, clear_refs)
run{ ["for"] = "50ms" }
print(string.format("50 ms after clear_refs 4 and 1: Referenced %d kB (the working set)",
                    smaps_kb("Referenced")))
run{ ["for"] = "200ms" }
print(string.format("after MADV_DONTNEED: VmRSS %d kB, VmHWM %d kB", status_kb("VmRSS"), status_kb("VmHWM")))
echo(5, clear_refs)
print(string.format("after clear_refs 5:  VmRSS %d kB, VmHWM %d kB", status_kb("VmRSS"), status_kb("VmHWM")))
