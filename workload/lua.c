/* Lua 5.4 scenarios (workload/scenario.h, docs/scenarios.md). The
 * script's top level is the control room: it describes the machine,
 * starts processes and runs virtual time. Each simulated thread runs a
 * Lua function as a coroutine from its task body: a call that takes CPU
 * time or blocks (compute, sleep, wait, touch over many pages) asks the
 * kernel for it and yields, and the thread's next body step resumes it,
 * so the machine's other tasks run meanwhile. Every process method is a
 * system call of its process: it may only be called from the
 * process's own function (or its threads'). */
#define _GNU_SOURCE /* sigabbrev_np, strerrorname_np */
#include "workload/scenario.h"

#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "base/parse.h"
#include "fs/binfmts.h"
#include "fs/proc/proc.h"
#include "init/main.h"
#include "kernel/cost.h"
#include "kernel/fork.h"
#include "kernel/panic.h"
#include "kernel/pid.h"
#include "kernel/random.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "kernel/time/hrtimer.h"
#include "kernel/time/time.h"
#include "mm/mman.h"
#include "mm/oom.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "workload/access.h"

#define PROCESS_MT "mmsim.process"
/* The machine runs in slices of this much virtual time between checks
 * of the script's state (an error, every process done). */
#define RUN_SLICE_NS NSEC_PER_MSEC
/* Bytes p:read() returns at most. */
#define MAX_READ (1UL << 20)

/* One simulated thread running a Lua function. */
struct lthread {
	struct scenario *sc;
	struct task_struct *task;
	lua_State *co;
	int co_ref; /* keeps the coroutine alive */
	int nargs; /* values on co's stack for its first resume */
	bool leader; /* the process's main function (exit_group at its end) */
	bool done;
};

struct scenario {
	struct scenario_config cfg;
	lua_State *L;
	struct machine *m;
	struct machine_config mcfg;
	uint64_t start_ns;
	struct scenario_proc *procs;
	size_t nprocs, procs_cap;
	struct lthread **threads;
	size_t nthreads, threads_cap;
	char err[512];
	bool failed;
	struct hrtimer sample_timer;
};

/* A process handle (userdata): the task, referenced. */
struct lproc {
	struct task_struct *task;
};

static struct scenario *scenario_of(lua_State *L)
{
	struct scenario *sc;

	lua_getfield(L, LUA_REGISTRYINDEX, "mmsim.scenario");
	sc = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return sc;
}

static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	arr = realloc(arr, *cap * size);
	if (!arr) {
		fputs("mmsim: out of host memory\n", stderr);
		exit(1);
	}
	return arr;
}

/* ---- argument helpers ---------------------------------------------------- */

/* A size: an integer number of bytes or a string such as "16M". */
static uint64_t check_size(lua_State *L, int idx)
{
	char err[128];
	uint64_t v;

	if (lua_type(L, idx) == LUA_TNUMBER) {
		lua_Integer n = luaL_checkinteger(L, idx);

		luaL_argcheck(L, n >= 0, idx, "negative size");
		return (uint64_t)n;
	}
	if (!parse_size(luaL_checkstring(L, idx), &v, err, sizeof(err)))
		luaL_argerror(L, idx, err);
	return v;
}

/* An address: a non-negative integer. */
static unsigned long check_addr(lua_State *L, int idx)
{
	lua_Integer n = luaL_checkinteger(L, idx);

	return (unsigned long)n;
}

/* A duration: an integer number of ns or a string "1.5s", "10ms",
 * "200us", "100ns". */
static uint64_t check_ns(lua_State *L, int idx)
{
	char err[128];
	uint64_t ns;

	if (lua_type(L, idx) == LUA_TNUMBER) {
		lua_Number n = luaL_checknumber(L, idx);

		luaL_argcheck(L, n >= 0 && n < 1.8e19, idx,
			      "duration out of range");
		return (uint64_t)n;
	}
	if (!parse_duration(luaL_checkstring(L, idx), &ns, err, sizeof(err)))
		luaL_argerror(L, idx, err);
	return ns;
}

/* A word from names (case-insensitive, an optional prefix such as
 * "MAP_" allowed), or an error naming the choices. */
struct lname {
	const char *name;
	unsigned long value;
};

static bool lookup(const struct lname *t, size_t n, const char *prefix,
		   const char *w, size_t len, unsigned long *v)
{
	size_t plen = strlen(prefix);

	if (len > plen && !strncasecmp(w, prefix, plen)) {
		w += plen;
		len -= plen;
	}
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].name) == len &&
		    !strncasecmp(w, t[i].name, len)) {
			*v = t[i].value;
			return true;
		}
	return false;
}

/* Flags spelt as words joined by '|' or ',' ("private|anonymous"). */
static unsigned long check_flags(lua_State *L, int idx, const struct lname *t,
				 size_t n, const char *prefix)
{
	const char *s, *w;
	unsigned long flags = 0, v = 0;

	if (lua_type(L, idx) == LUA_TNUMBER)
		return (unsigned long)luaL_checkinteger(L, idx);
	s = luaL_checkstring(L, idx);
	for (w = s; *w;) {
		size_t len = strcspn(w, "|, ");

		if (len && !lookup(t, n, prefix, w, len, &v)) {
			/* lua_pushfstring has no precision: the word alone */
			lua_pushlstring(L, w, len);
			luaL_error(L, "bad argument #%d: unknown %s flag '%s'",
				   idx, prefix, lua_tostring(L, -1));
		}
		if (len)
			flags |= v;
		w += len;
		w += strspn(w, "|, ");
	}
	return flags;
}

static const struct lname map_names[] = {
	{ "shared", MAP_SHARED },
	{ "private", MAP_PRIVATE },
	{ "anonymous", MAP_ANONYMOUS },
	{ "anon", MAP_ANONYMOUS },
	{ "fixed", MAP_FIXED },
	{ "fixed_noreplace", MAP_FIXED_NOREPLACE },
	{ "populate", MAP_POPULATE },
	{ "noreserve", MAP_NORESERVE },
	{ "growsdown", MAP_GROWSDOWN },
	{ "locked", MAP_LOCKED },
	{ "stack", MAP_STACK },
};

static const struct lname madv_names[] = {
	{ "normal", MADV_NORMAL },
	{ "random", MADV_RANDOM },
	{ "sequential", MADV_SEQUENTIAL },
	{ "willneed", MADV_WILLNEED },
	{ "dontneed", MADV_DONTNEED },
	{ "free", MADV_FREE },
	{ "dontfork", MADV_DONTFORK },
	{ "dofork", MADV_DOFORK },
	{ "hugepage", MADV_HUGEPAGE },
	{ "nohugepage", MADV_NOHUGEPAGE },
	{ "wipeonfork", MADV_WIPEONFORK },
	{ "keeponfork", MADV_KEEPONFORK },
	{ "cold", MADV_COLD },
	{ "pageout", MADV_PAGEOUT },
	{ "populate_read", MADV_POPULATE_READ },
	{ "populate_write", MADV_POPULATE_WRITE },
};

static const struct lname policy_names[] = {
	{ "other", SCHED_NORMAL }, { "normal", SCHED_NORMAL },
	{ "fifo", SCHED_FIFO },	   { "rr", SCHED_RR },
	{ "batch", SCHED_BATCH },  { "idle", SCHED_IDLE },
};

/* Protection as letters: "rw-", "r-x", "rw", "" or "---" for none. */
static unsigned long check_prot(lua_State *L, int idx)
{
	const char *s;
	unsigned long prot = 0;

	if (lua_type(L, idx) == LUA_TNUMBER)
		return (unsigned long)luaL_checkinteger(L, idx);
	s = luaL_optstring(L, idx, "rw-");
	for (; *s; s++) {
		if (*s == 'r')
			prot |= PROT_READ;
		else if (*s == 'w')
			prot |= PROT_WRITE;
		else if (*s == 'x')
			prot |= PROT_EXEC;
		else if (*s != '-')
			luaL_argerror(
				L, idx,
				"expected protection letters such as \"rw-\"");
	}
	return prot;
}

/* A signal: a number or a name ("TERM", "SIGTERM"). */
static int check_signal(lua_State *L, int idx)
{
	const char *s;

	if (lua_type(L, idx) == LUA_TNUMBER) {
		lua_Integer n = luaL_checkinteger(L, idx);

		luaL_argcheck(L, n >= 0 && n <= NR_SIGNALS, idx,
			      "no such signal");
		return (int)n;
	}
	s = luaL_optstring(L, idx, "TERM");
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);

		if (name && !strcasecmp(s, name))
			return sig;
	}
	luaL_argerror(L, idx, "no such signal");
	return 0;
}

/* ---- results --------------------------------------------------------- */

/* A system call's result: the value, or nil and the errno's name. */
static int push_result(lua_State *L, long ret)
{
	if (ret >= 0) {
		lua_pushinteger(L, ret);
		return 1;
	}
	lua_pushnil(L);
	lua_pushstring(L, strerrorname_np((int)-ret) ?
				  strerrorname_np((int)-ret) :
				  "EUNKNOWN");
	return 2;
}

/* ---- process handles ----------------------------------------------------- */

static void push_process(lua_State *L, struct task_struct *t)
{
	struct lproc *p = lua_newuserdatauv(L, sizeof(*p), 0);

	p->task = get_task_struct(t);
	luaL_setmetatable(L, PROCESS_MT);
}

static struct task_struct *check_process(lua_State *L, int idx)
{
	return ((struct lproc *)luaL_checkudata(L, idx, PROCESS_MT))->task;
}

/* The process whose method runs: it must be current, in its body. */
static struct task_struct *self(lua_State *L, const char *method)
{
	struct task_struct *t = check_process(L, 1);

	if (!in_task_body() || current->group_leader != t->group_leader)
		luaL_error(
			L,
			"p:%s(): a process's methods run as that process: call them from its own function",
			method);
	cost_charge(COST_SYSCALL);
	return t;
}

static int process_gc(lua_State *L)
{
	struct lproc *p = luaL_checkudata(L, 1, PROCESS_MT);

	/* The machine may be gone already (it is freed first). */
	if (p->task && scenario_of(L)->m)
		put_task_struct(p->task);
	p->task = NULL;
	return 0;
}

static int process_index(lua_State *L)
{
	struct task_struct *t = check_process(L, 1);
	const char *k = luaL_checkstring(L, 2);

	if (!strcmp(k, "pid"))
		lua_pushinteger(L, t->pid);
	else if (!strcmp(k, "comm"))
		lua_pushstring(L, t->comm);
	else if (!strcmp(k, "exited"))
		lua_pushboolean(L, t->exit_state || (t->flags & PF_EXITING));
	else {
		luaL_getmetafield(L, 1, "methods");
		lua_getfield(L, -1, k);
	}
	return 1;
}

/* ---- the threads' bodies ------------------------------------------------- */

static void scenario_fail(struct scenario *sc, const char *msg)
{
	if (sc->failed)
		return;
	sc->failed = true;
	snprintf(sc->err, sizeof(sc->err), "%s", msg ? msg : "(error)");
}

/* ---- the OOM killer: oom_score_adj ------------------------------------------ */

/* spawn{oom_score_adj = N}: written as root (the scenario's top level),
 * as a service manager sets it; that is also the floor the process may
 * lower it back to itself. */
static void spawn_oom_score_adj(lua_State *L, struct task_struct *t)
{
	lua_Integer adj;

	lua_getfield(L, 3, "oom_score_adj");
	if (!lua_isnil(L, -1)) {
		adj = luaL_checkinteger(L, -1);
		if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
			luaL_error(
				L,
				"spawn(): oom_score_adj %d is out of range (accepted: %d..%d)",
				(int)adj, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX);
		set_oom_score_adj(t, (int)adj, false);
	}
	lua_pop(L, 1);
}

/* p:oom_score_adj([n]): the process's oom_score_adj; with n, writes
 * /proc/self/oom_score_adj as the process (uid 1000: it may not go
 * below its floor) and returns the old value, or nil and EINVAL/EACCES. */
static int p_oom_score_adj(lua_State *L)
{
	int old = self(L, "oom_score_adj")->signal->oom_score_adj;
	char buf[32], err[256];
	long ret;

	if (!lua_isnoneornil(L, 2)) {
		snprintf(buf, sizeof(buf), "%lld",
			 (long long)luaL_checkinteger(L, 2));
		ret = proc_write("/proc/self/oom_score_adj", buf, err,
				 sizeof(err));
		if (ret)
			return push_result(L, ret);
	}
	lua_pushinteger(L, old);
	return 1;
}

/* A kernel panic halts the machine, and an interrupt (Ctrl-C) the run:
 * it stops as at a script error, with the panic or the interrupt as the
 * error. */
static bool scenario_halted(struct scenario *sc)
{
	char msg[sizeof(M->panic_msg) + 32];

	if (sc->failed)
		return true;
	if (sc->m && machine_halted()) {
		snprintf(msg, sizeof(msg), "Kernel panic - not syncing: %s",
			 M->panic_msg);
		scenario_fail(sc, msg);
	} else if (sc->cfg.interrupt && *sc->cfg.interrupt) {
		snprintf(msg, sizeof(msg), "interrupted at %.6f s",
			 sc->m ? (double)(M->clock_ns - sc->start_ns) /
					 NSEC_PER_SEC :
				 0.0);
		scenario_fail(sc, msg);
	}
	return sc->failed;
}

/* Every INTERRUPT_CHECK Lua instructions, in the top level and every
 * thread: Lua code that never calls into the machine stops too. */
#define INTERRUPT_CHECK 10000

static void interrupt_hook(lua_State *L, lua_Debug *ar)
{
	struct scenario *sc = scenario_of(L);

	(void)ar;
	if (scenario_halted(sc))
		luaL_error(L, "%s", sc->err);
}

static int lua_body(struct task_struct *p, void *arg)
{
	struct lthread *lt = arg;
	int nres, st;

	if (lt->done || scenario_halted(lt->sc)) {
		/* The run is stopping: the thread waits as it is. */
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
		return TASK_BODY_RUN;
	}
	st = lua_resume(lt->co, lt->sc->L, lt->nargs, &nres);
	lt->nargs = 0;
	if (st == LUA_YIELD) {
		lua_pop(lt->co, nres);
		return (p->flags & PF_EXITING) ? TASK_BODY_EXIT : TASK_BODY_RUN;
	}
	lt->done = true;
	if (st != LUA_OK) {
		scenario_fail(lt->sc, lua_tostring(lt->co, -1));
		return lua_body(p, arg);
	}
	/* The function returned: main's return is exit(0). */
	if (lt->leader && !(p->flags & PF_EXITING))
		sys_exit_group(0);
	return TASK_BODY_EXIT;
}

/* A thread of task t running fn (at index fn_idx of L) with its handle
 * as argument. */
static void start_lthread(lua_State *L, struct task_struct *t, int fn_idx,
			  bool leader)
{
	struct scenario *sc = scenario_of(L);
	struct lthread *lt = calloc(1, sizeof(*lt));

	if (!lt)
		luaL_error(L, "out of host memory");
	lt->sc = sc;
	lt->task = t;
	lt->leader = leader;
	lt->co = lua_newthread(L);
	lt->co_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pushvalue(L, fn_idx);
	lua_xmove(L, lt->co, 1);
	push_process(L, t);
	lua_xmove(L, lt->co, 1);
	lt->nargs = 1;
	sc->threads = grow(sc->threads, &sc->threads_cap, sc->nthreads,
			   sizeof(*sc->threads));
	sc->threads[sc->nthreads++] = lt;
	task_body_set(t, lua_body, lt);
}

static void record_process(struct scenario *sc, struct task_struct *t)
{
	sc->procs =
		grow(sc->procs, &sc->procs_cap, sc->nprocs, sizeof(*sc->procs));
	sc->procs[sc->nprocs++] = (struct scenario_proc){
		.task = get_task_struct(t),
	};
}

/* The new task id (or -errno) runs the function at index 2 with its
 * handle; a new process is recorded for the report. Returns the handle. */
static int start_child(lua_State *L, long id, bool process)
{
	struct task_struct *t;

	if (id < 0)
		return push_result(L, id);
	t = find_task_by_vpid((pid_t)id);
	start_lthread(L, t, 2, process);
	if (process)
		record_process(scenario_of(L), t);
	push_process(L, t);
	return 1;
}

/* ---- the machine --------------------------------------------------------- */

static enum hrtimer_restart sample_fn(struct hrtimer *timer)
{
	struct scenario *sc =
		container_of(timer, struct scenario, sample_timer);

	sc->cfg.sample(sc->cfg.ctx, M->clock_ns - sc->start_ns, true);
	hrtimer_forward_now(timer, sc->cfg.sample_ns);
	return HRTIMER_RESTART;
}

/* Boots the machine on first use: machine{}'s config, the command
 * line's options on top, then init and kthreadd. */
static void need_machine(lua_State *L)
{
	struct scenario *sc = scenario_of(L);
	char err[256] = "";

	if (sc->m)
		return;
	if (sc->cfg.machine_overrides &&
	    !sc->cfg.machine_overrides(&sc->mcfg, sc->cfg.ctx, err,
				       sizeof(err)))
		luaL_error(L, "%s", err);
	sc->m = machine_boot(&sc->mcfg, err, sizeof(err));
	if (!sc->m)
		luaL_error(L, "cannot boot the machine: %s", err);
	if (!rest_init(err, sizeof(err)))
		luaL_error(L, "%s", err);
	sc->start_ns = M->clock_ns;
	if (sc->cfg.sample)
		sc->cfg.sample(sc->cfg.ctx, 0, true);
	if (sc->cfg.sample_ns && sc->cfg.sample) {
		hrtimer_setup(&sc->sample_timer, sample_fn);
		hrtimer_start_on(&sc->sample_timer,
				 M->clock_ns + sc->cfg.sample_ns, 0);
	}
}

/* machine{ram = "2G", cpus = 4, ...}: any machine option by name. */
static int l_machine(lua_State *L)
{
	struct scenario *sc = scenario_of(L);
	char err[256];

	luaL_checktype(L, 1, LUA_TTABLE);
	if (sc->m)
		luaL_error(
			L,
			"machine{}: the machine is booted already (call machine{} before anything that uses it)");
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		const char *key, *value;

		lua_pushvalue(L, -2);
		key = luaL_checkstring(L, -1);
		value = luaL_tolstring(L, -2, NULL);
		/* The config keeps the strings: the registry keeps them. */
		lua_pushvalue(L, -1);
		luaL_ref(L, LUA_REGISTRYINDEX);
		if (!machine_config_set(&sc->mcfg, key, value, err,
					sizeof(err)))
			luaL_error(L, "machine{}: %s", err);
		lua_pop(L, 3);
	}
	return 0;
}

/* sysctl{["vm.swappiness"] = 10}: writes /proc/sys/vm/swappiness. */
static int l_sysctl(lua_State *L)
{
	char path[256], err[256];

	luaL_checktype(L, 1, LUA_TTABLE);
	need_machine(L);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		const char *key, *value;
		int ret;

		lua_pushvalue(L, -2);
		key = luaL_checkstring(L, -1);
		value = luaL_tolstring(L, -2, NULL);
		snprintf(path, sizeof(path), "/proc/sys/%s", key);
		for (char *c = path + 10; *c; c++)
			if (*c == '.')
				*c = '/';
		err[0] = '\0';
		ret = proc_write(path, value, err, sizeof(err));
		if (ret)
			luaL_error(L, "sysctl{}: %s = %s: %s", key, value,
				   err[0] ? err : strerror(-ret));
		lua_pop(L, 3);
	}
	return 0;
}

/* ---- swap (mm/swapfile.c) ------------------------------------------------- */

/* swapon{size = "1G" [, disk = "nvme"|"ssd"|"hdd"] [, file = PATH]
 * [, priority = N]}: makes a swap area (a disk of its own, or a host
 * file) and swaps it on; returns its name for swapoff(), or nil and the
 * errno name. */
static int l_swapon(lua_State *L)
{
	const char *disk, *file, *path;
	char err[256], why[160];
	uint64_t size;
	lua_Integer prio;
	int flags = 0, ret;

	luaL_checktype(L, 1, LUA_TTABLE);
	need_machine(L);
	lua_getfield(L, 1, "size");
	if (lua_isnil(L, -1))
		luaL_error(L,
			   "swapon{}: size is required (e.g. size = \"1G\")");
	if (!parse_size(luaL_checkstring(L, -1), &size, why, sizeof(why)))
		luaL_error(L, "swapon{}: size: %s", why);
	lua_getfield(L, 1, "disk");
	disk = luaL_optstring(L, -1, NULL);
	lua_getfield(L, 1, "file");
	file = luaL_optstring(L, -1, NULL);
	lua_getfield(L, 1, "priority");
	if (!lua_isnil(L, -1)) {
		prio = luaL_checkinteger(L, -1);
		if (prio < 0 || prio > SWAP_FLAG_PRIO_MASK)
			luaL_error(
				L,
				"swapon{}: priority %d: out of range (accepted: 0..32767)",
				(int)prio);
		flags = SWAP_FLAG_PREFER | (int)prio;
	}
	ret = mkswap(size, disk, file, &path, err, sizeof(err));
	if (ret == -EINVAL)
		luaL_error(L, "swapon{}: %s", err);
	if (!ret)
		ret = (int)sys_swapon(path, flags);
	if (ret)
		return push_result(L, ret);
	lua_pushstring(L, path);
	return 1;
}

/* swapoff(name): 0, or nil and the errno name (ENOMEM when the pages
 * cannot come back, EINVAL for a name that is not swapped on). */
static int l_swapoff(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);

	need_machine(L);
	return push_result(L, sys_swapoff(name));
}

static void check_top_level(lua_State *L, const char *what)
{
	if (in_task_body())
		luaL_error(
			L,
			"%s: only the script's top level may call this, not a process's function",
			what);
}

/* spawn(name, fn [, {nice = N, policy = "fifo", priority = P,
 * oom_score_adj = N}]): a new process, forked by init, running fn(p). */
static int l_spawn(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	struct exec_image img;
	struct task_struct *t;
	int err;

	luaL_checktype(L, 2, LUA_TFUNCTION);
	check_top_level(L, "spawn()");
	need_machine(L);
	exec_image_default(&img, name, 0x10000, 0x1000, 0x1000);
	set_current_task(NULL);
	t = spawn_user_process(find_task_by_vpid(1), &img, &err);
	if (!t)
		return push_result(L, err);
	if (lua_istable(L, 3)) {
		struct sched_param sp = { 0 };
		int policy;

		lua_getfield(L, 3, "nice");
		if (!lua_isnil(L, -1))
			set_user_nice(t, (long)luaL_checkinteger(L, -1));
		spawn_oom_score_adj(L, t);
		lua_getfield(L, 3, "priority");
		sp.sched_priority = (int)luaL_optinteger(L, -1, 0);
		lua_getfield(L, 3, "policy");
		if (!lua_isnil(L, -1)) {
			policy = (int)check_flags(L, lua_gettop(L),
						  policy_names,
						  ARRAY_SIZE(policy_names),
						  "SCHED_");
			if (sched_setscheduler_nocheck(t, policy, &sp))
				luaL_error(L,
					   "spawn(): bad policy or priority");
		}
		lua_pop(L, 3);
	}
	return start_child(L, t->pid, true);
}

/* Whether any process the script started may still do something. */
static bool scenario_can_progress(struct scenario *sc, bool *all_done)
{
	bool any = false;

	*all_done = true;
	for (size_t i = 0; i < sc->nprocs; i++) {
		struct task_struct *p = sc->procs[i].task, *t;

		if (p->exit_state || (p->flags & PF_EXITING)) {
			sc->procs[i].exited = true;
			continue;
		}
		*all_done = false;
		for_each_thread(p, t) if (t->__state == TASK_RUNNING ||
					  t->__state == TASK_UNINTERRUPTIBLE ||
					  hrtimer_is_queued(&t->body.timer))
			any = true;
	}
	return any;
}

/* Runs the machine until the clock reads until, stopping early at a
 * script error or, with stop_when_done, when every process has ended or
 * sleeps with nothing to wake it. */
static void run_machine(lua_State *L, uint64_t until, bool stop_when_done)
{
	struct scenario *sc = scenario_of(L);
	uint64_t step;
	bool all_done;

	while (!scenario_halted(sc) && M->clock_ns < until) {
		if (stop_when_done && !scenario_can_progress(sc, &all_done)) {
			if (!all_done && sc->cfg.out)
				fprintf(sc->cfg.out,
					"run: at %.6f s every process is asleep with nothing to wake it; stopping\n",
					(double)(M->clock_ns - sc->start_ns) /
						NSEC_PER_SEC);
			break;
		}
		step = M->clock_ns + RUN_SLICE_NS;
		/* Nothing to run: on to the next timer, however far. */
		if (sched_machine_idle())
			step = max(step, hrtimer_next_expiry());
		sched_run_until(min(until, step));
		if (sc->cfg.sample)
			sc->cfg.sample(sc->cfg.ctx, M->clock_ns - sc->start_ns,
				       false);
	}
	scenario_can_progress(sc, &all_done);
}

/* run{until = T} (since boot) or run{["for"] = D}; run{} runs until
 * every process has ended. */
static int l_run(lua_State *L)
{
	uint64_t until = UINT64_MAX;
	bool has_limit = false;

	check_top_level(L, "run{}");
	need_machine(L);
	if (lua_istable(L, 1)) {
		lua_getfield(L, 1, "until");
		if (!lua_isnil(L, -1)) {
			until = scenario_of(L)->start_ns + check_ns(L, -1);
			has_limit = true;
		}
		lua_getfield(L, 1, "for");
		if (!lua_isnil(L, -1)) {
			until = M->clock_ns + check_ns(L, -1);
			has_limit = true;
		}
		lua_pop(L, 2);
	}
	set_current_task(NULL);
	run_machine(L, until, !has_limit);
	if (scenario_of(L)->failed) /* stop the script too */
		return luaL_error(L, "%s", scenario_of(L)->err);
	return 0;
}

/* now(): virtual ns since boot. */
static int l_now(lua_State *L)
{
	need_machine(L);
	lua_pushinteger(L,
			(lua_Integer)(M->clock_ns - scenario_of(L)->start_ns));
	return 1;
}

static int cat_path(lua_State *L, const char *path)
{
	struct seq_file m;
	int ret;

	seq_init(&m);
	ret = proc_read(path, &m);
	if (ret) {
		seq_release(&m);
		return push_result(L, ret);
	}
	lua_pushstring(L, seq_text(&m));
	seq_release(&m);
	return 1;
}

/* The bytes one pread() may ask for: 8M pagemap entries, 32 GiB of
 * address space. */
#define PREAD_MAX (64L << 20)

/* pread(2) of path: arguments 2 and 3 (after the path at 1) of the Lua
 * call are count and offset (base is the index of the path). A string of
 * the bytes read ("" at the end), or nil and the errno name. */
static int pread_path(lua_State *L, int base)
{
	const char *path = luaL_checkstring(L, base);
	lua_Integer count = luaL_checkinteger(L, base + 1);
	lua_Integer off = luaL_checkinteger(L, base + 2);
	luaL_Buffer b;
	long ret;

	luaL_argcheck(L, count >= 0 && count <= PREAD_MAX, base + 1,
		      "count must be 0..67108864 bytes");
	luaL_argcheck(L, off >= 0, base + 2, "offset must be >= 0");
	ret = proc_pread(path, luaL_buffinitsize(L, &b, (size_t)count),
			 (size_t)count, (unsigned long long)off);
	if (ret < 0)
		return push_result(L, ret);
	luaL_pushresultsize(&b, (size_t)ret);
	return 1;
}

/* echo(value, path): writes value to a /proc or /sys file as root, as
 * `echo VALUE > PATH` would: true, or nil and the errno name ("ENOENT",
 * "EACCES", "EINVAL"...) with the kernel's reason as a third value. */
static int l_echo(lua_State *L)
{
	const char *value = luaL_tolstring(L, 1, NULL);
	const char *path = luaL_checkstring(L, 2);
	char err[256] = "";
	int ret;

	need_machine(L);
	if (!in_task_body())
		set_current_task(NULL);
	ret = proc_write(path, value, err, sizeof(err));
	if (!ret) {
		lua_pushboolean(L, 1);
		return 1;
	}
	push_result(L, ret);
	lua_pushstring(L, err);
	return 3;
}

/* cat(path): a /proc file's text (nil, "ENOENT" if there is none). */
static int l_cat(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);

	need_machine(L);
	if (!in_task_body())
		set_current_task(NULL);
	return cat_path(L, path);
}

/* pread(path, count, offset): count bytes of a /proc file from offset,
 * as root outside any process: /proc/PID/pagemap's entries. */
static int l_pread(lua_State *L)
{
	need_machine(L);
	if (!in_task_body())
		set_current_task(NULL);
	return pread_path(L, 1);
}

/* kill(p or pid, sig): from outside, as root. */
static int l_kill(lua_State *L)
{
	long pid = lua_isinteger(L, 1) ? (long)lua_tointeger(L, 1) :
					 check_process(L, 1)->tgid;
	int sig = check_signal(L, 2);

	check_top_level(L, "kill()");
	need_machine(L);
	set_current_task(NULL);
	return push_result(L, sys_kill((pid_t)pid, sig));
}

static int l_print(lua_State *L)
{
	struct scenario *sc = scenario_of(L);
	int n = lua_gettop(L);

	for (int i = 1; i <= n; i++) {
		const char *s = luaL_tolstring(L, i, NULL);

		if (sc->cfg.out)
			fprintf(sc->cfg.out, "%s%s", i > 1 ? "\t" : "", s);
		lua_pop(L, 1);
	}
	if (sc->cfg.out)
		fputc('\n', sc->cfg.out);
	return 0;
}

/* ---- process methods: the address space ---------------------------------- */

/* p:mmap(length [, prot [, flags [, addr]]]) or p:mmap{length =, prot =,
 * flags =, addr =}. Flags default to "private|anonymous". */
static int p_mmap(lua_State *L)
{
	unsigned long len, prot, flags, addr = 0;

	self(L, "mmap");
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "length");
		lua_getfield(L, 2, "prot");
		lua_getfield(L, 2, "flags");
		lua_getfield(L, 2, "addr");
		lua_remove(L, 2);
	}
	len = check_size(L, 2);
	prot = check_prot(L, 3);
	flags = lua_isnoneornil(L, 4) ?
			MAP_PRIVATE | MAP_ANONYMOUS :
			check_flags(L, 4, map_names, ARRAY_SIZE(map_names),
				    "MAP_");
	if (!lua_isnoneornil(L, 5))
		addr = check_addr(L, 5);
	return push_result(L, sys_mmap(addr, len, prot, flags,
				       (unsigned long)-1, 0));
}

static int p_munmap(lua_State *L)
{
	self(L, "munmap");
	return push_result(L, sys_munmap(check_addr(L, 2), check_size(L, 3)));
}

static int p_mprotect(lua_State *L)
{
	self(L, "mprotect");
	return push_result(L, sys_mprotect(check_addr(L, 2), check_size(L, 3),
					   check_prot(L, 4)));
}

/* p:mremap(addr, old_len, new_len [, "maymove|fixed" [, new_addr]]) */
static int p_mremap(lua_State *L)
{
	static const struct lname names[] = {
		{ "maymove", MREMAP_MAYMOVE },
		{ "fixed", MREMAP_FIXED },
		{ "dontunmap", MREMAP_DONTUNMAP },
	};
	unsigned long flags = 0;

	self(L, "mremap");
	if (!lua_isnoneornil(L, 5))
		flags = check_flags(L, 5, names, ARRAY_SIZE(names), "MREMAP_");
	return push_result(
		L, sys_mremap(check_addr(L, 2), check_size(L, 3),
			      check_size(L, 4), flags,
			      lua_isnoneornil(L, 6) ? 0 : check_addr(L, 6)));
}

/* p:brk([addr]): the break after the call (brk(0) asks for it). */
static int p_brk(lua_State *L)
{
	self(L, "brk");
	return push_result(
		L, sys_brk(lua_isnoneornil(L, 2) ? 0 : check_addr(L, 2)));
}

static int p_madvise(lua_State *L)
{
	self(L, "madvise");
	return push_result(L,
			   sys_madvise(check_addr(L, 2), check_size(L, 3),
				       (int)check_flags(L, 4, madv_names,
							ARRAY_SIZE(madv_names),
							"MADV_")));
}

static int p_mlock(lua_State *L)
{
	self(L, "mlock");
	return push_result(L, sys_mlock(check_addr(L, 2), check_size(L, 3)));
}

static int p_munlock(lua_State *L)
{
	self(L, "munlock");
	return push_result(L, sys_munlock(check_addr(L, 2), check_size(L, 3)));
}

/* The program's own access went wrong: its fault signal is sent, and it
 * dies at its next step (the coroutine is never resumed). */
static int die_of_fault(lua_State *L)
{
	send_sig(current->fault_sig.signo ? current->fault_sig.signo : SIGSEGV,
		 current);
	return lua_yield(L, 0);
}

/* p:read and p:write: the copy, resumed after each sleep in D for a
 * page on swap (user_access_resumable); the state and bytes live in
 * userdata at stack slot 4. */
static int copy_continue(lua_State *L, int status, lua_KContext ctx)
{
	struct user_copy_state *c = lua_touserdata(L, 4);
	int ret;

	(void)status;
	(void)ctx;
	ret = user_access_resumable(c);
	if (ret == -EAGAIN)
		return lua_yieldk(L, 0, 0, copy_continue);
	if (ret)
		return die_of_fault(L);
	if (c->write)
		return 0;
	lua_pushlstring(L, c->buf, c->len);
	return 1;
}

static int copy_user(lua_State *L, unsigned long addr, const void *src,
		     size_t len)
{
	struct user_copy_state *c;

	lua_settop(L, 3);
	c = lua_newuserdatauv(L, sizeof(*c) + len, 0);
	*c = (struct user_copy_state){
		.addr = addr, .buf = c + 1, .len = len, .write = src != NULL
	};
	if (src)
		memcpy(c->buf, src, len);
	return copy_continue(L, LUA_OK, 0);
}

/* p:read(addr, len): the bytes, loaded by the program itself. */
static int p_read(lua_State *L)
{
	unsigned long addr, len;

	self(L, "read");
	addr = check_addr(L, 2);
	len = check_size(L, 3);
	luaL_argcheck(L, len <= MAX_READ, 3, "at most 1M at a time");
	return copy_user(L, addr, NULL, len);
}

/* p:write(addr, bytes): stored by the program itself. */
static int p_write(lua_State *L)
{
	size_t len;
	unsigned long addr;
	const char *s;

	self(L, "write");
	addr = check_addr(L, 2);
	s = luaL_checklstring(L, 3, &len);
	return copy_user(L, addr, s, len);
}

static const struct lname pattern_names[] = {
	{ "seq", TOUCH_SEQ },	{ "random", TOUCH_RANDOM },
	{ "zipf", TOUCH_ZIPF }, { "stride", TOUCH_STRIDE },
	{ "loop", TOUCH_LOOP },
};

static int touch_continue(lua_State *L, int status, lua_KContext ctx);

/* p:touch{addr =, length =, pattern = "seq", write = false, count =,
 * stride =, theta =}: the program's loads or stores; returns the
 * accesses made and the page faults they took. */
static int p_touch(lua_State *L)
{
	struct touch_args a = { 0 };
	struct touch_state *st;
	char err[256];

	self(L, "touch");
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_getfield(L, 2, "addr");
	a.addr = check_addr(L, -1);
	lua_getfield(L, 2, "length");
	a.length = check_size(L, -1);
	lua_getfield(L, 2, "pattern");
	a.pattern = lua_isnil(L, -1) ? TOUCH_SEQ :
				       (enum touch_pattern)check_flags(
					       L, lua_gettop(L), pattern_names,
					       ARRAY_SIZE(pattern_names), "");
	lua_getfield(L, 2, "write");
	a.write = lua_toboolean(L, -1);
	lua_getfield(L, 2, "count");
	a.count = lua_isnil(L, -1) ? 0 : check_size(L, -1);
	lua_getfield(L, 2, "stride");
	a.stride = lua_isnil(L, -1) ? 0 : check_size(L, -1);
	lua_getfield(L, 2, "theta");
	a.theta = luaL_optnumber(L, -1, 0);
	lua_settop(L, 2);
	a.seed = get_random_u64();
	st = lua_newuserdatauv(L, sizeof(*st), 0);
	if (touch_init(st, &a, err, sizeof(err)))
		luaL_error(L, "p:touch(): %s", err);
	return touch_continue(L, LUA_OK, 0);
}

static int touch_continue(lua_State *L, int status, lua_KContext ctx)
{
	struct touch_state *st = lua_touserdata(L, 3);

	(void)status;
	(void)ctx;
	switch (touch_run(st, TICK_NSEC)) {
	case TOUCH_MORE:
	case TOUCH_BLOCKED: /* asleep in D until the I/O is done */
		return lua_yieldk(L, 0, 0, touch_continue);
	case TOUCH_SIGNAL:
		return die_of_fault(L);
	case TOUCH_DONE:
		break;
	}
	lua_pushinteger(L, (lua_Integer)st->done);
	lua_pushinteger(L, (lua_Integer)st->faults);
	return 2;
}

/* ---- process methods: processes and time --------------------------------- */

/* p:fork(fn): a child process running fn(child); returns the child. */
static int p_fork(lua_State *L)
{
	self(L, "fork");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	return start_child(L, sys_fork(), true);
}

/* p:clone(fn): a thread of p's process running fn(thread). */
static int p_clone(lua_State *L)
{
	self(L, "clone");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	return start_child(L,
			   sys_clone(CLONE_VM | CLONE_FS | CLONE_FILES |
					     CLONE_SIGHAND | CLONE_THREAD |
					     CLONE_SYSVSEM,
				     0),
			   false);
}

/* p:exec(name): a new program image (text, data, bss, a fresh stack);
 * the function goes on as the new program. */
static int p_exec(lua_State *L)
{
	struct exec_image img;

	self(L, "exec");
	exec_image_default(&img, luaL_checkstring(L, 2), 0x10000, 0x1000,
			   0x1000);
	return push_result(L, kernel_execve(&img));
}

/* p:exit([code]): exit_group; the function ends here. */
static int p_exit(lua_State *L)
{
	self(L, "exit");
	sys_exit_group((int)luaL_optinteger(L, 2, 0));
	return lua_yield(L, 0);
}

static int wait_continue(lua_State *L, int status, lua_KContext ctx);

/* p:wait([pid [, "nohang|untraced|continued"]]): reaps a child or reports
 * its stop or continue: pid, exit code (nil unless it exited), the
 * killing or stopping signal's name, and what happened ("exited",
 * "killed", "stopped", "continued"); 0 with nohang when nothing
 * happened; nil, "ECHILD" when there is no child. */
static int p_wait(lua_State *L)
{
	static const struct lname names[] = {
		{ "nohang", WNOHANG },
		{ "untraced", WUNTRACED },
		{ "continued", WCONTINUED },
	};
	int32_t pid = (int32_t)luaL_optinteger(L, 2, -1);
	uint32_t options = 0;

	self(L, "wait");
	if (!lua_isnoneornil(L, 3))
		options = (uint32_t)check_flags(L, 3, names, ARRAY_SIZE(names),
						"W");
	return wait_continue(L, LUA_OK,
			     (lua_KContext)((uint64_t)options << 32 |
					    (uint32_t)pid));
}

static int wait_continue(lua_State *L, int status, lua_KContext ctx)
{
	int wstatus = 0, sig = 0;
	long ret = sys_wait4((int32_t)(uint32_t)ctx, &wstatus,
			     (int)((uint64_t)ctx >> 32), NULL);
	const char *how = "continued";

	(void)status;
	if (ret == -ERESTARTSYS)
		return lua_yieldk(L, 0, ctx, wait_continue);
	if (ret <= 0)
		return push_result(L, ret);
	lua_pushinteger(L, ret);
	if (WIFEXITED(wstatus)) {
		lua_pushinteger(L, WEXITSTATUS(wstatus));
		how = "exited";
	} else {
		lua_pushnil(L);
	}
	if (WIFSIGNALED(wstatus)) {
		sig = WTERMSIG(wstatus);
		how = "killed";
	} else if (WIFSTOPPED(wstatus)) {
		sig = WSTOPSIG(wstatus);
		how = "stopped";
	}
	if (sig)
		lua_pushfstring(L, "SIG%s", sigabbrev_np(sig));
	else
		lua_pushnil(L);
	lua_pushstring(L, how);
	return 4;
}

static int sleep_continue(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	if (M->clock_ns >= (uint64_t)ctx)
		return 0;
	/* Not yet (woken early): sleep the rest, as nanosleep restarts. */
	hrtimer_nanosleep((uint64_t)ctx, HRTIMER_MODE_ABS);
	return lua_yieldk(L, 0, ctx, sleep_continue);
}

/* p:sleep(duration) */
static int p_sleep(lua_State *L)
{
	self(L, "sleep");
	return sleep_continue(L, LUA_OK,
			      (lua_KContext)(M->clock_ns + check_ns(L, 2)));
}

static int compute_continue(lua_State *L, int status, lua_KContext ctx)
{
	uint64_t left = (uint64_t)ctx, now = min(left, TICK_NSEC);

	(void)status;
	if (!left)
		return 0;
	/* A tick at a time, so that signals come between the pieces. */
	compute(now);
	return lua_yieldk(L, 0, (lua_KContext)(left - now), compute_continue);
}

/* p:compute(duration): CPU time in user mode. */
static int p_compute(lua_State *L)
{
	self(L, "compute");
	return compute_continue(L, LUA_OK, (lua_KContext)check_ns(L, 2));
}

static int p_yield(lua_State *L)
{
	self(L, "yield");
	sys_sched_yield();
	return lua_yield(L, 0);
}

static int p_nice(lua_State *L)
{
	self(L, "nice");
	return push_result(L, sys_nice((int)luaL_checkinteger(L, 2)));
}

/* A CPU list as Linux writes one ("0-2,5") into mask; false if bad. */
static bool parse_cpulist(const char *s, unsigned long *mask)
{
	const unsigned bits = 8 * sizeof(*mask);

	do {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s || *s == '-' || *s == '+')
			return false;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || *s == '-' || *s == '+' || b < a)
				return false;
		}
		if (b >= NR_CPUS)
			return false;
		for (; a <= b; a++)
			mask[a / bits] |= 1UL << (a % bits);
		s = end;
	} while (*s++ == ',');
	return !s[-1];
}

/* p:setaffinity("0-1,3") or p:setaffinity(cpu): sched_setaffinity of
 * the calling thread. */
static int p_setaffinity(lua_State *L)
{
	unsigned long mask[NR_CPUS / (8 * sizeof(unsigned long))] = { 0 };
	const char *list;

	self(L, "setaffinity");
	list = luaL_checkstring(L, 2);
	if (!parse_cpulist(list, mask))
		return luaL_error(L, "bad argument #2: bad CPU list '%s'",
				  list);
	return push_result(L, sys_sched_setaffinity(0, sizeof(mask), mask));
}

/* p:setscheduler(policy [, priority]) */
static int p_setscheduler(lua_State *L)
{
	struct sched_param sp;
	int policy;

	self(L, "setscheduler");
	policy = (int)check_flags(L, 2, policy_names, ARRAY_SIZE(policy_names),
				  "SCHED_");
	sp.sched_priority = (int)luaL_optinteger(L, 3, 0);
	return push_result(L, sys_sched_setscheduler(0, policy, &sp));
}

/* p:kill(target, sig): target a process or a pid. */
static int p_kill(lua_State *L)
{
	long pid;

	self(L, "kill");
	pid = lua_isinteger(L, 2) ? (long)lua_tointeger(L, 2) :
				    check_process(L, 2)->tgid;
	return push_result(L, sys_kill((pid_t)pid, check_signal(L, 3)));
}

/* p:cat(path): a /proc file as p reads it (/proc/self is p). */
static int p_cat(lua_State *L)
{
	self(L, "cat");
	return cat_path(L, luaL_checkstring(L, 2));
}

/* p:pread(path, count, offset): pread(2) of a /proc file as p reads it
 * (/proc/self/pagemap is p's). */
static int p_pread(lua_State *L)
{
	self(L, "pread");
	return pread_path(L, 2);
}

/* ---- setting up ---------------------------------------------------------- */

static void register_api(lua_State *L, struct scenario *sc)
{
	static const luaL_Reg methods[] = {
		{ "mmap", p_mmap },
		{ "munmap", p_munmap },
		{ "mprotect", p_mprotect },
		{ "mremap", p_mremap },
		{ "brk", p_brk },
		{ "madvise", p_madvise },
		{ "mlock", p_mlock },
		{ "munlock", p_munlock },
		{ "read", p_read },
		{ "write", p_write },
		{ "touch", p_touch },
		{ "fork", p_fork },
		{ "clone", p_clone },
		{ "exec", p_exec },
		{ "exit", p_exit },
		{ "wait", p_wait },
		{ "sleep", p_sleep },
		{ "compute", p_compute },
		{ "yield", p_yield },
		{ "nice", p_nice },
		{ "setaffinity", p_setaffinity },
		{ "setscheduler", p_setscheduler },
		{ "kill", p_kill },
		{ "cat", p_cat },
		{ "pread", p_pread },
		{ "oom_score_adj", p_oom_score_adj },
		{ NULL, NULL },
	};
	static const luaL_Reg globals[] = {
		{ "machine", l_machine }, { "sysctl", l_sysctl },
		{ "spawn", l_spawn },	  { "run", l_run },
		{ "now", l_now },	  { "cat", l_cat },
		{ "echo", l_echo },	  { "kill", l_kill },
		{ "print", l_print },	  { "swapon", l_swapon },
		{ "swapoff", l_swapoff }, { "pread", l_pread },
		{ NULL, NULL },
	};

	lua_pushlightuserdata(L, sc);
	lua_setfield(L, LUA_REGISTRYINDEX, "mmsim.scenario");
	luaL_newmetatable(L, PROCESS_MT);
	lua_pushcfunction(L, process_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, process_gc);
	lua_setfield(L, -2, "__gc");
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "methods");
	lua_pop(L, 1);
	lua_pushglobaltable(L);
	luaL_setfuncs(L, globals, 0);
	lua_pop(L, 1);
}

struct scenario *scenario_new(const struct scenario_config *cfg)
{
	struct scenario *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return NULL;
	sc->cfg = *cfg;
	machine_config_default(&sc->mcfg);
	sc->L = luaL_newstate();
	if (!sc->L) {
		free(sc);
		return NULL;
	}
	luaL_openlibs(sc->L);
	register_api(sc->L, sc);
	if (cfg->interrupt) /* threads made later inherit it */
		lua_sethook(sc->L, interrupt_hook, LUA_MASKCOUNT,
			    INTERRUPT_CHECK);
	return sc;
}

/* Runs the chunk loaded with status st (see scenario_run_file()). */
static int scenario_run(struct scenario *sc, int st, char *err, size_t errlen)
{
	lua_State *L = sc->L;

	if (st == LUA_OK)
		st = lua_pcall(L, 0, 0, 0);
	if (st == LUA_OK && !sc->failed && sc->m) {
		/* The script's end: the processes run to their end. */
		lua_pushcfunction(L, l_run);
		st = lua_pcall(L, 0, 0, 0);
	}
	if (sc->failed) {
		snprintf(err, errlen, "%s", sc->err);
		return -1;
	}
	if (st != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}

int scenario_run_file(struct scenario *sc, const char *path, char *err,
		      size_t errlen)
{
	return scenario_run(sc, luaL_loadfile(sc->L, path), err, errlen);
}

int scenario_run_string(struct scenario *sc, const char *name, const char *text,
			char *err, size_t errlen)
{
	char chunk[256];

	snprintf(chunk, sizeof(chunk), "@%s", name);
	return scenario_run(sc,
			    luaL_loadbuffer(sc->L, text, strlen(text), chunk),
			    err, errlen);
}

struct machine *scenario_machine(const struct scenario *sc)
{
	return sc->m;
}

uint64_t scenario_start_ns(const struct scenario *sc)
{
	return sc->start_ns;
}

const struct scenario_proc *scenario_procs(const struct scenario *sc, size_t *n)
{
	*n = sc->nprocs;
	return sc->procs;
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	if (sc->m) {
		machine_destroy(sc->m);
		sc->m = NULL; /* handles collected below need not let go */
	}
	lua_close(sc->L);
	for (size_t i = 0; i < sc->nthreads; i++)
		free(sc->threads[i]);
	free(sc->threads);
	free(sc->procs);
	free(sc);
}
