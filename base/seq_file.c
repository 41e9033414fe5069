/* Growable text buffer behind /proc files and the kernel log. */
#include "base/seq_file.h"

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
