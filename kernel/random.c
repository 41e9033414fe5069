/* The machine's random numbers (drivers/char/random.c's interface): a
 * seeded xoshiro256** in struct machine instead of an entropy pool and
 * ChaCha, so a run is reproducible from its seed. */
#include "kernel/random.h"

#include <string.h>

#include "base/prng.h"
#include "kernel/machine.h"

void rand_initialize(struct machine *m, uint64_t seed)
{
	prng_seed(&m->rng, seed);
}

uint64_t get_random_u64(void)
{
	return prng_next(&M->rng);
}

uint32_t get_random_u32(void)
{
	/* The high bits of xoshiro256** are its best. */
	return (uint32_t)(get_random_u64() >> 32);
}

unsigned long get_random_long(void)
{
	return (unsigned long)get_random_u64();
}

uint32_t get_random_u32_below(uint32_t ceil)
{
	return ceil ? (uint32_t)prng_below(&M->rng, ceil) : 0;
}

void get_random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		uint64_t v = get_random_u64();
		size_t n = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}
