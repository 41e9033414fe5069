/* The cost model's table: names, defaults (docs/cost-model.md), the
 * "cost.NAME" machine option, and charging a cost to the running task
 * as CPU work in the kernel or in user mode. */
#include "kernel/cost.h"

#include <stdio.h>
#include <string.h>

#include "base/parse.h"
#include "kernel/sched.h"

static const char *const cost_names[NR_COST_ITEMS] = {
	[COST_TLB_HIT] = "tlb_hit",
	[COST_WALK_STEP] = "walk_step",
	[COST_FAULT_ENTRY] = "fault_entry",
	[COST_FAULT_EXIT] = "fault_exit",
	[COST_ZERO_PAGE] = "zero_page",
	[COST_COPY_PAGE] = "copy_page",
	[COST_SYSCALL] = "syscall",
	[COST_CONTEXT_SWITCH] = "context_switch",
};

/* Nanoseconds on a current x86-64 server core (see docs/cost-model.md). */
static const uint64_t cost_defaults[NR_COST_ITEMS] = {
	[COST_TLB_HIT] = 1,	  [COST_WALK_STEP] = 20,
	[COST_FAULT_ENTRY] = 250, [COST_FAULT_EXIT] = 150,
	[COST_ZERO_PAGE] = 250,	  [COST_COPY_PAGE] = 500,
	[COST_SYSCALL] = 100,	  [COST_CONTEXT_SWITCH] = 1500,
};

#define COST_MAX_NS 1000000000L

const char *cost_item_name(enum cost_item item)
{
	return cost_names[item];
}

void cost_model_default(struct cost_model *c)
{
	memcpy(c->ns, cost_defaults, sizeof(c->ns));
}

static void cost_names_list(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < NR_COST_ITEMS && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", cost_names[i]);
}

bool cost_model_set(struct cost_model *c, const char *name, const char *value,
		    char *err, size_t errlen)
{
	char why[160], names[200];
	long v;

	for (int i = 0; i < NR_COST_ITEMS; i++) {
		if (strcmp(name, cost_names[i]))
			continue;
		if (!parse_long(value, 0, COST_MAX_NS, &v, why, sizeof(why))) {
			snprintf(err, errlen, "mmsim.cost.%s=%s: %s (ns)", name,
				 value, why);
			return false;
		}
		c->ns[i] = (uint64_t)v;
		return true;
	}
	cost_names_list(names, sizeof(names));
	snprintf(err, errlen, "mmsim.cost.%s: unknown cost (accepted: %s)",
		 name, names);
	return false;
}

uint64_t cost_ns(enum cost_item item)
{
	return M->cfg.cost.ns[item];
}

void cost_charge_n(enum cost_item item, uint64_t n)
{
	struct task_struct *t = current;

	if (t && !(t->flags & PF_IDLE))
		t->body.sys_ns += M->cfg.cost.ns[item] * n;
}

void cost_charge_user_n(enum cost_item item, uint64_t n)
{
	struct task_struct *t = current;

	if (t && !(t->flags & PF_IDLE))
		t->body.user_ns += M->cfg.cost.ns[item] * n;
}

void cost_charge(enum cost_item item)
{
	cost_charge_n(item, 1);
}
