/* User memory reached through the MMU (lib/usercopy.c, x86 uaccess):
 * the task's own loads and stores in user mode, and the kernel's
 * copy_to_user / copy_from_user / clear_user, each page translated by
 * the CPU's TLB and page walk, faults handled by exc_page_fault(). */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "kernel/printk.h"
#include "mm/swap.h"
#include "mm/vma.h"

/* A fault that handle_mm_fault resolved is retried; more than this many
 * in a row on one address is a kernel bug. */
#define MAX_FAULT_RETRIES 4

int access_page_fault_flags(unsigned long va, enum mmu_access acc, bool user,
			    enum translate_result r, struct mmu_fault *f,
			    uint64_t *pa, unsigned fault_flags)
{
	enum mmu_mode mode = user ? MMU_USER : MMU_KERNEL;
	int ret;

	for (int tries = 0;; tries++) {
		if (r == TRANSLATE_GP) {
			/* A non-canonical address: #GP, SIGSEGV SI_KERNEL. */
			if (user) {
				pr_info("traps: %s[%d] general protection fault ip:0 sp:0 error:0\n",
					current->comm, current->pid);
				current->fault_sig = (struct fault_signal){
					SIGSEGV, SI_KERNEL, 0, 0
				};
			}
			return -EFAULT;
		}
		if (tries == MAX_FAULT_RETRIES) {
			WARN(1, "page fault at %lx (error %lx) not resolved\n",
			     f->address, f->error_code);
			return -EFAULT;
		}
		ret = do_user_addr_fault(f->error_code, f->address, user,
					 fault_flags);
		if (ret < 0)
			return ret;
		if (!ret)
			return -EFAULT;
		r = translate(smp_processor_id(), current->mm, va, acc, mode,
			      pa, f);
		if (r == TRANSLATE_OK)
			return 0;
	}
}

/* Translates va for acc in mode, handling faults with fault_flags: 0,
 * -EAGAIN (the fault sleeps: FAULT_FLAG_ALLOW_RETRY) or -EFAULT. */
static int access_page(unsigned long va, enum mmu_access acc, bool user,
		       unsigned fault_flags, uint64_t *pa)
{
	struct mmu_fault f;
	enum translate_result r = translate(smp_processor_id(), current->mm, va,
					    acc, user ? MMU_USER : MMU_KERNEL,
					    pa, &f);

	if (likely(r == TRANSLATE_OK))
		return 0;
	return access_page_fault_flags(va, acc, user, r, &f, pa, fault_flags);
}

/* Copies bytes *done..len between buf (NULL: no data) and user address
 * addr page by page, *done counting them; faults are taken with
 * fault_flags, FAULT_FLAG_TRIED for the first page only. 0, or
 * access_page()'s error at the page where it stopped. */
static int user_copy_from(unsigned long addr, char *buf, size_t len,
			  enum mmu_access acc, bool user, unsigned fault_flags,
			  size_t *done)
{
	while (*done < len) {
		unsigned long va = addr + *done;
		size_t chunk = min(len - *done, PAGE_SIZE - offset_in_page(va));
		uint64_t pa;
		int ret = access_page(va, acc, user, fault_flags, &pa);

		if (ret)
			return ret;
		fault_flags &= ~FAULT_FLAG_TRIED;
		if (buf && acc == MMU_WRITE)
			memcpy(M->ram + pa, buf + *done, chunk);
		else if (buf)
			memcpy(buf + *done, M->ram + pa, chunk);
		*done += chunk;
	}
	return 0;
}

/* The copy without sleeping: the bytes not done. */
static size_t user_copy(unsigned long addr, void *buf, size_t len,
			enum mmu_access acc, bool user)
{
	size_t done = 0;

	user_copy_from(addr, buf, len, acc, user, 0, &done);
	return len - done;
}

int user_access(unsigned long addr, void *buf, size_t len, bool write)
{
	current->fault_sig.signo = 0;
	if (addr + len < addr) {
		current->fault_sig =
			(struct fault_signal){ SIGSEGV, SEGV_MAPERR, addr, 0 };
		return -EFAULT;
	}
	return user_copy(addr, buf, len, write ? MMU_WRITE : MMU_READ, true) ?
		       -EFAULT :
		       0;
}

int user_access_resumable(struct user_copy_state *c)
{
	int ret;

	current->fault_sig.signo = 0;
	if (c->retry) {
		/* Running again: the sleep and its memory stall are over. */
		current->in_iowait = false;
		swap_wait_done();
	}
	if (c->addr + c->len < c->addr)
		return user_access(c->addr, NULL, c->len, c->write);
	ret = user_copy_from(
		c->addr, c->buf, c->len, c->write ? MMU_WRITE : MMU_READ, true,
		FAULT_FLAG_ALLOW_RETRY | (c->retry ? FAULT_FLAG_TRIED : 0),
		&c->done);
	c->retry = ret == -EAGAIN;
	return ret;
}

/* access_ok(): the range lies below the top of user space. */
static bool access_ok(unsigned long addr, size_t n)
{
	return n <= TASK_SIZE_MAX && addr <= TASK_SIZE_MAX - n;
}

unsigned long copy_to_user(unsigned long to, const void *from, size_t n)
{
	if (!access_ok(to, n))
		return n;
	return user_copy(to, (void *)from, n, MMU_WRITE, false);
}

unsigned long copy_from_user(void *to, unsigned long from, size_t n)
{
	size_t left;

	if (!access_ok(from, n)) {
		memset(to, 0, n);
		return n;
	}
	left = user_copy(from, to, n, MMU_READ, false);
	memset((char *)to + (n - left), 0, left); /* as Linux zero-fills */
	return left;
}

unsigned long clear_user(unsigned long to, size_t n)
{
	static const char zeros[256];

	while (n) {
		size_t chunk = min(n, sizeof(zeros));
		size_t left;

		if (!access_ok(to, chunk))
			return n;
		left = user_copy(to, (void *)zeros, chunk, MMU_WRITE, false);
		if (left)
			return n - (chunk - left);
		to += chunk;
		n -= chunk;
	}
	return 0;
}
