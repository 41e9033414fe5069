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
		       MADV_WILLNEED == 3 && MADV_DONTNEED == 4,
	       "MADV_* differ from Linux's values");

#endif
