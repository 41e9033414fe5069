/* `mmsim vmtest` scripts: one command per line, '#' comments, arguments
 * that are expressions ($1+8K, 0x7f0000000000, 16M), flag sets in
 * strace's names (PROT_READ|PROT_WRITE, or rw-), quoted strings with C
 * escapes and /proc paths; and the names strace prints for flags,
 * errnos, signals and si_codes. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/kernel.h"
#include "cli/vmtest.h"

/* ---- names -------------------------------------------------------------- */

struct vt_name {
	const char *name;
	unsigned long value;
};

static const struct vt_name prot_names[] = {
	{ "PROT_READ", 0x1 },
	{ "PROT_WRITE", 0x2 },
	{ "PROT_EXEC", 0x4 },
	{ "PROT_SEM", 0x8 },
	{ "PROT_GROWSDOWN", 0x01000000 },
	{ "PROT_GROWSUP", 0x02000000 },
	{ "PROT_NONE", 0x0 },
};

/* The mapping type (the low four bits), then the flag bits. */
static const struct vt_name map_type_names[] = {
	{ "MAP_SHARED", 0x1 },
	{ "MAP_PRIVATE", 0x2 },
	{ "MAP_SHARED_VALIDATE", 0x3 },
};

static const struct vt_name map_names[] = {
	{ "MAP_FIXED", 0x10 },
	{ "MAP_ANONYMOUS", 0x20 },
	{ "MAP_32BIT", 0x40 },
	{ "MAP_GROWSDOWN", 0x100 },
	{ "MAP_DENYWRITE", 0x800 },
	{ "MAP_EXECUTABLE", 0x1000 },
	{ "MAP_LOCKED", 0x2000 },
	{ "MAP_NORESERVE", 0x4000 },
	{ "MAP_POPULATE", 0x8000 },
	{ "MAP_NONBLOCK", 0x10000 },
	{ "MAP_STACK", 0x20000 },
	{ "MAP_HUGETLB", 0x40000 },
	{ "MAP_SYNC", 0x80000 },
	{ "MAP_FIXED_NOREPLACE", 0x100000 },
	{ "MAP_UNINITIALIZED", 0x4000000 },
	{ "MAP_ANON", 0x20 },
};

static const struct vt_name mremap_names[] = {
	{ "MREMAP_MAYMOVE", 0x1 },
	{ "MREMAP_FIXED", 0x2 },
	{ "MREMAP_DONTUNMAP", 0x4 },
};

static const struct vt_name madv_names[] = {
	{ "MADV_NORMAL", 0 },	       { "MADV_RANDOM", 1 },
	{ "MADV_SEQUENTIAL", 2 },      { "MADV_WILLNEED", 3 },
	{ "MADV_DONTNEED", 4 },	       { "MADV_FREE", 8 },
	{ "MADV_REMOVE", 9 },	       { "MADV_DONTFORK", 10 },
	{ "MADV_DOFORK", 11 },	       { "MADV_MERGEABLE", 12 },
	{ "MADV_UNMERGEABLE", 13 },    { "MADV_HUGEPAGE", 14 },
	{ "MADV_NOHUGEPAGE", 15 },     { "MADV_DONTDUMP", 16 },
	{ "MADV_DODUMP", 17 },	       { "MADV_WIPEONFORK", 18 },
	{ "MADV_KEEPONFORK", 19 },     { "MADV_COLD", 20 },
	{ "MADV_PAGEOUT", 21 },	       { "MADV_POPULATE_READ", 22 },
	{ "MADV_POPULATE_WRITE", 23 }, { "MADV_DONTNEED_LOCKED", 24 },
	{ "MADV_COLLAPSE", 25 },       { "MADV_HWPOISON", 100 },
	{ "MADV_SOFT_OFFLINE", 101 },  { "MADV_GUARD_INSTALL", 102 },
	{ "MADV_GUARD_REMOVE", 103 },
};

static const struct vt_name mcl_names[] = {
	{ "MCL_CURRENT", 0x1 },
	{ "MCL_FUTURE", 0x2 },
	{ "MCL_ONFAULT", 0x4 },
};

static const struct vt_name mlock_names[] = {
	{ "MLOCK_ONFAULT", 0x1 },
};

static const struct vt_name clone_names[] = {
	{ "CLONE_VM", 0x100 },
	{ "CLONE_FS", 0x200 },
	{ "CLONE_FILES", 0x400 },
	{ "CLONE_SIGHAND", 0x800 },
	{ "CLONE_PIDFD", 0x1000 },
	{ "CLONE_PTRACE", 0x2000 },
	{ "CLONE_VFORK", 0x4000 },
	{ "CLONE_PARENT", 0x8000 },
	{ "CLONE_THREAD", 0x10000 },
	{ "CLONE_NEWNS", 0x20000 },
	{ "CLONE_SYSVSEM", 0x40000 },
	{ "CLONE_SETTLS", 0x80000 },
	{ "CLONE_PARENT_SETTID", 0x100000 },
	{ "CLONE_CHILD_CLEARTID", 0x200000 },
	{ "CLONE_DETACHED", 0x400000 },
	{ "CLONE_UNTRACED", 0x800000 },
	{ "CLONE_CHILD_SETTID", 0x1000000 },
	{ "CLONE_NEWCGROUP", 0x2000000 },
	{ "CLONE_NEWUTS", 0x4000000 },
	{ "CLONE_NEWIPC", 0x8000000 },
	{ "CLONE_NEWUSER", 0x10000000 },
	{ "CLONE_NEWPID", 0x20000000 },
	{ "CLONE_NEWNET", 0x40000000 },
	{ "CLONE_IO", 0x80000000 },
};

/* Linux's x86 signal numbers, 1..31. */
static const char *const signal_names[32] = {
	[1] = "SIGHUP",	    [2] = "SIGINT",	[3] = "SIGQUIT",
	[4] = "SIGILL",	    [5] = "SIGTRAP",	[6] = "SIGABRT",
	[7] = "SIGBUS",	    [8] = "SIGFPE",	[9] = "SIGKILL",
	[10] = "SIGUSR1",   [11] = "SIGSEGV",	[12] = "SIGUSR2",
	[13] = "SIGPIPE",   [14] = "SIGALRM",	[15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD",	[18] = "SIGCONT",
	[19] = "SIGSTOP",   [20] = "SIGTSTP",	[21] = "SIGTTIN",
	[22] = "SIGTTOU",   [23] = "SIGURG",	[24] = "SIGXCPU",
	[25] = "SIGXFSZ",   [26] = "SIGVTALRM", [27] = "SIGPROF",
	[28] = "SIGWINCH",  [29] = "SIGIO",	[30] = "SIGPWR",
	[31] = "SIGSYS",
};

const char *vt_signame(int sig)
{
	return sig > 0 && sig < 32 ? signal_names[sig] : NULL;
}

const char *vt_si_code_name(int sig, int code)
{
	if (code == SI_KERNEL)
		return "SI_KERNEL";
	if (sig == SIGSEGV && code == SEGV_MAPERR)
		return "SEGV_MAPERR";
	if (sig == SIGSEGV && code == SEGV_ACCERR)
		return "SEGV_ACCERR";
	if (sig == SIGSEGV && code == SEGV_PKUERR)
		return "SEGV_PKUERR";
	if (sig == SIGBUS && code == BUS_ADRALN)
		return "BUS_ADRALN";
	if (sig == SIGBUS && code == BUS_ADRERR)
		return "BUS_ADRERR";
	if (sig == SIGBUS && code == BUS_OBJERR)
		return "BUS_OBJERR";
	return NULL;
}

static const struct vt_name errno_names[] = {
	{ "EPERM", EPERM },
	{ "ENOENT", ENOENT },
	{ "ESRCH", ESRCH },
	{ "EINTR", EINTR },
	{ "EIO", EIO },
	{ "ENXIO", ENXIO },
	{ "E2BIG", E2BIG },
	{ "ENOEXEC", ENOEXEC },
	{ "EBADF", EBADF },
	{ "ECHILD", ECHILD },
	{ "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM },
	{ "EACCES", EACCES },
	{ "EFAULT", EFAULT },
	{ "EBUSY", EBUSY },
	{ "EEXIST", EEXIST },
	{ "ENODEV", ENODEV },
	{ "EINVAL", EINVAL },
	{ "ENFILE", ENFILE },
	{ "EMFILE", EMFILE },
	{ "EFBIG", EFBIG },
	{ "ENOSPC", ENOSPC },
	{ "ERANGE", ERANGE },
	{ "ENOSYS", ENOSYS },
	{ "EOVERFLOW", EOVERFLOW },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "EHWPOISON", EHWPOISON },
};

void vt_print_errno(FILE *f, int e)
{
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if ((int)errno_names[i].value == e) {
			fprintf(f, "%s (%s)", errno_names[i].name, strerror(e));
			return;
		}
	fprintf(f, "E%d (%s)", e, strerror(e));
}

struct vt_names {
	const struct vt_name *names;
	size_t n;
	const char *prefix; /* that a name may leave out */
};

static struct vt_names names_of(enum vt_kind kind)
{
#define NAMES(t, p) ((struct vt_names){ t, ARRAY_SIZE(t), p })
	switch (kind) {
	case VT_PROT:
		return NAMES(prot_names, "PROT_");
	case VT_MAP:
		return NAMES(map_names, "MAP_");
	case VT_MREMAP:
		return NAMES(mremap_names, "MREMAP_");
	case VT_MADV:
		return NAMES(madv_names, "MADV_");
	case VT_MCL:
		return NAMES(mcl_names, "MCL_");
	case VT_MLOCK:
		return NAMES(mlock_names, "MLOCK_");
	case VT_CLONE:
		return NAMES(clone_names, "CLONE_");
	default:
		return (struct vt_names){ NULL, 0, "" };
	}
#undef NAMES
}

/* ---- printing flags as strace does ------------------------------------------ */

/* Prints the names of the bits of v in table order; returns the bits no
 * name covers. */
static unsigned long print_bits(FILE *f, const struct vt_names *t,
				unsigned long v, bool *first)
{
	for (size_t i = 0; i < t->n; i++) {
		unsigned long bit = t->names[i].value;

		if (!bit || (v & bit) != bit)
			continue;
		fprintf(f, "%s%s", *first ? "" : "|", t->names[i].name);
		*first = false;
		v &= ~bit;
	}
	return v;
}

static void print_rest(FILE *f, unsigned long rest, bool first)
{
	if (rest)
		fprintf(f, "%s%#lx", first ? "" : "|", rest);
	else if (first)
		fputc('0', f);
}

static void print_value_name(FILE *f, const struct vt_names *t, unsigned long v)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->names[i].value == v) {
			fputs(t->names[i].name, f);
			return;
		}
	fprintf(f, "%ld", (long)v);
}

static void print_map_flags(FILE *f, unsigned long v)
{
	struct vt_names types = { map_type_names, ARRAY_SIZE(map_type_names),
				  "MAP_" };
	struct vt_names bits = names_of(VT_MAP);
	bool first = true;

	unsigned long rest;

	for (size_t i = 0; i < types.n; i++)
		if ((v & 0xf) == types.names[i].value) {
			fputs(types.names[i].name, f);
			first = false;
			v &= ~0xfUL;
		}
	rest = print_bits(f, &bits, v, &first);
	print_rest(f, rest, first);
}

void vt_print_flags(FILE *f, enum vt_kind kind, unsigned long v)
{
	struct vt_names t = names_of(kind);
	bool first = true;
	unsigned long rest;

	if (kind == VT_MAP) {
		print_map_flags(f, v);
	} else if (kind == VT_MADV) {
		print_value_name(f, &t, v);
	} else if (kind == VT_PROT && !v) {
		fputs("PROT_NONE", f);
	} else if (kind == VT_CLONE) {
		rest = print_bits(f, &t, v & ~0xffUL, &first);
		if (vt_signame((int)(v & 0xff))) {
			fprintf(f, "%s%s", first ? "" : "|",
				vt_signame((int)(v & 0xff)));
			first = false;
		} else {
			rest |= v & 0xff;
		}
		print_rest(f, rest, first);
	} else {
		rest = print_bits(f, &t, v, &first);
		print_rest(f, rest, first);
	}
}

/* ---- reporting mistakes --------------------------------------------------------- */

struct parser {
	const char *prefix, *file;
	int line;
	int errors;
	int nresults; /* results numbered so far */
};

__printf(2, 3) static bool parse_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: %s:%d: ", p->prefix, p->file, p->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	p->errors++;
	return false;
}

/* ---- numbers and expressions ----------------------------------------------- */

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' :
					   tolower((unsigned char)c) - 'a' + 10;
}

enum literal { LIT_OK, LIT_NOT_NUMBER, LIT_TOO_LARGE };

/* A literal: 0x hex or decimal, then an optional K, M, G or T. */
static enum literal scan_literal(const char *s, size_t len, unsigned long *out)
{
	static const char units[] = "KMGT";
	unsigned long v = 0;
	unsigned base = 10, shift = 0;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len || !isxdigit((unsigned char)s[i]))
		return LIT_NOT_NUMBER;
	for (; i < len && isxdigit((unsigned char)s[i]); i++) {
		unsigned d = (unsigned)hexval(s[i]);

		if (d >= base)
			break;
		if (__builtin_mul_overflow(v, base, &v) ||
		    __builtin_add_overflow(v, d, &v))
			return LIT_TOO_LARGE;
	}
	if (i + 1 == len && s[i] &&
	    strchr(units, toupper((unsigned char)s[i]))) {
		shift = 10 *
			(unsigned)(strchr(units, toupper((unsigned char)s[i])) -
				   units + 1);
		i++;
	}
	if (i != len)
		return LIT_NOT_NUMBER;
	if (shift && v > (ULONG_MAX >> shift))
		return LIT_TOO_LARGE;
	*out = v << shift;
	return LIT_OK;
}

static bool parse_literal(struct parser *p, const char *s, size_t len,
			  unsigned long *out)
{
	switch (scan_literal(s, len, out)) {
	case LIT_OK:
		return true;
	case LIT_TOO_LARGE:
		return parse_error(p, "'%.*s' is too large", (int)len, s);
	default:
		return parse_error(
			p,
			"'%.*s' is not a number (0x hex or decimal, with an optional K, M, G or T)",
			(int)len, s);
	}
}

/* $N or $last. */
static bool parse_ref(struct parser *p, const char *s, size_t len, int *ref)
{
	unsigned long n;

	if (len == 5 && !strncmp(s, "$last", 5)) {
		if (!p->nresults)
			return parse_error(
				p,
				"$last: no system call has returned a value yet");
		*ref = p->nresults;
		return true;
	}
	if (len < 2 || !isdigit((unsigned char)s[1]))
		return parse_error(p, "'%.*s': expected $N (N from 1) or $last",
				   (int)len, s);
	for (size_t i = 1; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return parse_error(p, "'%.*s': expected $N or $last",
					   (int)len, s);
	n = strtoul(s + 1, NULL, 10);
	if (n < 1)
		return parse_error(p, "'%.*s': results count from $1", (int)len,
				   s);
	if (n > (unsigned long)p->nresults)
		return parse_error(
			p,
			"'%.*s': there %s only %d system call%s before this line",
			(int)len, s, p->nresults == 1 ? "is" : "are",
			p->nresults, p->nresults == 1 ? "" : "s");
	*ref = (int)n;
	return true;
}

static bool parse_term(struct parser *p, const char *s, size_t len,
		       struct vt_term *t)
{
	t->ref = 0;
	t->value = 0;
	if (len == 4 && !strncmp(s, "NULL", 4))
		return true;
	if (s[0] == '$')
		return parse_ref(p, s, len, &t->ref);
	return parse_literal(p, s, len, &t->value);
}

/* [+-]TERM{(+|-)TERM}, e.g. $1+8K, -1, 0x400000. */
static bool parse_expr(struct parser *p, const char *s, struct vt_arg *a)
{
	char op = '+';

	a->nterms = 0;
	if (*s == '+' || *s == '-')
		op = *s++;
	for (;;) {
		size_t len = strcspn(s, "+-");

		if (!len)
			return parse_error(p, "missing value in an expression");
		if (a->nterms == VT_MAX_TERMS)
			return parse_error(
				p, "more than %d terms in an expression",
				VT_MAX_TERMS);
		a->terms[a->nterms].op = op;
		if (!parse_term(p, s, len, &a->terms[a->nterms++]))
			return false;
		s += len;
		if (!*s)
			return true;
		op = *s++;
	}
}

/* ---- flags ---------------------------------------------------------------------- */

static bool name_matches(const char *word, size_t len, const char *name,
			 const char *prefix)
{
	size_t plen = strlen(prefix);

	if (strlen(name) == len && !strncasecmp(word, name, len))
		return true;
	return strlen(name) - plen == len && !strncasecmp(name, prefix, plen) &&
	       !strncasecmp(word, name + plen, len);
}

static bool lookup_name(const struct vt_names *t, const char *w, size_t len,
			unsigned long *v)
{
	for (size_t i = 0; i < t->n; i++)
		if (name_matches(w, len, t->names[i].name, t->prefix)) {
			*v = t->names[i].value;
			return true;
		}
	return false;
}

/* One word of a flag set: a name of kind, a number, or (clone) the
 * exit signal's name. */
static bool parse_flag_word(struct parser *p, enum vt_kind kind, const char *w,
			    size_t len, unsigned long *v)
{
	struct vt_names t = names_of(kind);
	struct vt_names types = { map_type_names, ARRAY_SIZE(map_type_names),
				  "MAP_" };

	if (lookup_name(&t, w, len, v) ||
	    (kind == VT_MAP && lookup_name(&types, w, len, v)))
		return true;
	if (kind == VT_CLONE)
		for (int s = 1; s < 32; s++)
			if (strlen(signal_names[s]) == len &&
			    !strncasecmp(w, signal_names[s], len)) {
				*v = (unsigned long)s;
				return true;
			}
	if (scan_literal(w, len, v) == LIT_OK)
		return true;
	return parse_error(p, "'%.*s' is not a %s* flag or a number", (int)len,
			   w, t.prefix);
}

/* rw-, r-x, ---: a protection in maps' letters. */
static bool parse_prot_letters(const char *s, unsigned long *v)
{
	if (strlen(s) != 3 || (s[0] != 'r' && s[0] != '-') ||
	    (s[1] != 'w' && s[1] != '-') || (s[2] != 'x' && s[2] != '-'))
		return false;
	*v = (s[0] == 'r' ? 0x1UL : 0) | (s[1] == 'w' ? 0x2UL : 0) |
	     (s[2] == 'x' ? 0x4UL : 0);
	return true;
}

static bool parse_flags(struct parser *p, enum vt_kind kind, const char *s,
			unsigned long *out)
{
	*out = 0;
	if (kind == VT_PROT && parse_prot_letters(s, out))
		return true;
	if (kind == VT_MADV && strchr(s, '|'))
		return parse_error(p, "'%s': one MADV_ value, not a set", s);
	for (;;) {
		size_t len = strcspn(s, "|");
		unsigned long v;

		if (!len)
			return parse_error(p, "empty flag name in '%s'", s);
		if (!parse_flag_word(p, kind, s, len, &v))
			return false;
		*out |= v;
		s += len;
		if (!*s)
			return true;
		s++;
	}
}

/* ---- strings --------------------------------------------------------------------- */

/* Unescapes the quoted string at s (after the opening quote) in place;
 * returns the end (after the closing quote), or NULL on a mistake. */
static char *unquote(struct parser *p, char *s, size_t *len)
{
	char *start = s, *out = s;

	for (;;) {
		char c = *s++;

		if (!c || c == '\n') {
			parse_error(p, "unterminated string (missing \")");
			return NULL;
		}
		if (c == '"')
			break;
		if (c == '\\') {
			c = *s++;
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case '0':
				c = '\0';
				break;
			case '\\':
			case '"':
				break;
			case 'x':
				if (!isxdigit((unsigned char)s[0]) ||
				    !isxdigit((unsigned char)s[1])) {
					parse_error(p,
						    "\\x needs two hex digits");
					return NULL;
				}
				c = (char)(hexval(s[0]) * 16 + hexval(s[1]));
				s += 2;
				break;
			default:
				parse_error(
					p,
					"unknown escape '\\%c' (accepted: \\n \\t \\r \\0 \\\\ \\\" \\xHH)",
					c ? c : '0');
				return NULL;
			}
		}
		*out++ = c;
	}
	*len = (size_t)(out - start);
	return s;
}

/* ---- lines ----------------------------------------------------------------------- */

struct token {
	char *s;
	size_t len;
	bool quoted;
};

#define MAX_TOKENS (VT_MAX_ARGS + 2)

/* Splits a line (NUL-terminated) into tokens up to a '#' comment;
 * returns their number, or -1 after a mistake. */
static int tokenize(struct parser *p, char *s, struct token *tok)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			return n;
		if (n == MAX_TOKENS) {
			parse_error(p, "too many arguments");
			return -1;
		}
		tok[n].quoted = *s == '"';
		if (tok[n].quoted) {
			tok[n].s = s + 1;
			s = unquote(p, s + 1, &tok[n].len);
			if (!s)
				return -1;
			if (*s && *s != ' ' && *s != '\t' && *s != '\r') {
				parse_error(
					p,
					"expected a space after the closing \"");
				return -1;
			}
		} else {
			tok[n].s = s;
			s += strcspn(s, " \t\r");
			tok[n].len = (size_t)(s - tok[n].s);
		}
		if (*s)
			s++; /* the separator, overwritten next */
		tok[n].s[tok[n].len] = '\0';
		n++;
	}
}

static bool parse_arg(struct parser *p, const struct token *t, struct vt_arg *a)
{
	if (a->kind != VT_STRING && t->quoted)
		return parse_error(p, "a quoted string where a %s was expected",
				   a->kind == VT_PATH ? "path" : "value");
	switch (a->kind) {
	case VT_NUM:
		return parse_expr(p, t->s, a);
	case VT_ACCESS:
		if (!strcmp(t->s, "r") || !strcmp(t->s, "read"))
			a->flags = 0;
		else if (!strcmp(t->s, "w") || !strcmp(t->s, "write"))
			a->flags = 1;
		else
			return parse_error(p, "'%s': expected r or w", t->s);
		return true;
	case VT_STRING:
	case VT_PATH:
		if (a->kind == VT_PATH && t->s[0] != '/')
			return parse_error(
				p,
				"'%s': expected an absolute path such as /proc/self/maps",
				t->s);
		a->str = malloc(t->len + 1);
		if (!a->str)
			return parse_error(p, "out of host memory");
		memcpy(a->str, t->s, t->len);
		a->str[t->len] = '\0';
		a->len = t->len;
		return true;
	default:
		return parse_flags(p, a->kind, t->s, &a->flags);
	}
}

/* One line into c: true when it holds a command. */
static bool parse_line(struct parser *p, char *line, struct vt_cmd *c)
{
	struct token tok[MAX_TOKENS];
	int n = tokenize(p, line, tok);
	const struct vt_op *op;
	bool ok = true;

	if (n <= 0)
		return false;
	op = tok[0].quoted ? NULL : vt_find_op(tok[0].s);
	if (!op) {
		parse_error(p,
			    "unknown command '%s' (try 'mmsim vmtest --help')",
			    tok[0].s);
		return false;
	}
	if (n - 1 < op->min_args || n - 1 > op->max_args) {
		parse_error(p, "%s: expected %s", op->name,
			    *op->usage ? op->usage : "no arguments");
		return false;
	}
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->line = p->line;
	c->nargs = n - 1;
	for (int i = 0; i < c->nargs; i++) {
		c->args[i].kind = op->kinds[i];
		ok = parse_arg(p, &tok[i + 1], &c->args[i]) && ok;
	}
	if (op->result)
		c->result = ++p->nresults;
	return true;
}

void vt_free_cmds(struct vt_cmd *cmds, int ncmds)
{
	for (int i = 0; i < ncmds; i++)
		for (int j = 0; j < cmds[i].nargs; j++)
			free(cmds[i].args[j].str);
	free(cmds);
}

int vt_parse(const char *prefix, const char *file, char *text,
	     struct vt_cmd **cmds, int *ncmds)
{
	struct parser p = { prefix, file, 0, 0, 0 };
	int cap = 0;

	*cmds = NULL;
	*ncmds = 0;
	while (text) {
		char *nl = strchr(text, '\n');

		if (nl)
			*nl = '\0';
		p.line++;
		if (*ncmds == cap) {
			struct vt_cmd *more;

			cap = cap ? 2 * cap : 64;
			more = realloc(*cmds, (size_t)cap * sizeof(**cmds));
			if (!more) {
				parse_error(&p, "out of host memory");
				break;
			}
			*cmds = more;
		}
		if (parse_line(&p, text, &(*cmds)[*ncmds]))
			(*ncmds)++;
		text = nl ? nl + 1 : NULL;
	}
	return p.errors;
}
