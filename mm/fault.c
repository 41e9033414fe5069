/* The page-fault exception (arch/x86/mm/fault.c, arch/riscv/mm/fault.c):
 * decode the x86 error code or the riscv cause, find the VMA, grow a
 * stack, check the access against the VMA, call handle_mm_fault(), and
 * turn what cannot be resolved into SIGSEGV (SEGV_MAPERR, SEGV_ACCERR)
 * or SIGBUS for a user access, or the -EFAULT fixup for a kernel access
 * to user memory. The signal is recorded in the task and logged like
 * Linux's show_signal_msg(); tasks have no registers yet, so ip and sp
 * print as 0. */
#include <errno.h>
#include <signal.h>

#include "kernel/cost.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/oom.h"
#include "mm/vma.h"

static void show_signal_msg(unsigned long error_code, unsigned long address)
{
	int cpu = smp_processor_id();

	pr_info("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx likely on CPU %d (core %d, socket 0)\n",
		current->comm, current->pid, address, 0UL, 0UL, error_code, cpu,
		cpu);
}

static bool force_sig_fault(int signo, int code, unsigned long address,
			    unsigned long error_code)
{
	current->fault_sig = (struct fault_signal){
		.signo = signo,
		.code = code,
		.addr = address,
		.error_code = error_code,
	};
	if (signo == SIGSEGV)
		show_signal_msg(error_code, address);
	return false;
}

/* bad_area(): a user access is signalled, a kernel one takes the fixup. */
static bool bad_area(bool user, int signo, int code, unsigned long error_code,
		     unsigned long address)
{
	if (!user)
		return false;
	return force_sig_fault(signo, code, address, error_code);
}

/* access_error(): the VMA does not allow the access. x86 looks at the
 * error code (an instruction fetch from a present NX page is PROT);
 * riscv at the cause against the VMA's rights. */
static bool access_error(unsigned long code, const struct vm_area_struct *vma)
{
	if (!M->arch->x86) {
		if (code == EXC_INST_PAGE_FAULT)
			return !(vma->vm_flags & VM_EXEC);
		if (code == EXC_STORE_PAGE_FAULT)
			return !(vma->vm_flags & VM_WRITE);
		return !(vma->vm_flags & (VM_READ | VM_WRITE));
	}
	if (code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (code & X86_PF_PROT) /* read of a present page */
		return true;
	return !(vma->vm_flags & VM_ACCESS_FLAGS);
}

static unsigned fault_flags(unsigned long code, bool user, unsigned extra)
{
	bool write = M->arch->x86 ? code & X86_PF_WRITE :
				    code == EXC_STORE_PAGE_FAULT;
	bool instr = M->arch->x86 ? code & X86_PF_INSTR :
				    code == EXC_INST_PAGE_FAULT;

	return extra | FAULT_FLAG_KILLABLE | (user ? FAULT_FLAG_USER : 0) |
	       (write ? FAULT_FLAG_WRITE : 0) |
	       (instr ? FAULT_FLAG_INSTRUCTION : 0);
}

/* A corrupted table: x86's RSVD bit; riscv's access faults on a table
 * outside RAM. */
static bool pgtable_bad(unsigned long code)
{
	if (M->arch->x86)
		return code & X86_PF_RSVD;
	return code != EXC_INST_PAGE_FAULT && code != EXC_LOAD_PAGE_FAULT &&
	       code != EXC_STORE_PAGE_FAULT;
}

bool exc_page_fault(unsigned long error_code, unsigned long address, bool user)
{
	return do_user_addr_fault(error_code, address, user, 0) > 0;
}

int do_user_addr_fault(unsigned long error_code, unsigned long address,
		       bool user, unsigned extra_flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned ret, flags;

	/* The trap into the handler and the return to the program (or to
	 * the signal), whatever the outcome. */
	cost_charge(COST_FAULT_ENTRY);
	cost_charge(COST_FAULT_EXIT);
	if (pgtable_bad(error_code)) {
		pr_alert("%s: Corrupted page table at address %lx\n",
			 current->comm, address);
		M->nr_bugs++;
		return bad_area(user, SIGSEGV, SEGV_MAPERR, error_code,
				address);
	}
	if (!mm || address >= TASK_SIZE_MAX)
		return bad_area(user, SIGSEGV, SEGV_MAPERR, error_code,
				address);
	vma = find_vma(mm, address);
	if (!vma)
		return bad_area(user, SIGSEGV, SEGV_MAPERR, error_code,
				address);
	if (vma->vm_start > address &&
	    (!(vma->vm_flags & VM_GROWSDOWN) || expand_downwards(vma, address)))
		return bad_area(user, SIGSEGV, SEGV_MAPERR, error_code,
				address);
	if (access_error(error_code, vma))
		return bad_area(user, SIGSEGV, SEGV_ACCERR, error_code,
				address);
	flags = fault_flags(error_code, user, extra_flags);
	ret = handle_mm_fault(vma, address, flags);
	/* The allocation ran the OOM killer: Linux retries the fault unless
	 * current is dying; mmsim retries once (see docs/deviations.md). */
	if ((ret & VM_FAULT_OOM) && pagefault_out_of_memory())
		ret = handle_mm_fault(vma, address, flags);
	if (ret & VM_FAULT_RETRY)
		return -EAGAIN; /* current sleeps; the access comes again */
	/* The return to user mode delivers a pending SIGKILL (the OOM
	 * killer may have chosen current in this fault): the program goes
	 * no further, and the victim's reserves are not its to use up. */
	if (!(ret & VM_FAULT_ERROR) && !(user && fatal_signal_pending(current)))
		return true;
	if (ret & VM_FAULT_OOM) {
		/* current is the OOM victim (its pending SIGKILL ends it), or
		 * no memory came even after the retry: it dies of SIGKILL. */
		if (!fatal_signal_pending(current) && !machine_halted())
			pr_err("Out of memory: page fault of %s[%d] at %lx\n",
			       current->comm, current->pid, address);
		return bad_area(user, SIGKILL, 0, error_code, address);
	}
	if (!(ret & VM_FAULT_ERROR))
		return bad_area(user, SIGKILL, 0, error_code, address);
	if (ret & VM_FAULT_SIGBUS)
		return bad_area(user, SIGBUS, BUS_ADRERR, error_code, address);
	return bad_area(user, SIGSEGV, SEGV_MAPERR, error_code, address);
}
