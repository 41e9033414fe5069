-- /proc/self/pagemap: one 64-bit entry per virtual page, read with
-- p:pread(path, 8, (addr // 4096) * 8).
-- Look for: a page absent before its first touch, then present with a PFN
-- and exclusive (mapped once); after fork parent and child show the same
-- PFN, not exclusive (a shared COW page); the child's write gives it a new
-- PFN and both are exclusive again; a MAP_SHARED page has the file bit
-- (shared anonymous memory is shmem); once memory is tight the first page
-- is swapped: not present, swap type 0 and its slot's offset. The PFN
-- indexes /proc/kpageflags (the page's flags) and /proc/kpagecount (the
-- PTEs mapping it): 1, then 2 while parent and child share the page.
machine{ ram = "128M", cpus = 2, swap = "256M:ssd" }

-- include/uapi/linux/kernel-page-flags.h, as page-types names them
local kpf = { [0] = "locked", [2] = "referenced", [3] = "uptodate",
  [4] = "dirty", [5] = "lru", [6] = "active", [7] = "slab",
  [8] = "writeback", [9] = "reclaim", [10] = "buddy", [11] = "mmap",
  [12] = "anonymous", [13] = "swapcache", [14] = "swapbacked" }

local function kpage(pfn)
  local f = string.unpack("<I8", pread("/proc/kpageflags", 8, pfn * 8))
  local c = string.unpack("<I8", pread("/proc/kpagecount", 8, pfn * 8))
  local names = {}
  for bit = 0, 14 do
    if kpf[bit] and (f >> bit) & 1 == 1 then names[#names + 1] = kpf[bit] end
  end
  return table.concat(names, ","), c
end

local function entry(p, addr)
  return string.unpack("<I8", p:pread("/proc/self/pagemap", 8, (addr // 4096) * 8))
end

local function show(who, what, e)
  local bit = function(n) return (e >> n) & 1 end
  local frame
  if bit(62) == 1 then
    frame = string.format("swap type %d offset %d", e & 31, (e >> 5) & ((1 << 50) - 1))
  else
    frame = string.format("pfn 0x%x", e & ((1 << 55) - 1))
  end
  print(string.format("%-6s %-22s present %d swapped %d file %d exclusive %d  %s",
                      who, what, bit(63), bit(62), bit(61), bit(56), frame))
end

spawn("mapper", function(p)
  local a = p:mmap("1M")
  show("parent", "before touch", entry(p, a))
  p:touch{ addr = a, length = 4096, write = true }
  show("parent", "after touch", entry(p, a))
  local pfn = entry(p, a) & ((1 << 55) - 1)
  print(string.format("pfn 0x%x: kpageflags %s, kpagecount %d", pfn, kpage(pfn)))
  p:fork(function(c)
    show("child", "after fork", entry(c, a))
    c:sleep("1ms")
    c:touch{ addr = a, length = 4096, write = true }
    show("child", "after its write", entry(c, a))
    c:sleep("1ms")
  end)
  show("parent", "after fork", entry(p, a))
  print(string.format("pfn 0x%x: kpageflags %s, kpagecount %d", pfn, kpage(pfn)))
  p:sleep("1500us")
  show("parent", "after child's write", entry(p, a))
  p:wait()

  local s = p:mmap(4096, "rw-", "shared|anonymous")
  p:touch{ addr = s, length = 4096, write = true }
  show("parent", "MAP_SHARED page", entry(p, s))

  local big = 160 * 1024 * 1024      -- more than the free RAM
  local b = p:mmap(big)
  p:touch{ addr = b, length = big, write = true }
  show("parent", "after filling 160M", entry(p, a))
  print("outside every VMA (address 0): " .. entry(p, 0))
end)
