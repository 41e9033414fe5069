/* The first processes (init/main.c). */
#ifndef MMSIM_INIT_MAIN_H
#define MMSIM_INIT_MAIN_H

#include <stdbool.h>
#include <stddef.h>

/* rest_init(): init (pid 1) and kthreadd (pid 2), as a booted Linux has
 * them; on a machine with no process yet. false with a message in err
 * on failure. */
bool rest_init(char *err, size_t errlen);

#endif
