/* Red-black trees (lib/rbtree.c's interface): insertion and erase
 * rebalancing with the classic recolour-and-rotate cases, each rotation
 * reported to an augmented tree's callbacks so per-subtree values stay
 * right. Colour lives in bit 0 of the parent word. */
#include "base/rbtree.h"

/* ---- parent and colour --------------------------------------------------- */

static inline unsigned long rb_color(const struct rb_node *n)
{
	return n->__rb_parent_color & 1;
}

static inline bool rb_is_red(const struct rb_node *n)
{
	return n && rb_color(n) == RB_RED;
}

static inline bool rb_is_black(const struct rb_node *n)
{
	return !n || rb_color(n) == RB_BLACK;
}

static inline void rb_set_parent(struct rb_node *n, struct rb_node *p)
{
	n->__rb_parent_color = rb_color(n) | (unsigned long)p;
}

static inline void rb_set_color(struct rb_node *n, unsigned long color)
{
	n->__rb_parent_color = (n->__rb_parent_color & ~1UL) | color;
}

/* Makes new the child of parent (or the root) in old's place. */
static void rb_change_child(struct rb_node *old, struct rb_node *new,
			    struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/* ---- rotations --------------------------------------------------------------- */

static void rb_rotate_left(struct rb_node *x, struct rb_root *root,
			   const struct rb_augment_callbacks *aug)
{
	struct rb_node *y = x->rb_right, *p = rb_parent(x);

	x->rb_right = y->rb_left;
	if (y->rb_left)
		rb_set_parent(y->rb_left, x);
	y->rb_left = x;
	rb_set_parent(y, p);
	rb_change_child(x, y, p, root);
	rb_set_parent(x, y);
	if (aug)
		aug->rotate(x, y);
}

static void rb_rotate_right(struct rb_node *x, struct rb_root *root,
			    const struct rb_augment_callbacks *aug)
{
	struct rb_node *y = x->rb_left, *p = rb_parent(x);

	x->rb_left = y->rb_right;
	if (y->rb_right)
		rb_set_parent(y->rb_right, x);
	y->rb_right = x;
	rb_set_parent(y, p);
	rb_change_child(x, y, p, root);
	rb_set_parent(x, y);
	if (aug)
		aug->rotate(x, y);
}

/* ---- insertion ------------------------------------------------------------------ */

/* The red node n may have a red parent: recolour upward, then at most
 * two rotations. */
static void rb_insert_fixup(struct rb_node *n, struct rb_root *root,
			    const struct rb_augment_callbacks *aug)
{
	struct rb_node *p, *g, *u;

	while ((p = rb_parent(n)) && rb_is_red(p)) {
		g = rb_parent(p); /* a red node is never the root */
		u = p == g->rb_left ? g->rb_right : g->rb_left;
		if (rb_is_red(u)) {
			rb_set_color(p, RB_BLACK);
			rb_set_color(u, RB_BLACK);
			rb_set_color(g, RB_RED);
			n = g;
			continue;
		}
		if (p == g->rb_left) {
			if (n == p->rb_right) {
				rb_rotate_left(p, root, aug);
				p = n;
			}
			rb_set_color(p, RB_BLACK);
			rb_set_color(g, RB_RED);
			rb_rotate_right(g, root, aug);
		} else {
			if (n == p->rb_left) {
				rb_rotate_right(p, root, aug);
				p = n;
			}
			rb_set_color(p, RB_BLACK);
			rb_set_color(g, RB_RED);
			rb_rotate_left(g, root, aug);
		}
		break;
	}
	rb_set_color(root->rb_node, RB_BLACK);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	rb_insert_fixup(node, root, NULL);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment)
{
	rb_insert_fixup(node, root, augment);
}

/* ---- erase ----------------------------------------------------------------------- */

/* A black node left the subtree at x (possibly NULL) under parent:
 * restore the black height. */
static void rb_erase_fixup(struct rb_node *x, struct rb_node *parent,
			   struct rb_root *root,
			   const struct rb_augment_callbacks *aug)
{
	struct rb_node *w;

	while (x != root->rb_node && rb_is_black(x)) {
		if (x == parent->rb_left) {
			w = parent->rb_right;
			if (rb_is_red(w)) {
				rb_set_color(w, RB_BLACK);
				rb_set_color(parent, RB_RED);
				rb_rotate_left(parent, root, aug);
				w = parent->rb_right;
			}
			if (rb_is_black(w->rb_left) &&
			    rb_is_black(w->rb_right)) {
				rb_set_color(w, RB_RED);
				x = parent;
				parent = rb_parent(x);
				continue;
			}
			if (rb_is_black(w->rb_right)) {
				rb_set_color(w->rb_left, RB_BLACK);
				rb_set_color(w, RB_RED);
				rb_rotate_right(w, root, aug);
				w = parent->rb_right;
			}
			rb_set_color(w, rb_color(parent));
			rb_set_color(parent, RB_BLACK);
			rb_set_color(w->rb_right, RB_BLACK);
			rb_rotate_left(parent, root, aug);
		} else {
			w = parent->rb_left;
			if (rb_is_red(w)) {
				rb_set_color(w, RB_BLACK);
				rb_set_color(parent, RB_RED);
				rb_rotate_right(parent, root, aug);
				w = parent->rb_left;
			}
			if (rb_is_black(w->rb_left) &&
			    rb_is_black(w->rb_right)) {
				rb_set_color(w, RB_RED);
				x = parent;
				parent = rb_parent(x);
				continue;
			}
			if (rb_is_black(w->rb_left)) {
				rb_set_color(w->rb_right, RB_BLACK);
				rb_set_color(w, RB_RED);
				rb_rotate_left(w, root, aug);
				w = parent->rb_left;
			}
			rb_set_color(w, rb_color(parent));
			rb_set_color(parent, RB_BLACK);
			rb_set_color(w->rb_left, RB_BLACK);
			rb_rotate_right(parent, root, aug);
		}
		x = root->rb_node;
		break;
	}
	if (x)
		rb_set_color(x, RB_BLACK);
}

/* node has two children: its successor takes its place (and colour).
 * Returns the parent of the hole the successor left; *child and *color
 * describe what filled it. */
static struct rb_node *
rb_replace_by_successor(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *aug,
			struct rb_node **child, unsigned long *color)
{
	struct rb_node *succ = node->rb_right, *parent;

	while (succ->rb_left)
		succ = succ->rb_left;
	*color = rb_color(succ);
	*child = succ->rb_right;
	if (rb_parent(succ) == node) {
		parent = succ;
	} else {
		parent = rb_parent(succ);
		parent->rb_left = *child;
		if (*child)
			rb_set_parent(*child, parent);
		succ->rb_right = node->rb_right;
		rb_set_parent(node->rb_right, succ);
	}
	succ->rb_left = node->rb_left;
	rb_set_parent(node->rb_left, succ);
	succ->__rb_parent_color = node->__rb_parent_color;
	rb_change_child(node, succ, rb_parent(node), root);
	if (aug) {
		aug->copy(node, succ);
		aug->propagate(parent, succ);
		aug->propagate(succ, NULL);
	}
	return parent;
}

static void rb_erase_node(struct rb_node *node, struct rb_root *root,
			  const struct rb_augment_callbacks *aug)
{
	struct rb_node *child, *parent;
	unsigned long color;

	if (node->rb_left && node->rb_right) {
		parent = rb_replace_by_successor(node, root, aug, &child,
						 &color);
	} else {
		child = node->rb_left ? node->rb_left : node->rb_right;
		parent = rb_parent(node);
		color = rb_color(node);
		rb_change_child(node, child, parent, root);
		if (child)
			rb_set_parent(child, parent);
		if (aug && parent)
			aug->propagate(parent, NULL);
	}
	if (color == RB_BLACK)
		rb_erase_fixup(child, parent, root, aug);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	rb_erase_node(node, root, NULL);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment)
{
	rb_erase_node(node, root, augment);
}

/* ---- walking ---------------------------------------------------------------------- */

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *p;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while ((p = rb_parent(node)) && node == p->rb_right)
		node = p;
	return p;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *p;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((p = rb_parent(node)) && node == p->rb_left)
		node = p;
	return p;
}
