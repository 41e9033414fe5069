/* The machine's disk hardware (mmsim's own driver; Linux's closest
 * counterpart is drivers/block/null_blk, a disk whose completions are
 * hrtimers): the presets nvme, ssd and hdd, the timing model each
 * follows (docs/block-model.md), the `--disk` machine option and its
 * `-o mmsim.disk.NAME=VALUE` overrides. This header is light on purpose:
 * kernel/machine.h includes it for struct disk_config. */
#ifndef MMSIM_DRIVERS_BLOCK_SIM_DISK_H
#define MMSIM_DRIVERS_BLOCK_SIM_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a disk's requests cost. A request issued to the device (one of
 * depth in service at once) waits latency_ns, plus seek_ns +
 * rotation_ns on a rotational disk when it does not start where the
 * previous request ended; then it transfers its bytes at bandwidth over
 * the device's one channel, after the transfers issued before it. Alone,
 * a request takes latency + size / bandwidth. */
struct blk_model {
	uint64_t latency_ns; /* per request: command, controller, media */
	uint64_t bandwidth; /* bytes per second, shared by all requests */
	unsigned int depth; /* requests in service at once */
	bool rotational; /* seeks: /sys/block/NAME/queue/rotational */
	uint64_t seek_ns; /* average seek (rotational only) */
	uint64_t rotation_ns; /* average rotational latency: half a turn */
};

enum disk_preset {
	DISK_NVME, /* the default: nvme0n1, 259:0 */
	DISK_SSD, /* a SATA SSD: sda, 8:0 */
	DISK_HDD, /* a 7200 rpm SATA disk: sda, 8:0 */
	DISK_NONE, /* no disk */
	NR_DISK_PRESETS
};

/* The disk a machine boots with: a preset, and the figures the user
 * set with -o mmsim.disk.NAME=VALUE (each bit of set says which). */
struct disk_config {
	enum disk_preset preset;
	unsigned int set; /* DISK_SET_* */
	uint64_t size; /* bytes */
	struct blk_model model;
};

#define DISK_SET_SIZE 0x01u
#define DISK_SET_LATENCY 0x02u
#define DISK_SET_BANDWIDTH 0x04u
#define DISK_SET_DEPTH 0x08u
#define DISK_SET_SEEK 0x10u
#define DISK_SET_ROTATION 0x20u

/* 16 GiB. */
#define DISK_DEFAULT_SIZE (16ULL << 30)

/* Defaults: an NVMe disk of DISK_DEFAULT_SIZE, nothing overridden. */
void disk_config_default(struct disk_config *cfg);
/* Sets "disk" (nvme|ssd|hdd|none) or "disk.NAME" (size, latency_ns,
 * bandwidth, depth, seek_ns, rotation_ns) from text. Returns false with
 * err naming the option and what it accepts. */
bool disk_config_set(struct disk_config *cfg, const char *key,
		     const char *value, char *err, size_t errlen);
/* Checks what depends on several options (seek figures need a
 * rotational disk; overrides need a disk). */
bool disk_config_check(const struct disk_config *cfg, char *err, size_t errlen);
/* The preset's figures (docs/block-model.md). */
void blk_model_preset(enum disk_preset preset, struct blk_model *model);
/* The preset's name as --disk takes it. */
const char *disk_preset_name(enum disk_preset preset);

/* Boot: creates the configured disk (none for DISK_NONE). False when
 * host memory runs out. */
bool sim_disk_init(const struct disk_config *cfg);

struct gendisk;

/* Adds a disk following model: name (e.g. "sdb"), major:minor, bytes
 * (a multiple of 512). Its contents are host memory, mapped on first
 * use, zero until written. NULL when host memory runs out or the name
 * or number is taken. Disks with major 259 are NVMe namespaces (no I/O
 * scheduler); others are SCSI disks (mq-deadline's nr_requests). */
struct gendisk *sim_disk_create(const char *name, int major, int minor,
				uint64_t bytes, const struct blk_model *model);

#endif
