/* Bitmaps of unsigned longs (include/linux/bitops.h, bitmap.h, find.h):
 * test and change one bit, find the first or next set bit. The
 * scheduler's priority bitmap and CPU masks use them. */
#ifndef MMSIM_BASE_BITOPS_H
#define MMSIM_BASE_BITOPS_H

#include <stdbool.h>

#include "base/kernel.h"

#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] & BIT_MASK(nr)) != 0;
}

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

/* The first set bit at or after offset, or size when there is none. */
static inline unsigned long find_next_bit(const unsigned long *addr,
					  unsigned long size,
					  unsigned long offset)
{
	while (offset < size) {
		unsigned long word = addr[BIT_WORD(offset)] >>
				     (offset % BITS_PER_LONG);

		if (word) {
			offset += (unsigned long)__builtin_ctzl(word);
			return offset < size ? offset : size;
		}
		offset = ALIGN_DOWN(offset, BITS_PER_LONG) + BITS_PER_LONG;
	}
	return size;
}

static inline unsigned long find_first_bit(const unsigned long *addr,
					   unsigned long size)
{
	return find_next_bit(addr, size, 0);
}

#define for_each_set_bit(bit, addr, size)                        \
	for ((bit) = find_first_bit(addr, size); (bit) < (size); \
	     (bit) = find_next_bit(addr, size, (bit) + 1))

static inline unsigned int bitmap_weight(const unsigned long *addr,
					 unsigned long bits)
{
	unsigned int w = 0;

	for (unsigned long i = 0; i < BITS_TO_LONGS(bits); i++) {
		unsigned long word = addr[i];

		if ((i + 1) * BITS_PER_LONG > bits && bits % BITS_PER_LONG)
			word &= BIT_MASK(bits) - 1;
		w += (unsigned int)__builtin_popcountl(word);
	}
	return w;
}

#endif
