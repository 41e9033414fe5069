/* Parsing of outside input (CLI options, sysctl values): sizes with units
 * and bounded integers. Every failure fills an error message that names
 * what was wrong; nothing here prints or exits. */
#ifndef MMSIM_BASE_PARSE_H
#define MMSIM_BASE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "512M", "1G", "4096", "64k": K, M, G, T suffixes (powers of 1024, any
 * case, optional "iB"/"B"), like Linux's memparse(). */
bool parse_size(const char *s, uint64_t *out, char *err, size_t errlen);
/* A decimal integer (optionally negative) within [lo, hi]. */
bool parse_long(const char *s, long lo, long hi, long *out, char *err,
		size_t errlen);

/* A duration with its unit: "100ns", "20us", "10ms", "1.5s". */
bool parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen);

#endif
