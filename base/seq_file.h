/* A growable text buffer with Linux's seq_file printing API (seq_printf,
 * seq_puts, seq_putc). /proc files and the kernel log are built in it.
 * It lives in host memory: reading /proc must not disturb the machine. */
#ifndef MMSIM_BASE_SEQ_FILE_H
#define MMSIM_BASE_SEQ_FILE_H

#include <stdarg.h>
#include <stddef.h>

#include "base/kernel.h"

struct seq_file {
	char *buf;
	size_t count; /* bytes used, excluding the terminating NUL */
	size_t size; /* bytes allocated */
};

void seq_init(struct seq_file *m);
void seq_release(struct seq_file *m);
void seq_reset(struct seq_file *m);
void seq_putc(struct seq_file *m, char c);
void seq_puts(struct seq_file *m, const char *s);
void seq_write(struct seq_file *m, const char *s, size_t len);
__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap);
/* Returns the text (never NULL; "" when empty). */
const char *seq_text(const struct seq_file *m);
/* A bitmap of nbits bits as Linux's %*pb ("ff,ffffffff") and %*pbl
 * ("0-2,5") print it. */
void seq_bitmap(struct seq_file *m, const unsigned long *bits, unsigned nbits);
void seq_bitmap_list(struct seq_file *m, const unsigned long *bits,
		     unsigned nbits);

#endif
