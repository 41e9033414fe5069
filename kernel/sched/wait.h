/* Wait queues (include/linux/wait.h, kernel/sched/wait.c): a task puts
 * an entry on a queue and sleeps; wake_up() wakes the sleepers, all the
 * non-exclusive ones and nr exclusive ones. In a task body the sleep
 * starts when the step returns (kernel/sched/run.h), so the entry must
 * live across steps: keep it in the body's state, not on the C stack. */
#ifndef MMSIM_KERNEL_SCHED_WAIT_H
#define MMSIM_KERNEL_SCHED_WAIT_H

#include <stdbool.h>

#include "base/list.h"

struct task_struct;
struct wait_queue_entry;

typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE 0x01u
#define WQ_FLAG_WOKEN 0x02u

struct wait_queue_entry {
	unsigned int flags;
	void *private; /* the task */
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	struct list_head head;
};

typedef struct wait_queue_entry wait_queue_entry_t;
typedef struct wait_queue_head wait_queue_head_t;

static inline void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	INIT_LIST_HEAD(&wq_head->head);
}

static inline bool waitqueue_active(const struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

/* Wakes the entry's task (try_to_wake_up with mode). */
int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			  int flags, void *key);
/* default_wake_function, and the entry leaves the queue if it woke. */
int autoremove_wake_function(struct wait_queue_entry *wq_entry,
			     unsigned int mode, int flags, void *key);

/* An entry for current that leaves the queue when woken (DEFINE_WAIT). */
void init_wait(struct wait_queue_entry *wq_entry);
/* An entry for p that stays on the queue until removed. */
void init_waitqueue_entry(struct wait_queue_entry *wq_entry,
			  struct task_struct *p);

void add_wait_queue(struct wait_queue_head *wq_head,
		    struct wait_queue_entry *wq_entry);
void add_wait_queue_exclusive(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *wq_entry);
void remove_wait_queue(struct wait_queue_head *wq_head,
		       struct wait_queue_entry *wq_entry);

/* Queues the entry (if it is not queued) and sets current's state. */
void prepare_to_wait(struct wait_queue_head *wq_head,
		     struct wait_queue_entry *wq_entry, unsigned int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry,
			       unsigned int state);
/* current is TASK_RUNNING again and the entry off the queue. */
void finish_wait(struct wait_queue_head *wq_head,
		 struct wait_queue_entry *wq_entry);

/* Wakes every non-exclusive waiter whose state is in mode and up to
 * nr_exclusive exclusive ones (0: all). */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode,
	       int nr_exclusive, void *key);

#define wake_up(x) __wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr) __wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x) __wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x) __wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_all(x) __wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)

#endif
