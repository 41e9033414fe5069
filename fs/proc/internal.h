/* Renderers of the /proc files that live under fs/proc/. */
#ifndef MMSIM_FS_PROC_INTERNAL_H
#define MMSIM_FS_PROC_INTERNAL_H

#include "base/seq_file.h"

void meminfo_show(struct seq_file *m);
unsigned long si_mem_available(void);

#endif
