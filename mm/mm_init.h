/* Boot of the memory-management core: firmware map, memblock, zones,
 * mem_map, and the buddy allocator taking over free memory. */
#ifndef MMSIM_MM_MM_INIT_H
#define MMSIM_MM_MM_INIT_H

#include <stdbool.h>

/* Runs the boot sequence on the current machine; false if early memory
 * could not be allocated (the machine is too small). */
bool mm_boot(void);

#endif
