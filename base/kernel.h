/* Small helpers every kernel file uses: min/max, alignment, bit tricks,
 * integer square root (include/linux/kernel.h, log2.h, math.h). */
#ifndef MMSIM_BASE_KERNEL_H
#define MMSIM_BASE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The size of a member of a struct type. */
#define sizeof_field(type, member) sizeof(((type *)0)->member)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __maybe_unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define noinline __attribute__((__noinline__))
#ifndef __always_inline /* also in glibc's <sys/cdefs.h> */
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define __cold __attribute__((__cold__)) /* rarely run: kept off hot paths */

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define min_t(t, a, b) min((t)(a), (t)(b))
#define max_t(t, a, b) max((t)(a), (t)(b))
#define BITS_PER_LONG 64
#define BITS_TO_LONGS(n) DIV_ROUND_UP(n, BITS_PER_LONG)
#define ALIGN(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))

#define SZ_1K 0x400UL
#define SZ_1M 0x100000UL
#define SZ_16M 0x1000000UL
#define SZ_1G 0x40000000UL

/* Index of the most significant set bit, 1-based; fls(0) == 0. */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(uint64_t x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline int ilog2(unsigned long x)
{
	return fls64(x) - 1;
}

static inline unsigned long rounddown_pow_of_two(unsigned long x)
{
	return 1UL << ilog2(x);
}

/* x > 0 */
static inline unsigned long roundup_pow_of_two(unsigned long x)
{
	return 1UL << fls64(x - 1);
}

static inline bool is_power_of_2(unsigned long x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* Floor of the square root, as lib/math/int_sqrt.c computes it. */
static inline unsigned long int_sqrt(unsigned long x)
{
	unsigned long b, m, y = 0;

	if (x <= 1)
		return x;
	m = 1UL << (ilog2(x) & ~1);
	while (m != 0) {
		b = y + m;
		y >>= 1;
		if (x >= b) {
			x -= b;
			y += m;
		}
		m >>= 2;
	}
	return y;
}

#endif
