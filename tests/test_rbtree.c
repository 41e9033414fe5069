/* base/rbtree: red-black properties (no red node with a red child, the
 * same number of black nodes on every path), in-order walks, and an
 * augmented maximum kept right through random inserts and erases,
 * checked against a plain array after every step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/kernel.h"
#include "base/prng.h"
#include "base/rbtree.h"

struct item {
	unsigned long key;
	unsigned long weight;
	unsigned long max_weight; /* of the subtree */
	struct rb_node rb;
	bool in_tree;
};

static unsigned long item_weight(const struct item *it)
{
	return it->weight;
}

RB_DECLARE_CALLBACKS_MAX(static, item_cb, struct item, rb, unsigned long,
			 max_weight, item_weight);

static void insert(struct rb_root *root, struct item *it, bool augment)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = it->key < rb_entry(parent, struct item, rb)->key ?
			       &parent->rb_left :
			       &parent->rb_right;
	}
	rb_link_node(&it->rb, parent, link);
	if (augment) {
		it->max_weight = 0;
		rb_insert_augmented(&it->rb, root, &item_cb);
		it->max_weight = 0;
		item_cb.propagate(&it->rb, NULL);
	} else {
		rb_insert_color(&it->rb, root);
	}
	it->in_tree = true;
}

static void erase(struct rb_root *root, struct item *it, bool augment)
{
	if (augment)
		rb_erase_augmented(&it->rb, root, &item_cb);
	else
		rb_erase(&it->rb, root);
	RB_CLEAR_NODE(&it->rb);
	it->in_tree = false;
}

static bool is_red(const struct rb_node *n)
{
	return n && !(n->__rb_parent_color & 1);
}

/* Black height of n's subtree; checks colours, parents, order and the
 * augmented value on the way. */
static int check_node(const struct rb_node *n, const struct rb_node *parent,
		      bool augment)
{
	const struct item *it;
	unsigned long want;
	int l, r;

	if (!n)
		return 1;
	assert_ptr_equal(rb_parent(n), parent);
	if (is_red(n))
		assert_false(is_red(n->rb_left) || is_red(n->rb_right));
	it = rb_entry(n, struct item, rb);
	if (n->rb_left)
		assert_true(rb_entry(n->rb_left, struct item, rb)->key <=
			    it->key);
	if (n->rb_right)
		assert_true(rb_entry(n->rb_right, struct item, rb)->key >=
			    it->key);
	l = check_node(n->rb_left, n, augment);
	r = check_node(n->rb_right, n, augment);
	assert_int_equal(l, r);
	if (augment) {
		want = it->weight;
		if (n->rb_left)
			want = max(want, rb_entry(n->rb_left, struct item, rb)
						 ->max_weight);
		if (n->rb_right)
			want = max(want, rb_entry(n->rb_right, struct item, rb)
						 ->max_weight);
		assert_int_equal(it->max_weight, want);
	}
	return l + !is_red(n);
}

static void check_tree(const struct rb_root *root, const struct item *items,
		       size_t n, bool augment)
{
	size_t in = 0, walked = 0;
	const struct rb_node *node;
	unsigned long last = 0;

	assert_false(is_red(root->rb_node));
	check_node(root->rb_node, NULL, augment);
	for (size_t i = 0; i < n; i++)
		in += items[i].in_tree;
	for (node = rb_first(root); node; node = rb_next(node)) {
		const struct item *it = rb_entry(node, struct item, rb);

		assert_true(it->key >= last);
		last = it->key;
		walked++;
	}
	assert_int_equal(walked, in);
	walked = 0;
	for (node = rb_last(root); node; node = rb_prev(node))
		walked++;
	assert_int_equal(walked, in);
}

static void random_run(bool augment, unsigned steps)
{
	enum { N = 600 };
	struct item *items = calloc(N, sizeof(*items));
	struct rb_root root = RB_ROOT;
	struct prng r;

	assert_non_null(items);
	prng_seed(&r, augment ? 7 : 11);
	for (size_t i = 0; i < N; i++) {
		items[i].key = prng_below(&r, 1000);
		items[i].weight = prng_below(&r, 1u << 20);
		RB_CLEAR_NODE(&items[i].rb);
	}
	for (unsigned s = 0; s < steps; s++) {
		struct item *it = &items[prng_below(&r, N)];

		if (it->in_tree) {
			erase(&root, it, augment);
		} else {
			/* A changed weight must be propagated, as vmalloc
			 * does after resizing a free block. */
			it->weight = prng_below(&r, 1u << 20);
			insert(&root, it, augment);
		}
		if (s % 7 == 0 || s > steps - 50)
			check_tree(&root, items, N, augment);
	}
	free(items);
}

static void test_rbtree_random_plain(void **state)
{
	(void)state;
	random_run(false, 20000);
}

static void test_rbtree_random_augmented(void **state)
{
	(void)state;
	random_run(true, 20000);
}

/* Ascending inserts (the worst case for an unbalanced tree) stay
 * balanced: height at most 2 log2(n + 1). */
static void test_rbtree_sorted_inserts_stay_balanced(void **state)
{
	enum { N = 4095 };
	struct item *items = calloc(N, sizeof(*items));
	struct rb_root root = RB_ROOT;
	int height = 0;

	(void)state;
	assert_non_null(items);
	for (size_t i = 0; i < N; i++) {
		items[i].key = i;
		insert(&root, &items[i], false);
	}
	check_tree(&root, items, N, false);
	for (size_t i = 0; i < N; i++) {
		int h = 0;

		for (const struct rb_node *n = &items[i].rb; n;
		     n = rb_parent(n))
			h++;
		height = max(height, h);
	}
	assert_true(height <= 2 * 12);
	for (size_t i = 0; i < N; i += 2)
		erase(&root, &items[i], false);
	check_tree(&root, items, N, false);
	assert_true(RB_EMPTY_NODE(&items[0].rb));
	assert_false(RB_EMPTY_NODE(&items[1].rb));
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rbtree_random_plain),
		cmocka_unit_test(test_rbtree_random_augmented),
		cmocka_unit_test(test_rbtree_sorted_inserts_stay_balanced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
