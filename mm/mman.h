/* The mmap family's flag values (include/uapi/asm-generic/mman*.h): the
 * host's <sys/mman.h> gives them (mmsim runs on Linux, whose values these
 * are); the asserts catch a host whose values differ, and the ones a C
 * library may lack are defined here. */
#ifndef MMSIM_MM_MMAN_H
#define MMSIM_MM_MMAN_H

#include <sys/mman.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_UNINITIALIZED
#define MAP_UNINITIALIZED 0x4000000
#endif
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE 1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 0x01
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif
#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif
#ifndef PROT_GROWSUP
#define PROT_GROWSUP 0x02000000
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif
#define MAP_TYPE_MASK 0x0f

_Static_assert(PROT_READ == 1 && PROT_WRITE == 2 && PROT_EXEC == 4 &&
		       PROT_GROWSDOWN == 0x01000000,
	       "PROT_* differ from Linux's generic values");
_Static_assert(MAP_SHARED == 1 && MAP_PRIVATE == 2 && MAP_FIXED == 0x10 &&
		       MAP_ANONYMOUS == 0x20 && MAP_GROWSDOWN == 0x100 &&
		       MAP_LOCKED == 0x2000 && MAP_NORESERVE == 0x4000 &&
		       MAP_POPULATE == 0x8000 && MAP_NONBLOCK == 0x10000 &&
		       MAP_STACK == 0x20000 && MAP_HUGETLB == 0x40000,
	       "MAP_* differ from Linux's generic values");
_Static_assert(MREMAP_MAYMOVE == 1 && MREMAP_FIXED == 2,
	       "MREMAP_* differ from Linux's values");
_Static_assert(MCL_CURRENT == 1 && MCL_FUTURE == 2,
	       "MCL_* differ from Linux's values");
_Static_assert(MADV_NORMAL == 0 && MADV_RANDOM == 1 && MADV_SEQUENTIAL == 2 &&
		       MADV_WILLNEED == 3 && MADV_DONTNEED == 4 &&
		       MADV_FREE == 8 && MADV_REMOVE == 9 &&
		       MADV_DONTFORK == 10 && MADV_DOFORK == 11 &&
		       MADV_MERGEABLE == 12 && MADV_UNMERGEABLE == 13 &&
		       MADV_HUGEPAGE == 14 && MADV_NOHUGEPAGE == 15 &&
		       MADV_DONTDUMP == 16 && MADV_DODUMP == 17 &&
		       MADV_HWPOISON == 100,
	       "MADV_* differ from Linux's values");

#endif
