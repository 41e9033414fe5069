# mmsim boot --disk: the machine's disk as /proc/partitions,
# /proc/diskstats and /sys/block show it, its overrides, and the errors
# for bad disk options (named, exit status 2, nothing on stdout).
set -eu
. "$(dirname "$0")/lib.bash"

# expect_out TEXT: stdout is exactly TEXT.
expect_out() {
	[ "$out" = "$1" ] || fail "expected stdout:" "$1" "got:" "$out"
}

# The default: a 16G NVMe namespace.
run boot -q --cat /proc/partitions
expect_rc 0
expect_out "major minor  #blocks  name

 259        0   16777216 nvme0n1"

run boot -q --cat /proc/diskstats --cat /sys/block/nvme0n1/queue/rotational
expect_rc 0
expect_out "==> /proc/diskstats <==
 259       0 nvme0n1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0

==> /sys/block/nvme0n1/queue/rotational <==
0"

# SATA disks are sda, 8:0; an HDD is rotational; the size can be set.
run boot -q --disk=hdd -o mmsim.disk.size=1G --cat /proc/partitions \
	--cat /sys/block/sda/queue/rotational --cat /sys/block/sda/stat
expect_rc 0
expect_out "==> /proc/partitions <==
major minor  #blocks  name

   8        0    1048576 sda

==> /sys/block/sda/queue/rotational <==
1

==> /sys/block/sda/stat <==
       0        0        0        0        0        0        0        0        0        0        0        0        0        0        0        0        0"

# Overrides come before or after --disk alike.
run boot -q -o mmsim.disk.depth=8 --disk ssd --cat /sys/block/sda/queue/nr_requests
expect_rc 0
expect_out "16"

# No disk: the files are there and empty; a disk's directory is not.
run boot -q --disk none --cat /proc/partitions --cat /proc/diskstats
expect_rc 0
run boot -q --disk none --cat /sys/block/nvme0n1/stat
expect_rc 1
expect_line err "^mmsim boot: --cat /sys/block/nvme0n1/stat: No such file or directory$"

# bad ARGS... -- MESSAGE: boot fails with exactly "mmsim boot: MESSAGE".
bad() {
	local args=()
	while [ "$1" != "--" ]; do
		args+=("$1")
		shift
	done
	run boot --quiet "${args[@]}"
	expect_rc 2
	[ "$err" = "mmsim boot: $2" ] || fail "expected stderr: mmsim boot: $2"
	[ -z "$out" ] || fail "expected nothing on stdout"
}

bad --disk floppy -- "--disk floppy: unknown disk (accepted: nvme, ssd, hdd, none)"
bad --disk -- "option '--disk' needs a value"
bad -o mmsim.disk.depth=0 -- "mmsim.disk.depth=0: 0 is out of range (accepted: 1..65536)"
bad -o mmsim.disk.size=1G5 -- "mmsim.disk.size=1G5: '1G5' is not a size (unknown unit '5'; use K, M, G or T)"
bad -o mmsim.disk.bandwidth=0 -- "mmsim.disk.bandwidth=0: out of range (accepted: 1K..1T bytes per second)"
bad -o mmsim.disk.latency_ns=fast -- "mmsim.disk.latency_ns=fast: 'fast' is not an integer (ns)"
bad -o mmsim.disk.rpm=7200 -- "mmsim.disk.rpm: unknown disk option (accepted: size, latency_ns, bandwidth, depth, seek_ns, rotation_ns)"
bad -o mmsim.disk.seek_ns=1 -- "mmsim.disk.seek_ns: only a rotational disk seeks (--disk hdd; this one is nvme)"
bad --disk none -o mmsim.disk.size=1G -- "mmsim.disk.size: there is no disk to set (--disk none)"

# --help describes the option.
run boot --help
expect_rc 0
expect_line out "^  --disk TYPE +the disk: nvme"
expect_line out "^  -o mmsim.disk.NAME=VALUE$"

pass
