# mmsim vmtest: the strace-like lines of the memory system calls, the
# seed-notes experiment (16 MiB mapped: VmSize +16384 kB, VmRSS the same;
# four pages written: RssAnon +16 kB, minflt +4), expressions and $N,
# reads and writes, a fatal fault, /proc files through cat, and the
# errors of bad scripts (FILE:LINE, exit status 2, nothing run).
set -eu
. "$(dirname "$0")/lib.bash"

# vmtest_run [OPTIONS...]: runs the script in $TMP/script.vm, without
# address-space randomisation (the addresses below are exact).
vmtest_run() {
	run vmtest -o kernel.randomize_va_space=0 "$@" "$TMP/script.vm"
}

# status_kb FIELD N: the value of FIELD in the N-th status that stdout
# shows (1-based).
status_kb() {
	awk -v f="$1:" -v n="$2" '$1 == f && ++seen == n { print $2 }' "$TMP/out"
}

# stat_field FIELD N: field FIELD of the N-th /proc/PID/stat line.
stat_field() {
	awk -v f="$1" -v n="$2" '/^[0-9]+ \(vmtest\) / && ++seen == n { print $f }' "$TMP/out"
}

expect_out_line() {
	grep -qxF -- "$1" "$TMP/out" ||
		fail "expected the line: $1"
}

run vmtest --help
expect_rc 0
expect_first_line out "Usage: mmsim vmtest [OPTIONS] FILE"
for word in --ram --cpus --help mmap munmap mprotect mremap brk madvise \
	mlock mlockall mincore touch read write fork vfork clone switch \
	exit wait cat dmesg; do
	expect_line out "(^| )$word "
done

# The seed-notes experiment.
cat >"$TMP/script.vm" <<'EOF'
# map 16 MiB: the address space grows, not the resident set
cat /proc/self/status
cat /proc/self/stat
mmap 0 16M rw- MAP_PRIVATE|MAP_ANONYMOUS
cat /proc/self/status
touch $1 16K w   # four pages written
cat /proc/self/status
cat /proc/self/stat
EOF
vmtest_run
expect_rc 0
[ -z "$err" ] || fail "expected nothing on stderr"
expect_out_line "mmap(NULL, 16777216, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff6fff000"
expect_out_line "touch 0x7ffff6fff000 16384 w: 4 page faults"
[ "$(status_kb VmSize 2)" -eq $(($(status_kb VmSize 1) + 16384)) ] ||
	fail "expected VmSize to grow by 16384 kB"
[ "$(status_kb VmRSS 2)" -eq "$(status_kb VmRSS 1)" ] ||
	fail "expected VmRSS unchanged by the mmap"
[ "$(status_kb RssAnon 3)" -eq $(($(status_kb RssAnon 2) + 16)) ] ||
	fail "expected RssAnon to grow by 16 kB"
[ "$(status_kb VmRSS 3)" -eq $(($(status_kb VmRSS 2) + 16)) ] ||
	fail "expected VmRSS to grow by 16 kB"
[ "$(stat_field 10 2)" -eq $(($(stat_field 10 1) + 4)) ] ||
	fail "expected minflt (stat field 10) to grow by 4"
expect_out_line "$(printf 'VmSize:\t   16596 kB')"
expect_out_line "$(printf 'Name:\tvmtest')"

# Results, expressions, errors, brk, read and write, maps and smaps.
cat >"$TMP/script.vm" <<'EOF'
mmap 0 4M rw- PRIVATE|ANONYMOUS
mmap 0x10000000 8K PROT_READ 0x22
munmap $1+1 4K
munmap 0 0
mmap 0 0 rw- MAP_PRIVATE|MAP_ANONYMOUS
brk NULL
brk $last+8K
brk $6-4K
write $1+0x10 "hi\tthere\n\x01"
read $1 32
touch $2 8K r
cat /proc/self/maps
cat /proc/1/smaps_rollup
mprotect $1 4K r--
mincore $1 64K
EOF
vmtest_run
expect_rc 0
expect_out_line "mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7bff000"
expect_out_line "mmap(0x10000000, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x10000000"
expect_out_line "munmap(0x7ffff7bff001, 4096) = -1 EINVAL (Invalid argument)"
expect_out_line "munmap(NULL, 0) = -1 EINVAL (Invalid argument)"
expect_out_line "mmap(NULL, 0, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)"
expect_out_line "brk(NULL) = 0x414000"
expect_out_line "brk(0x416000) = 0x416000"
expect_out_line "brk(0x413000) = 0x416000"
expect_out_line 'write 0x7ffff7bff010 "hi\tthere\n\x01": 1 page fault'
expect_out_line "read 0x7ffff7bff000 32: 0 page faults"
expect_out_line "7ffff7bff000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|"
expect_out_line "7ffff7bff010  68 69 09 74 68 65 72 65  0a 01 00 00 00 00 00 00  |hi.there........|"
# a read maps the zero page: two faults, no resident pages
expect_out_line "touch 0x10000000 8192 r: 2 page faults"
expect_line out '^mprotect\(0x7ffff7bff000, 4096, PROT_READ\) = '
expect_line out '^mincore\(0x7ffff7bff000, 65536, '
expect_out_line "00414000-00416000 rw-p 00000000 00:00 0                                  [heap]"
expect_out_line "10000000-10002000 r--p 00000000 00:00 0 "
expect_out_line "7ffff7bff000-7ffff7fff000 rw-p 00000000 00:00 0 "
expect_out_line "00400000-7ffffffff000 ---p 00000000 00:00 0                              [rollup]"
# the page written and the stack's
expect_out_line "Rss:                   8 kB"

# A fatal fault: strace's signal lines, then the process is gone.
cat >"$TMP/script.vm" <<'EOF'
mmap 0 4K r-- MAP_PRIVATE|MAP_ANONYMOUS
touch $1 4K w
touch $1 4K
EOF
vmtest_run
expect_rc 2
expect_out_line "touch 0x7ffff7ffe000 4096 w: 0 page faults"
expect_out_line "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7ffff7ffe000} ---"
expect_out_line "+++ killed by SIGSEGV +++"
expect_first_line err "mmsim vmtest: $TMP/script.vm:3: touch: process 1 has exited (use 'switch PID')"

# dmesg shows the kernel's segfault line (and, pid 1 being init, the
# panic Linux would have).
cat >"$TMP/script.vm" <<'EOF'
touch 0x1000 1
dmesg
EOF
vmtest_run
expect_rc 0
expect_out_line "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x1000} ---"
expect_line out '^\[ *[0-9]+\.[0-9]{6}\] vmtest\[1\]: segfault at 1000 ip 0+ sp 0+ error 6 '
[ "$(grep -c segfault "$TMP/out")" -eq 1 ] || fail "expected one segfault line"

# fork (once it exists): the child shares the pages copy-on-write (PSS
# halves), lines carry "[pid N] ", the zombie waits for wait4.
cat >"$TMP/script.vm" <<'EOF'
mmap 0 16K rw- MAP_PRIVATE|MAP_ANONYMOUS
touch $1 16K
fork
switch $2
cat /proc/self/smaps_rollup
exit 7
switch 1
cat /proc/2/status
wait $2
EOF
vmtest_run
expect_rc 0
expect_out_line "fork() = 2"
expect_out_line "Rss:                  20 kB"
expect_out_line "Pss:                  10 kB"
expect_out_line "Shared_Dirty:         20 kB"
expect_out_line "[pid 2] exit_group(7) = ?"
expect_out_line "[pid 2] +++ exited with 7 +++"
expect_out_line "$(printf 'State:\tZ (zombie)')"
expect_out_line "[pid 1] wait4(2, [{WIFEXITED(s) && WEXITSTATUS(s) == 7}], 0, NULL) = 2"

# vfork: the parent sleeps until its child exits
printf 'vfork\nbrk 0\n' >"$TMP/script.vm"
vmtest_run
expect_rc 2
expect_out_line "vfork() = 2"
expect_first_line err "mmsim vmtest: $TMP/script.vm:2: brk: process 1 is asleep (as a vfork parent is until its child exits) (use 'switch PID')"
printf 'vfork\nswitch $1\nexit 0\nswitch 1\nbrk 0\n' >"$TMP/script.vm"
vmtest_run
expect_rc 0
expect_out_line "[pid 2] +++ exited with 0 +++"
expect_out_line "[pid 1] brk(NULL) = 0x414000"

# The script from stdin; a missing /proc file is reported, the rest runs.
printf 'cat /proc/self/nope\nbrk 0\n' >"$TMP/in"
run vmtest -o kernel.randomize_va_space=0 - <"$TMP/in"
expect_rc 1
expect_first_line err "mmsim vmtest: <stdin>:1: cat /proc/self/nope: No such file or directory"
expect_out_line "brk(NULL) = 0x414000"

# The machine options apply: i386's layout.
printf 'mmap 0 4K rw- MAP_PRIVATE|MAP_ANONYMOUS\ncat /proc/self/maps\n' >"$TMP/script.vm"
vmtest_run --arch i386 --ram 512M
expect_rc 0
expect_out_line "bffdf000-c0000000 rw-p 00000000 00:00 0          [stack]"

# Mistakes: every one named with its line, nothing run, status 2.
cat >"$TMP/script.vm" <<'EOF'
mmap 0 16M rw- MAP_PRIVATE|MAP_ANONYMOUS
frobnicate 1 2
mmap 0 16Q rw- MAP_PRIVATE
munmap $5 4K
touch $1 4K x
write $1 "unterminated
mprotect $1 4K PROT_READ|PROT_BOGUS
madvise $1 4K MADV_DONTNEED|MADV_FREE
mmap 0
munlockall 1
touch $last+ 4K
mmap 99999999999999999999 4K rw- 0
cat proc/self/maps
EOF
vmtest_run
expect_rc 2
[ -z "$out" ] || fail "expected nothing on stdout: nothing runs"
f="mmsim vmtest: $TMP/script.vm"
expect_first_line err "$f:2: unknown command 'frobnicate' (try 'mmsim vmtest --help')"
expect_line err "^$f:3: '16Q' is not a number"
expect_line err "^$f:4: '\\\$5': there are only 2 system calls before this line$"
expect_line err "^$f:5: 'x': expected r or w$"
expect_line err "^$f:6: unterminated string"
expect_line err "^$f:7: 'PROT_BOGUS' is not a PROT_\\* flag or a number$"
expect_line err "^$f:8: 'MADV_DONTNEED\\|MADV_FREE': one MADV_ value, not a set$"
expect_line err "^$f:9: mmap: expected ADDR LEN PROT FLAGS \\[FD OFFSET\\]$"
expect_line err "^$f:10: munlockall: expected no arguments$"
expect_line err "^$f:11: missing value in an expression$"
expect_line err "^$f:12: '99999999999999999999' is too large$"
expect_line err "^$f:13: 'proc/self/maps': expected an absolute path"
[ "$(wc -l <"$TMP/err")" -eq 12 ] || fail "expected 12 errors"

printf '$last\n' >"$TMP/script.vm"
vmtest_run
expect_rc 2
printf 'brk $last\n' >"$TMP/script.vm"
vmtest_run
expect_rc 2
expect_first_line err "mmsim vmtest: $TMP/script.vm:1: \$last: no system call has returned a value yet"

# Files and options.
run vmtest "$TMP/does-not-exist"
expect_rc 2
expect_first_line err "mmsim vmtest: $TMP/does-not-exist: No such file or directory"
printf 'brk 0\n\0\n' >"$TMP/script.vm"
vmtest_run
expect_rc 2
expect_first_line err "mmsim vmtest: $TMP/script.vm: not a text file (it has NUL bytes)"
run vmtest
expect_rc 2
expect_first_line err "mmsim vmtest: no FILE given (try 'mmsim vmtest --help')"
run vmtest a b
expect_rc 2
expect_first_line err "mmsim vmtest: unexpected argument 'b' (try 'mmsim vmtest --help')"
run vmtest --ram 1M "$TMP/script.vm"
expect_rc 2
printf '' >"$TMP/script.vm"
vmtest_run
expect_rc 0
[ -z "$out$err" ] || fail "expected no output for an empty script"

pass
