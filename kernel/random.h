/* The machine's random numbers (include/linux/random.h): every consumer
 * in the kernel, and the scenarios above it, draws from one PRNG in the
 * machine (base/prng.h, xoshiro256**) seeded at boot from --seed, so the
 * same inputs and seed give the same run. */
#ifndef MMSIM_KERNEL_RANDOM_H
#define MMSIM_KERNEL_RANDOM_H

#include <stddef.h>
#include <stdint.h>

struct machine;

/* Seeds m's PRNG (boot does it from cfg.seed). */
void rand_initialize(struct machine *m, uint64_t seed);

/* Uniform values from the current machine's PRNG. */
uint64_t get_random_u64(void);
uint32_t get_random_u32(void);
unsigned long get_random_long(void);
/* Uniform in [0, ceil); 0 when ceil is 0. */
uint32_t get_random_u32_below(uint32_t ceil);
/* Fills buf with len random bytes. */
void get_random_bytes(void *buf, size_t len);

#endif
