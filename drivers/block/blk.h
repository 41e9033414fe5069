/* The block layer's own interface between its files (block/blk.h):
 * accounting (blk-core.c) and the request queue (blk-mq.c). */
#ifndef MMSIM_DRIVERS_BLOCK_BLK_H
#define MMSIM_DRIVERS_BLOCK_BLK_H

#include "drivers/block/blkdev.h"

/* blk-mq.c: the queue takes a checked bio, issues what the device has
 * room for. */
void blk_mq_submit_bio(struct bio *bio);
void blk_mq_init_queue(struct request_queue *q);

/* blk-core.c: the statistics of a bio going in and coming out. */
void blk_account_io_start(struct bio *bio);
void blk_account_io_done(struct bio *bio, uint64_t now);
/* io_ticks up to now (jiffies); end: an I/O ends or is looked at. */
void update_io_ticks(struct block_device *part, unsigned long now, bool end);

#endif
