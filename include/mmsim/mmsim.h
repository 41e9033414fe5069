/* mmsim's public C API: configure and boot a simulated machine, read and
 * write its /proc files, and tear it down. Programs embedding mmsim (the
 * mmsim command, tests, benchmarks) start here; the kernel's own APIs
 * (alloc_pages, ...) are in the subsystem headers under mm/ and kernel/.
 *
 *	struct machine_config cfg;
 *	char err[256];
 *	machine_config_default(&cfg);
 *	machine_config_set(&cfg, "ram", "512M", err, sizeof(err));
 *	struct machine *m = machine_boot(&cfg, err, sizeof(err));
 *	proc_read("/proc/buddyinfo", &seq);
 *	machine_destroy(m);
 */
#ifndef MMSIM_MMSIM_H
#define MMSIM_MMSIM_H

#include "base/seq_file.h"
#include "fs/proc/proc.h"
#include "kernel/machine.h"

#define MMSIM_VERSION "0.1.0"
#define MMSIM_LINUX_VERSION "6.16"

#endif
