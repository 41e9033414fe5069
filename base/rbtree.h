/* Red-black trees with Linux's interface (include/linux/rbtree.h,
 * rbtree_augmented.h): the caller walks down to the insertion point
 * itself, links the node with rb_link_node() and rebalances with
 * rb_insert_color(). Augmented trees keep a value per node computed from
 * its subtree (vmalloc's largest free block below a node); their
 * callbacks run on every rotation and on erase. */
#ifndef MMSIM_BASE_RBTREE_H
#define MMSIM_BASE_RBTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/list.h"

/* Parent pointer and colour share a word (nodes are word aligned). */
struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){ NULL })
#define RB_RED 0UL
#define RB_BLACK 1UL

#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) \
	((ptr) ? rb_entry(ptr, type, member) : NULL)

static inline struct rb_node *rb_parent(const struct rb_node *n)
{
	return (struct rb_node *)(n->__rb_parent_color & ~3UL);
}

#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)
/* A node that is in no tree points to itself. */
#define RB_EMPTY_NODE(node) ((node)->__rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node) ((node)->__rb_parent_color = (unsigned long)(node))

/* Puts node at *link under parent, red; rb_insert_color() rebalances. */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order walk. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/* ---- augmented trees ------------------------------------------------------ */

struct rb_augment_callbacks {
	/* Recompute node's value and its ancestors', up to stop (excluded). */
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	/* new takes old's place in the tree: copy old's value. */
	void (*copy)(struct rb_node *old, struct rb_node *new);
	/* new became old's parent: new takes old's value, old recomputes. */
	void (*rotate)(struct rb_node *old, struct rb_node *new);
};

/* The caller has set the new node's value; ancestors are updated by a
 * propagate from it after insertion if their values must change. */
void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment);

/* Callbacks for a value that is the maximum of compute(node) over the
 * subtree (Linux's RB_DECLARE_CALLBACKS_MAX). */
#define RB_DECLARE_CALLBACKS_MAX(rbstatic, rbname, rbstruct, rbfield, rbtype, \
				 rbaugmented, rbcompute)                      \
	static inline bool rbname##_compute_max(rbstruct *node, bool exit)    \
	{                                                                     \
		rbstruct *child;                                              \
		rbtype max = rbcompute(node);                                 \
		if (node->rbfield.rb_left) {                                  \
			child = rb_entry(node->rbfield.rb_left, rbstruct,     \
					 rbfield);                            \
			if (child->rbaugmented > max)                         \
				max = child->rbaugmented;                     \
		}                                                             \
		if (node->rbfield.rb_right) {                                 \
			child = rb_entry(node->rbfield.rb_right, rbstruct,    \
					 rbfield);                            \
			if (child->rbaugmented > max)                         \
				max = child->rbaugmented;                     \
		}                                                             \
		if (exit && node->rbaugmented == max)                         \
			return true;                                          \
		node->rbaugmented = max;                                      \
		return false;                                                 \
	}                                                                     \
	static void rbname##_propagate(struct rb_node *rb,                    \
				       struct rb_node *stop)                  \
	{                                                                     \
		while (rb != stop) {                                          \
			rbstruct *node = rb_entry(rb, rbstruct, rbfield);     \
			if (rbname##_compute_max(node, true))                 \
				break;                                        \
			rb = rb_parent(&node->rbfield);                       \
		}                                                             \
	}                                                                     \
	static void rbname##_copy(struct rb_node *rb_old,                     \
				  struct rb_node *rb_new)                     \
	{                                                                     \
		rb_entry(rb_new, rbstruct, rbfield)->rbaugmented =            \
			rb_entry(rb_old, rbstruct, rbfield)->rbaugmented;     \
	}                                                                     \
	static void rbname##_rotate(struct rb_node *rb_old,                   \
				    struct rb_node *rb_new)                   \
	{                                                                     \
		rbstruct *old = rb_entry(rb_old, rbstruct, rbfield);          \
		rb_entry(rb_new, rbstruct, rbfield)->rbaugmented =            \
			old->rbaugmented;                                     \
		rbname##_compute_max(old, false);                             \
	}                                                                     \
	rbstatic const struct rb_augment_callbacks rbname = {                 \
		.propagate = rbname##_propagate,                              \
		.copy = rbname##_copy,                                        \
		.rotate = rbname##_rotate,                                    \
	}

#endif
