#!/usr/bin/env bash
# Check mmsim's build dependencies; install missing Debian packages when
# run as root, otherwise print the apt-get command and fail.
# MMSIM_DEPS_AS_USER=1 forces the non-root path (for testing).
set -u

missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_pc() {
	if ! command -v pkg-config >/dev/null 2>&1 ||
	   ! pkg-config --exists "$1"; then
		missing+=("$2")
	fi
}

need_cmd cmake cmake
need_cmd pkg-config pkg-config
need_cmd cc gcc
need_cmd make make
need_pc cmocka libcmocka-dev
need_pc lua5.4 liblua5.4-dev
need_pc libzstd libzstd-dev

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && [ -z "${MMSIM_DEPS_AS_USER:-}" ] &&
   command -v apt-get >/dev/null 2>&1; then
	echo "mmsim: installing missing build dependencies: ${missing[*]}"
	apt-get update &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" ||
		exit 1
	exit 0
fi

printf 'mmsim: missing build dependencies; run:\n  sudo apt-get install -y %s\n' \
	"${missing[*]}" >&2
exit 1
