# `mmsim run examples/thrashing.lua`: loops that fit show no memory
# pressure and no swap; loops that do not fit refault (activated and
# restored by workingset detection), stall on memory and I/O in
# /proc/pressure, and make far fewer steps in the same virtual time.
set -eu
. "$(dirname "$0")/lib.bash"
EX="$(dirname "$0")/../../examples"

run run "$EX/thrashing.lua"
expect_rc 0
zero="avg10=0.00 avg60=0.00 avg300=0.00 total=0"
for f in memory io; do
	grep -A2 -x "fits:   /proc/pressure/$f:" "$TMP/out" >"$TMP/fits"
	grep -qx "some $zero" "$TMP/fits" && grep -qx "full $zero" "$TMP/fits" ||
		fail "phase 1: expected no $f pressure"
	grep -A2 -x "thrash: /proc/pressure/$f:" "$TMP/out" >"$TMP/thrash"
	grep -Eq "^some avg10=[0-9.]+ avg60=[0-9.]+ avg300=[0-9.]+ total=[1-9][0-9]*$" "$TMP/thrash" &&
		grep -Eq "^full avg10=[0-9.]+ avg60=[0-9.]+ avg300=[0-9.]+ total=[1-9][0-9]*$" "$TMP/thrash" ||
		fail "phase 2: expected $f pressure (some and full totals above 0)"
done
for k in pswpin pswpout pgmajfault workingset_refault_anon \
	workingset_activate_anon workingset_restore_anon; do
	expect_line out "^fits:   $k +0$"
	expect_line out "^thrash: $k +[1-9][0-9]*$"
done
# avg10 climbs while the thrashing goes on
expect_line out "^thrash: at  8\.[0-9] s: memory some avg10=([1-9][0-9]*\.[0-9]+|0\.[0-9]*[1-9][0-9]*), full avg10="
# the refaults are the pages read back; restored ones were activated
get() { sed -n "s/^thrash: $1 \+\([0-9]\+\)$/\1/p" "$TMP/out"; }
[ "$(get workingset_refault_anon)" = "$(get pswpin)" ] ||
	fail "expected workingset_refault_anon = pswpin"
[ "$(get workingset_restore_anon)" -le "$(get workingset_activate_anon)" ] &&
	[ "$(get workingset_activate_anon)" -le "$(get workingset_refault_anon)" ] ||
	fail "expected restore <= activate <= refault"
# progress collapses: at least ten times fewer steps
line=$(grep -E "^the same 4 s made [0-9]+ steps when the working sets fit, [0-9]+ when they did not: [0-9]+ times fewer$" "$TMP/out") ||
	fail "expected the closing comparison line"
fit=$(echo "$line" | sed 's/.* made \([0-9]*\) steps.*/\1/')
thrash=$(echo "$line" | sed 's/.*fit, \([0-9]*\) when.*/\1/')
[ "$thrash" -gt 0 ] && [ $((thrash * 10)) -lt "$fit" ] ||
	fail "expected at least 10 times fewer steps: $fit and $thrash"
expect_line out "^ +[0-9]+ exit 0 +[0-9]+ +[1-9][0-9]* .* thrash1$"
expect_line out "^ +[0-9]+ exit 0 +[0-9]+ +0 .* fit1$"
echo "ok"
