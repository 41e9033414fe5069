/* Growable text buffer behind /proc files and the kernel log. */
#include "base/seq_file.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void seq_grow(struct seq_file *m, size_t need)
{
	size_t size = m->size ? m->size : 256;

	if (m->count + need + 1 <= m->size)
		return;
	while (size < m->count + need + 1)
		size *= 2;
	m->buf = realloc(m->buf, size);
	if (!m->buf) {
		fputs("mmsim: out of host memory\n", stderr);
		abort();
	}
	m->size = size;
}

void seq_init(struct seq_file *m)
{
	m->buf = NULL;
	m->count = 0;
	m->size = 0;
}

void seq_release(struct seq_file *m)
{
	free(m->buf);
	seq_init(m);
}

void seq_reset(struct seq_file *m)
{
	m->count = 0;
	if (m->buf)
		m->buf[0] = '\0';
}

void seq_write(struct seq_file *m, const char *s, size_t len)
{
	seq_grow(m, len);
	memcpy(m->buf + m->count, s, len);
	m->count += len;
	m->buf[m->count] = '\0';
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	seq_grow(m, (size_t)n);
	vsnprintf(m->buf + m->count, (size_t)n + 1, fmt, ap);
	m->count += (size_t)n;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

const char *seq_text(const struct seq_file *m)
{
	return m->buf ? m->buf : "";
}

static bool bit_set(const unsigned long *bits, unsigned b)
{
	return bits[b / (8 * sizeof(long))] >> (b % (8 * sizeof(long))) & 1;
}

/* A bitmap of nbits as %*pb prints it: 32-bit hex chunks, most
 * significant first, comma-separated, the first as wide as its bits
 * need. */
void seq_bitmap(struct seq_file *m, const unsigned long *bits, unsigned nbits)
{
	unsigned chunk = nbits % 32 ? nbits % 32 : 32;

	for (int lo = (int)((nbits + 31) / 32 * 32) - 32; lo >= 0; lo -= 32) {
		uint32_t val = 0;

		for (unsigned b = 0; b < chunk; b++)
			if (bit_set(bits, (unsigned)lo + b))
				val |= 1u << b;
		seq_printf(m, "%s%0*x", (unsigned)lo + 32 >= nbits ? "" : ",",
			   (int)((chunk + 3) / 4), val);
		chunk = 32;
	}
}

/* The list form (%*pbl): ranges of set bits, "0-2,5". */
void seq_bitmap_list(struct seq_file *m, const unsigned long *bits,
		     unsigned nbits)
{
	const char *sep = "";

	for (unsigned a = 0; a < nbits; a++) {
		unsigned b = a;

		if (!bit_set(bits, a))
			continue;
		while (b + 1 < nbits && bit_set(bits, b + 1))
			b++;
		if (b > a)
			seq_printf(m, "%s%u-%u", sep, a, b);
		else
			seq_printf(m, "%s%u", sep, a);
		sep = ",";
		a = b;
	}
}
