/* The kernel log (dmesg) and Linux-style BUG/WARN reports. */
#ifndef MMSIM_KERNEL_PRINTK_H
#define MMSIM_KERNEL_PRINTK_H

#include <stdarg.h>

#include "base/kernel.h"

#define KERN_EMERG "\0010"
#define KERN_ALERT "\0011"
#define KERN_CRIT "\0012"
#define KERN_ERR "\0013"
#define KERN_WARNING "\0014"
#define KERN_NOTICE "\0015"
#define KERN_INFO "\0016"
#define KERN_DEBUG "\0017"
#define KERN_CONT "\001c"

/* Appends to the log: each line gets a "[    s.micros] " prefix from the
 * virtual clock. A message without a trailing newline is continued by
 * the next printk. */
__printf(1, 2) void printk(const char *fmt, ...);
/* printk of a va_list, for functions that take a format of their own:
 * print the line's start, vprintk the caller's message, pr_cont("\n"). */
__printf(1, 0) void vprintk(const char *fmt, va_list ap);

#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_alert(...) printk(KERN_ALERT __VA_ARGS__)
#define pr_crit(...) printk(KERN_CRIT __VA_ARGS__)
#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...) printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)
#define pr_cont(...) printk(KERN_CONT __VA_ARGS__)

/* Taint flags, as in /proc/sys/kernel/tainted. */
#define TAINT_BAD_PAGE 5 /* 'B' */
#define TAINT_WARN 9     /* 'W' */
#define TAINT_DIE 7      /* 'D' */
void add_taint(unsigned flag);
/* Linux's print_tainted(): "Not tainted", or "Tainted: G" and the letters
 * of the flags set ("Tainted: G B W"), as reports print it. */
const char *print_tainted(void);
/* The CPU line of a report (dump_stack's first line): "CPU: N UID: 0 PID: N
 * Comm: NAME <print_tainted()> 6.16.0-mmsim". */
void print_cpu_line(void);

/* A WARNING report: "------------[ cut here ]------------", the message,
 * "WARNING: CPU: N PID: N at FILE:LINE FUNC". Returns true so it can sit
 * in a condition, like Linux's WARN(). */
__printf(4, 5) bool __warn_printf(const char *file, int line, const char *func,
				  const char *fmt, ...);
#define WARN(cond, ...)                                                    \
	({                                                                 \
		bool __c = (cond);                                         \
		if (unlikely(__c))                                         \
			__warn_printf(__FILE__, __LINE__, __func__,        \
				      __VA_ARGS__);                        \
		__c;                                                       \
	})
#define WARN_ON(cond) WARN(cond, "%s", "")
/* Once per boot of a machine: the site remembers the boot it warned in. */
#define WARN_ON_ONCE(cond)                                                 \
	({                                                                 \
		static _Thread_local unsigned long __warned_boot;          \
		bool __c = (cond);                                         \
		if (unlikely(__c) && __warned_boot != machine_boot_id()) { \
			__warned_boot = machine_boot_id();                 \
			__warn_printf(__FILE__, __LINE__, __func__, "%s", ""); \
		}                                                          \
		__c;                                                       \
	})
/* pr_*_once: the first time per boot a site is reached. */
#define printk_once(...)                                                   \
	({                                                                 \
		static _Thread_local unsigned long __printed_boot;         \
		if (__printed_boot != machine_boot_id()) {                 \
			__printed_boot = machine_boot_id();                \
			printk(__VA_ARGS__);                               \
		}                                                          \
	})
#define pr_warn_once(...) printk_once(KERN_WARNING __VA_ARGS__)

/* Linux's default ratelimit: 10 messages per 5 s (of virtual time) per
 * site. */
bool __printk_ratelimit(unsigned long *boot, uint64_t *begin, int *printed);
#define printk_ratelimited(...)                                            \
	({                                                                 \
		static _Thread_local unsigned long __rl_boot;              \
		static _Thread_local uint64_t __rl_begin;                  \
		static _Thread_local int __rl_printed;                     \
		if (__printk_ratelimit(&__rl_boot, &__rl_begin,            \
				       &__rl_printed))                     \
			printk(__VA_ARGS__);                               \
	})
#define pr_warn_ratelimited(...) printk_ratelimited(KERN_WARNING __VA_ARGS__)
#define pr_info_ratelimited(...) printk_ratelimited(KERN_INFO __VA_ARGS__)

/* Linux's WARN_ON_ONCE_GFP: silent when the request says __GFP_NOWARN. */
#define WARN_ON_ONCE_GFP(cond, gfp)                                        \
	({                                                                 \
		bool __g = (cond);                                         \
		if (unlikely(__g) && !((gfp) & 0x2000u /* __GFP_NOWARN */)) \
			WARN_ON_ONCE(__g);                                 \
		__g;                                                       \
	})
/* A number unique to each boot in this process (never 0). */
unsigned long machine_boot_id(void);

/* A "kernel BUG at FILE:LINE!" report. mmsim does not stop: the caller
 * refuses the operation and the machine is tainted. */
void __bug_report(const char *file, int line, const char *func);
#define BUG_REPORT() __bug_report(__FILE__, __LINE__, __func__)

#endif
