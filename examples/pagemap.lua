-- /proc/self/pagemap: one 64-bit entry per virtual page, read with
-- p:pread(path, 8, (addr // 4096) * 8).
-- Look for: a page absent before its first touch, then present with a PFN
-- and exclusive (mapped once); after fork parent and child show the same
-- PFN, not exclusive (a shared COW page); the child's write gives it a new
-- PFN and both are exclusive again; a MAP_SHARED page has the file bit
-- (shared anonymous memory is shmem); once memory is tight the first page
-- is swapped: not present, swap type 0 and its slot's offset.
machine{ ram = "128M", cpus = 2, swap = "256M:ssd" }

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
  p:fork(function(c)
    show("child", "after fork", entry(c, a))
    c:sleep("1ms")
    c:touch{ addr = a, length = 4096, write = true }
    show("child", "after its write", entry(c, a))
    c:sleep("1ms")
  end)
  show("parent", "after fork", entry(p, a))
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
