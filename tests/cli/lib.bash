# Helpers sourced by the CLI shell tests (tests/cli/*.sh). Not a test
# itself: the name does not end in .sh. Every test gets the mmsim binary
# as $1 and fails with what was expected and what it got.

MMSIM=${1:?usage: bash TEST.sh /path/to/mmsim}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# run ARGS...: runs mmsim; sets $rc, $out (stdout) and $err (stderr).
run() {
	set +e
	"$MMSIM" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	set -e
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
	cmd="mmsim $*"
}

fail() {
	echo "FAIL: $cmd" >&2
	printf '  %s\n' "$@" >&2
	echo "  --- stdout (first 20 lines):" >&2
	head -n 20 "$TMP/out" >&2
	echo "  --- stderr:" >&2
	cat "$TMP/err" >&2
	exit 1
}

expect_rc() {
	[ "$rc" -eq "$1" ] || fail "expected exit status $1, got $rc"
}

expect_failure() {
	[ "$rc" -ne 0 ] || fail "expected a non-zero exit status, got 0"
}

# expect_first_line STREAM TEXT: STREAM is out or err.
expect_first_line() {
	local got
	got=$(head -n 1 "$TMP/$1")
	[ "$got" = "$2" ] ||
		fail "expected first line of std$1: '$2'" "got: '$got'"
}

# expect_first_line_prefix STREAM TEXT: the first line starts with TEXT.
expect_first_line_prefix() {
	local got
	got=$(head -n 1 "$TMP/$1")
	[ "${got#"$2"}" != "$got" ] ||
		fail "expected first line of std$1 to start with: '$2'" \
			"got: '$got'"
}

# expect_line STREAM REGEX: some line of STREAM matches the ERE.
expect_line() {
	grep -Eq -- "$2" "$TMP/$1" ||
		fail "expected a line of std$1 matching: $2"
}

expect_no_line() {
	! grep -Eq -- "$2" "$TMP/$1" ||
		fail "expected no line of std$1 matching: $2" \
			"got: $(grep -E -m1 -- "$2" "$TMP/$1")"
}

# A benchmark table's figures: ns/op with two decimals, a ratio with
# three.
num='[0-9]+\.[0-9]{2}'
ratio='[0-9]+\.[0-9]{3}'

# expect_bench_json NAME ROWS TIMED...: stdout is the --json report of
# `mmsim bench NAME`, ROWS results in all, with a timed result (every
# figure a number) for each TIMED name; nothing on stderr.
expect_bench_json() {
	local bench=$1 lines=$(($2 + 5)) name res
	shift 2
	expect_first_line out "{"
	expect_line out "^  \"bench\": \"$bench\",$"
	expect_line out '^  "results": \[$'
	res='"ns_per_op": [0-9.]+, "reference": "[^"]+", "reference_ns_per_op": [0-9.]+, "ratio": [0-9.]+\}'
	for name in "$@"; do
		expect_line out "^    \{\"name\": \"$name\", $res,?$"
	done
	[ "$(printf '%s\n' "$out" | wc -l)" -eq "$lines" ] ||
		fail "expected $lines lines of JSON"
	[ "$(printf '%s\n' "$out" | tail -n 1)" = "}" ] || fail "expected '}' last"
	[ -z "$err" ] || fail "expected nothing on stderr"
}

pass() {
	echo "PASS: $(basename "$0")"
}
