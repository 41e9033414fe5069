/* Boot of the memory-management core: firmware map, memblock, zones,
 * mem_map, the buddy allocator taking over free memory, then slab and
 * vmalloc. */
#ifndef MMSIM_MM_MM_INIT_H
#define MMSIM_MM_MM_INIT_H

#include <stdbool.h>
#include <stddef.h>

/* Runs the boot sequence on the current machine; false if early memory
 * could not be allocated (the machine is too small), or with err filled
 * in when the host refused something the boot needs. */
bool mm_boot(char *err, size_t errlen);

#endif
