/* Parsing of sizes and bounded integers from outside input. */
#include "base/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool parse_size(const char *s, uint64_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (!s || !isdigit((unsigned char)*s)) {
		snprintf(err, errlen,
			 "'%s' is not a size (expected e.g. 512M, 1G)",
			 s ? s : "");
		return false;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE) {
		snprintf(err, errlen, "'%s' is too large", s);
		return false;
	}
	switch (toupper((unsigned char)*end)) {
	case 'K':
		shift = 10;
		end++;
		break;
	case 'M':
		shift = 20;
		end++;
		break;
	case 'G':
		shift = 30;
		end++;
		break;
	case 'T':
		shift = 40;
		end++;
		break;
	default:
		break;
	}
	if (shift && (!strcmp(end, "iB") || !strcmp(end, "ib")))
		end += 2;
	else if (shift && (*end == 'B' || *end == 'b'))
		end++;
	if (*end != '\0') {
		snprintf(
			err, errlen,
			"'%s' is not a size (unknown unit '%s'; use K, M, G or T)",
			s, end);
		return false;
	}
	if (shift && v > (UINT64_MAX >> shift)) {
		snprintf(err, errlen, "'%s' is too large", s);
		return false;
	}
	*out = (uint64_t)v << shift;
	return true;
}

bool parse_long(const char *s, long lo, long hi, long *out, char *err,
		size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = s ? strtol(s, &end, 10) : 0;
	if (!s || end == s || *end != '\0' || errno == ERANGE) {
		snprintf(err, errlen, "'%s' is not an integer", s ? s : "");
		return false;
	}
	if (v < lo || v > hi) {
		snprintf(err, errlen,
			 "%ld is out of range (accepted: %ld..%ld)", v, lo, hi);
		return false;
	}
	*out = v;
	return true;
}

bool parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = { { "ns", 1 },  { "us", 1e3 },   { "ms", 1e6 },
		      { "s", 1e9 }, { "min", 60e9 }, { "h", 3600e9 } };
	char *end;
	double v;

	if (s && isdigit((unsigned char)*s)) {
		v = strtod(s, &end);
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(end, units[i].unit) &&
			    v * units[i].ns < 1.8e19) {
				*ns = (uint64_t)(v * units[i].ns);
				return true;
			}
	}
	snprintf(
		err, errlen,
		"'%s' is not a duration (expected e.g. 10ms, 1.5s, 2h; units ns, us, ms, s, min, h)",
		s ? s : "");
	return false;
}
