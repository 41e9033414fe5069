# mmsim --help, --version, no arguments, unknown commands, subcommand help.
set -eu
. "$(dirname "$0")/lib.bash"

run --help
expect_rc 0
expect_first_line out "Usage: mmsim COMMAND [OPTIONS]"
for c in boot demo bench slabtop; do
	expect_line out "^  $c "
done
expect_line out "Run 'mmsim COMMAND --help' for details"

run --version
expect_rc 0
expect_first_line out "mmsim 0.1.0 (models Linux 6.16 memory management)"

run
expect_rc 2
expect_first_line err "Usage: mmsim COMMAND [OPTIONS]"
[ -z "$out" ] || fail "expected nothing on stdout"

run frobnicate
expect_rc 2
expect_first_line err "mmsim: unknown command 'frobnicate' (try 'mmsim --help')"

run boot --help
expect_rc 0
expect_first_line out "Usage: mmsim boot [OPTIONS]"
for opt in --ram --nodes --cpus --arch --kernel-size --slab -o --cat --quiet; do
	expect_line out "^  $opt "
done
expect_line out "64M\.\.128G on x86_64"
expect_line out "min_free_kbytes"

run demo --help
expect_rc 0
expect_first_line out "Usage: mmsim demo [OPTIONS]"
expect_line out "^  --ram "

pass
