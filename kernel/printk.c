/* The kernel log: printk with virtual-time stamps, and BUG/WARN reports
 * in Linux's wording. Reports never stop mmsim; they taint the machine. */
#include "kernel/printk.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/machine.h"

static void log_stamp(struct machine *m)
{
	uint64_t us = m->clock_ns / 1000;

	seq_printf(&m->log, "[%5llu.%06llu] ",
		   (unsigned long long)(us / 1000000),
		   (unsigned long long)(us % 1000000));
}

/* Appends text, stamping the start of every line. */
static void log_append(struct machine *m, const char *text)
{
	size_t start = m->log.count;

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) + 1 : strlen(text);

		if (!m->log_line_open)
			log_stamp(m);
		seq_write(&m->log, text, len);
		m->log_line_open = !nl;
		text += len;
	}
	if (m->console)
		fputs(m->log.buf + start, m->console);
}

void vprintk(const char *fmt, va_list ap)
{
	struct seq_file msg;
	const char *text;

	if (!M)
		return;
	seq_init(&msg);
	seq_vprintf(&msg, fmt, ap);
	text = seq_text(&msg);
	if (text[0] == '\001' && text[1]) /* KERN_<LEVEL> prefix */
		text += 2;
	log_append(M, text);
	seq_release(&msg);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void add_taint(unsigned flag)
{
	M->taint |= 1UL << flag;
}

const char *print_tainted(void)
{
	static _Thread_local char buf[32];
	static const struct {
		unsigned bit;
		char c;
	} letters[] = { { TAINT_BAD_PAGE, 'B' },
			{ TAINT_DIE, 'D' },
			{ TAINT_WARN, 'W' } };
	size_t n;

	if (!M->taint)
		return "Not tainted";
	n = (size_t)snprintf(buf, sizeof(buf), "Tainted: G");
	for (size_t i = 0; i < ARRAY_SIZE(letters); i++)
		if (M->taint & (1UL << letters[i].bit)) {
			buf[n++] = ' ';
			buf[n++] = letters[i].c;
		}
	buf[n] = '\0';
	return buf;
}

void print_cpu_line(void)
{
	printk("CPU: %d UID: 0 PID: %d Comm: %s %s 6.16.0-mmsim\n",
	       smp_processor_id(), current_pid(), current_comm(),
	       print_tainted());
}

static const char *basename_of(const char *file)
{
	const char *mm = strstr(file, "mm/");
	const char *k = strstr(file, "kernel/");

	if (mm && (!k || mm > k))
		return mm;
	return k ? k : file;
}

bool __warn_printf(const char *file, int line, const char *func,
		   const char *fmt, ...)
{
	va_list ap;

	printk(KERN_WARNING "------------[ cut here ]------------\n");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	if (M->log_line_open) /* a message without its newline gets one */
		pr_cont("\n");
	printk(KERN_WARNING "WARNING: CPU: %d PID: %d at %s:%d %s\n",
	       smp_processor_id(), current_pid(), basename_of(file), line,
	       func);
	print_cpu_line();
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
	add_taint(TAINT_WARN);
	M->nr_warns++;
	return true;
}

void __bug_report(const char *file, int line, const char *func)
{
	printk(KERN_EMERG "------------[ cut here ]------------\n");
	printk(KERN_EMERG "kernel BUG at %s:%d!\n", basename_of(file), line);
	printk(KERN_EMERG "Oops: invalid opcode: 0000 [#%u] PREEMPT SMP NOPTI\n",
	       M->nr_bugs + 1);
	print_cpu_line();
	printk(KERN_EMERG "RIP: 0010:%s\n", func);
	printk(KERN_EMERG "---[ end trace 0000000000000000 ]---\n");
	add_taint(TAINT_DIE);
	M->nr_bugs++;
}

bool __printk_ratelimit(unsigned long *boot, uint64_t *begin, int *printed)
{
	const uint64_t interval = 5000000000ULL; /* DEFAULT_RATELIMIT_INTERVAL */

	if (*boot != machine_boot_id() || M->clock_ns - *begin >= interval) {
		*boot = machine_boot_id();
		*begin = M->clock_ns;
		*printed = 0;
	}
	return (*printed)++ < 10; /* DEFAULT_RATELIMIT_BURST */
}
