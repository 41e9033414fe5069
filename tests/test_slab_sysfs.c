/* /sys/kernel/slab as a user reads and writes it: SLUB's attribute files
 * through proc_read and proc_write (the paths `mmsim boot --cat` takes),
 * for kmalloc caches, created caches and their aliases, and the errors
 * for paths that do not exist. Each test boots a machine of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/seq_file.h"
#include "fs/proc/proc.h"
#include "kernel/machine.h"
#include "mm/gfp.h"
#include "mm/slab.h"

#include "helpers.h"

/* The text of /sys/kernel/slab/NAME/ATTR, in a static buffer. */
static const char *sys_slab(const char *name_attr)
{
	static char text[4096];
	char path[256];
	struct seq_file m;

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s", name_attr);
	seq_init(&m);
	if (proc_read(path, &m))
		fail_msg("%s does not exist", path);
	snprintf(text, sizeof(text), "%s", seq_text(&m));
	seq_release(&m);
	return text;
}

static int sys_slab_errno(const char *path)
{
	struct seq_file m;
	int ret;

	seq_init(&m);
	ret = proc_read(path, &m);
	seq_release(&m);
	return ret;
}

/* ---- the geometry of a cache ------------------------------------------- */

static void test_kmalloc_64_geometry(void **state)
{
	(void)state;
	boot_machine("ram=256M");
	assert_string_equal(sys_slab("kmalloc-64/object_size"), "64\n");
	assert_string_equal(sys_slab("kmalloc-64/slab_size"), "64\n");
	assert_string_equal(sys_slab("kmalloc-64/order"), "0\n");
	assert_string_equal(sys_slab("kmalloc-64/objs_per_slab"), "64\n");
	assert_string_equal(sys_slab("kmalloc-64/aliases"), "0\n");
	/* kmalloc-8k: 4 objects in an order-3 slab (calculate_order) */
	assert_string_equal(sys_slab("kmalloc-8k/order"), "3\n");
	assert_string_equal(sys_slab("kmalloc-8k/objs_per_slab"), "4\n");
}

/* A red-zoned cache's slot holds the object, the red zones and the free
 * pointer: slab_size exceeds object_size. */
static void test_created_cache_geometry(void **state)
{
	struct kmem_cache *s;

	(void)state;
	boot_machine("ram=256M");
	s = kmem_cache_create("sysfs_rz", 100, 0, SLAB_RED_ZONE, NULL);
	assert_non_null(s);
	assert_string_equal(sys_slab("sysfs_rz/object_size"), "100\n");
	assert_int_equal(strtoul(sys_slab("sysfs_rz/slab_size"), NULL, 10),
			 s->size);
	assert_true(s->size > 100);
	assert_int_equal(strtoul(sys_slab("sysfs_rz/objs_per_slab"), NULL, 10),
			 PAGE_SIZE / s->size);
	assert_string_equal(sys_slab("sysfs_rz/red_zone"), "1\n");
	kmem_cache_destroy(s);
	assert_int_equal(sys_slab_errno("/sys/kernel/slab/sysfs_rz/order"),
			 -ENOENT);
}

/* ---- objects and statistics ------------------------------------------------ */

/* N allocations from a fresh cache: the first takes the slow path (a new
 * slab), the other N - 1 come off the CPU freelist. */
static void test_objects_and_alloc_fastpath_after_n_allocations(void **state)
{
	struct kmem_cache *s;
	void *obj[40];

	(void)state;
	boot_machine("ram=256M");
	s = kmem_cache_create("sysfs_objs", 128, 0, SLAB_NO_MERGE, NULL);
	assert_string_equal(sys_slab("sysfs_objs/objects"), "0\n");
	assert_string_equal(sys_slab("sysfs_objs/alloc_fastpath"), "0\n");
	for (int i = 0; i < 20; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_string_equal(sys_slab("sysfs_objs/alloc_fastpath"),
			    "19 C0=19\n");
	assert_string_equal(sys_slab("sysfs_objs/alloc_slowpath"), "1 C0=1\n");
	/* the CPU slab counts whole: 32 objects of 128 bytes */
	assert_string_equal(sys_slab("sysfs_objs/objects"), "32 N0=32\n");
	assert_string_equal(sys_slab("sysfs_objs/total_objects"), "32 N0=32\n");
	assert_string_equal(sys_slab("sysfs_objs/slabs"), "1 N0=1\n");
	/* 20 more: the first slab fills, a second one starts */
	for (int i = 20; i < 40; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_string_equal(sys_slab("sysfs_objs/alloc_fastpath"),
			    "38 C0=38\n");
	assert_string_equal(sys_slab("sysfs_objs/slabs"), "2 N0=2\n");
	assert_string_equal(sys_slab("sysfs_objs/objects"), "64 N0=64\n");
	for (int i = 39; i >= 32; i--) /* back to the CPU slab */
		kmem_cache_free(s, obj[i]);
	assert_string_equal(sys_slab("sysfs_objs/free_fastpath"), "8 C0=8\n");
	for (int i = 0; i < 32; i++)
		kmem_cache_free(s, obj[i]);
	kmem_cache_destroy(s);
}

/* The CPU 1 column shows when another CPU allocates. */
static void test_per_cpu_columns(void **state)
{
	void *a, *b;

	(void)state;
	boot_machine("ram=256M", "cpus=2");
	a = kmalloc(96, GFP_KERNEL);
	M->this_cpu = 1;
	b = kmalloc(96, GFP_KERNEL);
	assert_string_equal(sys_slab("kmalloc-96/alloc_slowpath"),
			    "2 C0=1 C1=1\n");
	assert_string_equal(sys_slab("kmalloc-96/cpu_slabs"), "2 N0=2\n");
	kfree(b);
	M->this_cpu = 0;
	kfree(a);
	assert_string_equal(sys_slab("kmalloc-96/free_fastpath"),
			    "2 C0=1 C1=1\n");
}

/* ---- aliases ------------------------------------------------------------- */

static void test_aliases_of_a_merged_cache(void **state)
{
	struct kmem_cache *a, *b, *c;

	(void)state;
	boot_machine("ram=256M");
	a = kmem_cache_create("sysfs_a", 200, 0, 0, NULL);
	b = kmem_cache_create("sysfs_b", 196, 0, 0, NULL);
	c = kmem_cache_create("sysfs_c", 200, 0, 0, NULL);
	assert_ptr_equal(a, b);
	assert_ptr_equal(a, c);
	assert_string_equal(sys_slab("sysfs_a/aliases"), "2\n");
	/* every name, and the unique id, reach the same cache */
	assert_string_equal(sys_slab("sysfs_b/aliases"), "2\n");
	assert_string_equal(sys_slab(":0000200/aliases"), "2\n");
	assert_string_equal(sys_slab("sysfs_c/object_size"), "200\n");
	kmem_cache_destroy(c);
	assert_string_equal(sys_slab("sysfs_a/aliases"), "1\n");
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
}

/* ---- writing, and paths that do not exist ----------------------------------- */

static void test_shrink_is_the_only_writable_file(void **state)
{
	char err[128];
	void *p;

	(void)state;
	boot_machine("ram=256M");
	p = kmalloc(512, GFP_KERNEL);
	kfree(p);
	assert_string_equal(sys_slab("kmalloc-512/slabs"), "1 N0=1\n");
	assert_int_equal(proc_write("/sys/kernel/slab/kmalloc-512/shrink", "1",
				    err, sizeof(err)),
			 0);
	assert_string_equal(sys_slab("kmalloc-512/slabs"), "0\n");
	assert_int_equal(proc_write("/sys/kernel/slab/kmalloc-512/order", "1",
				    err, sizeof(err)),
			 -EACCES);
	assert_string_equal(
		err, "/sys/kernel/slab/kmalloc-512/order: Permission denied");
	assert_int_equal(proc_write("/sys/kernel/slab/nosuch/shrink", "1", err,
				    sizeof(err)),
			 -ENOENT);
	assert_string_equal(
		err,
		"/sys/kernel/slab/nosuch/shrink: No such file or directory");
}

static void test_unknown_paths(void **state)
{
	(void)state;
	boot_machine("ram=256M");
	assert_int_equal(sys_slab_errno("/sys/kernel/slab/nosuch/order"),
			 -ENOENT);
	assert_int_equal(sys_slab_errno("/sys/kernel/slab/kmalloc-64/nosuch"),
			 -ENOENT);
	assert_int_equal(sys_slab_errno("/sys/kernel/slab/kmalloc-64"),
			 -ENOENT);
	assert_int_equal(sys_slab_errno("/sys/kernel/slab/"), -ENOENT);
	assert_int_equal(sys_slab_errno("/sys/kernel/slabby/kmalloc-64/order"),
			 -ENOENT);
}

/* SLAB and SLOB have no /sys/kernel/slab, as in Linux. */
static void test_only_slub_has_sys_kernel_slab(void **state)
{
	(void)state;
	boot_machine("ram=256M", "slab=slab");
	assert_int_equal(sys_slab_errno("/sys/kernel/slab/kmalloc-64/order"),
			 -ENOENT);
	machine_destroy(M);
	boot_machine("ram=256M", "slab=slob");
	assert_int_equal(sys_slab_errno("/sys/kernel/slab/kmalloc-64/order"),
			 -ENOENT);
}

#define T(f) cmocka_unit_test_teardown(f, destroy_current)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_kmalloc_64_geometry),
		T(test_created_cache_geometry),
		T(test_objects_and_alloc_fastpath_after_n_allocations),
		T(test_per_cpu_columns),
		T(test_aliases_of_a_merged_cache),
		T(test_shrink_is_the_only_writable_file),
		T(test_unknown_paths),
		T(test_only_slub_has_sys_kernel_slab),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
