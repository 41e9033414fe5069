/* The request queue (block/blk-mq.c, reduced to one hardware queue and
 * no I/O scheduler): bios wait in FIFO order for one of the device's
 * queue_depth slots; the driver's queue_rq() says when each issued bio
 * completes; one hrtimer per disk fires at the first completion, ends
 * every bio due then, and issues the waiting ones into the freed
 * slots. */
#include "drivers/block/blk.h"
#include "kernel/time/time.h"

static enum hrtimer_restart blk_mq_timer_fn(struct hrtimer *timer);

void blk_mq_init_queue(struct request_queue *q)
{
	hrtimer_setup(&q->timer, blk_mq_timer_fn);
}

static void fifo_push(struct bio **head, struct bio **tail, struct bio *bio)
{
	bio->bi_next = NULL;
	if (*tail)
		(*tail)->bi_next = bio;
	else
		*head = bio;
	*tail = bio;
}

static struct bio *fifo_pop(struct bio **head, struct bio **tail)
{
	struct bio *bio = *head;

	*head = bio->bi_next;
	if (!*head)
		*tail = NULL;
	bio->bi_next = NULL;
	return bio;
}

/* Into the busy list by completion time, after those due at the same
 * time (the device model completes in issue order: usually the tail). */
static void busy_insert(struct request_queue *q, struct bio *bio)
{
	struct bio **link = &q->busy_head;

	if (!q->busy_tail || q->busy_tail->bi_done_ns <= bio->bi_done_ns) {
		fifo_push(&q->busy_head, &q->busy_tail, bio);
		return;
	}
	while ((*link)->bi_done_ns <= bio->bi_done_ns)
		link = &(*link)->bi_next;
	bio->bi_next = *link;
	*link = bio;
}

/* The timer follows the first bio in service. */
static void blk_mq_arm(struct request_queue *q)
{
	struct bio *first = q->busy_head;

	if (!first) {
		hrtimer_cancel(&q->timer);
		return;
	}
	if (hrtimer_is_queued(&q->timer) &&
	    q->timer.expires == first->bi_done_ns &&
	    q->timer.cpu == first->bi_cpu)
		return;
	hrtimer_start_on(&q->timer, first->bi_done_ns, first->bi_cpu);
}

/* blk_mq_end_request(): data, statistics, then the bio's owner. */
static void blk_mq_end_bio(struct request_queue *q, struct bio *bio,
			   uint64_t now)
{
	if (bio->bi_status == BLK_STS_OK && q->mq_ops->complete)
		q->mq_ops->complete(q, bio);
	blk_account_io_done(bio, now);
	bio_endio(bio);
}

/* Issues waiting bios while the device has free slots. */
static void blk_mq_run_hw_queue(struct request_queue *q)
{
	if (q->running)
		return;
	q->running = true;
	while (q->wait_head && q->nr_busy < q->queue_depth) {
		struct bio *bio = fifo_pop(&q->wait_head, &q->wait_tail);
		blk_status_t status;

		q->nr_waiting--;
		status = q->mq_ops->queue_rq(q, bio);
		if (status != BLK_STS_OK) {
			bio->bi_status = status;
			blk_mq_end_bio(q, bio, ktime_get_ns());
			continue;
		}
		busy_insert(q, bio);
		q->nr_busy++;
	}
	blk_mq_arm(q);
	q->running = false;
}

void blk_mq_submit_bio(struct bio *bio)
{
	struct request_queue *q = &bio->bi_bdev->bd_disk->queue;

	bio->bi_cpu = smp_processor_id();
	blk_account_io_start(bio);
	fifo_push(&q->wait_head, &q->wait_tail, bio);
	q->nr_waiting++;
	blk_mq_run_hw_queue(q);
}

/* The device completes what is due now; freed slots take waiting bios. */
static enum hrtimer_restart blk_mq_timer_fn(struct hrtimer *timer)
{
	struct request_queue *q =
		container_of(timer, struct request_queue, timer);
	uint64_t now = ktime_get_ns();

	q->running = true;
	while (q->busy_head && q->busy_head->bi_done_ns <= now) {
		struct bio *bio = fifo_pop(&q->busy_head, &q->busy_tail);

		q->nr_busy--;
		blk_mq_end_bio(q, bio, now);
	}
	q->running = false;
	blk_mq_run_hw_queue(q);
	return HRTIMER_NORESTART;
}
