/* The cost model: how much virtual time each hardware and kernel action
 * takes. A machine boots with the defaults of docs/cost-model.md; `-o
 * mmsim.cost.NAME=NS` overrides one (machine_config_set "cost.NAME").
 * cost_charge() adds an action's cost to the CPU work of the running
 * task, as system time (cost_charge_user_n() as user time); the event engine turns that work into elapsed
 * virtual time when the task runs (kernel/sched/run.h). */
#ifndef MMSIM_KERNEL_COST_H
#define MMSIM_KERNEL_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cost_item {
	COST_TLB_HIT, /* a memory access the TLB translates */
	COST_WALK_STEP, /* one page-table level read by a walk */
	COST_FAULT_ENTRY, /* exception entry to the fault handler */
	COST_FAULT_EXIT, /* return from the fault to the program */
	COST_ZERO_PAGE, /* clear_page() of 4 KiB */
	COST_COPY_PAGE, /* copy_page() of 4 KiB */
	COST_SYSCALL, /* system-call entry and exit */
	COST_CONTEXT_SWITCH, /* __schedule() switching tasks */
	NR_COST_ITEMS
};

struct cost_model {
	uint64_t ns[NR_COST_ITEMS];
};

/* The option name of an item ("tlb_hit", "walk_step", ...). */
const char *cost_item_name(enum cost_item item);
void cost_model_default(struct cost_model *c);
/* Sets the item called name (without "cost.") from a decimal number of
 * ns, 0..1000000000. Returns false with err naming the option and the
 * accepted names or range. */
bool cost_model_set(struct cost_model *c, const char *name, const char *value,
		    char *err, size_t errlen);

/* The cost of item on the active machine. */
uint64_t cost_ns(enum cost_item item);
/* Charges item's cost to current as CPU work in the kernel (nothing for
 * an idle task). */
void cost_charge(enum cost_item item);
/* Charges n times item's cost at once. */
void cost_charge_n(enum cost_item item, uint64_t n);
/* Charges n times item's cost to current as CPU work in user mode: what
 * the hardware does on the program's behalf (TLB lookups, page walks),
 * as compute() would ask for it. */
void cost_charge_user_n(enum cost_item item, uint64_t n);

#endif
