#!/usr/bin/env bash
# build.sh: build, test, run and benchmark swoole-shim.
#   ./build.sh lib      build build/libswoole_shim.so (and its header)
#   (lib, demo and test first install what they need and the machine lacks,
#    through apt-get as root; otherwise they name the command to run)
#   ./build.sh demo     build, then run the chat demo on 127.0.0.1:9501
#   ./build.sh test     build, then run every test (the README's test command)
#   ./build.sh bench    benchmark against a plain Go gorilla server; writes docs/PERFORMANCE.md's table
#   ./build.sh soak [DURATION]   soak the PHP server (default 5m): memory and fds must not grow
#   ./build.sh install PREFIX   install the library, header and pkg-config file under PREFIX
#   ./build.sh clean    remove build/
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
BUILD="$ROOT/build"

# setup PURPOSE: install what PURPOSE (lib, demo or test) needs and this machine
# lacks: Debian's packages through apt-get when run as root, else one line
# naming the command to run. Go itself comes from go.dev (Debian's is too old).
setup() {
	export PATH="$PATH:/usr/local/go/bin"
	if ! command -v go >/dev/null 2>&1; then
		echo "build.sh: Go 1.26 is needed: install it from https://go.dev/dl/ into /usr/local/go" >&2
		exit 1
	fi
	# command:package pairs; the first is the library's build.
	local want="gcc:gcc php:php8.2-cli"
	if [ "$1" = test ]; then
		want="$want curl:curl phpcs:php-codesniffer composer:composer pkg-config:pkg-config chromium:chromium npm:npm"
		want="$want redis-server:redis-server"
	fi
	local missing="" pair
	for pair in $want; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
	done
	# libc6-dev: cgo's headers; php8.2-cli carries FFI, pcntl and posix.
	[ -e /usr/include/stdlib.h ] || missing="$missing libc6-dev"
	# phpredis: the scale-out test's processes use it, as Swoole chats do.
	if [ "$1" = test ] && ! { command -v php >/dev/null 2>&1 && php -r 'exit(extension_loaded("redis") ? 0 : 1);'; }; then
		missing="$missing php8.2-redis"
	fi
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "build.sh: installing$missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends$missing ca-certificates >/dev/null
	else
		echo "build.sh: missing$missing; run: sudo apt-get install -y$missing" >&2
		exit 1
	fi
}

lib() {
	setup lib
	mkdir -p "$BUILD"
	go build -buildmode=c-shared -trimpath -o "$BUILD/libswoole_shim.so" ./capi
	rm -f "$BUILD/libswoole_shim.h" # cgo's generated header; capi/swoole_shim.h is the API (tests/header_test.go holds them together)
	cp capi/swoole_shim.h "$BUILD/swoole_shim.h"
}

case "${1:-test}" in
lib) lib ;;
demo)
	setup demo
	lib
	exec "$ROOT/bin/php-swoole" "$ROOT/examples/chat/server.php"
	;;
test)
	setup test
	lib
	go vet ./...
	for f in $(find php examples -name '*.php'); do php -l "$f" >/dev/null; done
	phpcs -q
	go test -count=1 ./...
	go test -count=1 -race ./core/...
	go test -run '^$' -fuzz FuzzParse -fuzztime 200000x ./core/http1
	go test -run '^$' -fuzz FuzzReader -fuzztime 500000x ./core/wsframe
	go test -run '^$' -fuzz FuzzConsume -fuzztime 50000x ./core
	(cd tests/browser && npm ci --no-audit --no-fund --silent && node --test)
	;;
bench)
	lib
	go build -o "$BUILD/bench" ./bench
	"$BUILD/bench" -root "$ROOT" -out "$BUILD/bench-results.md" "${@:2}"
	;;
install)
	prefix="${2:?usage: ./build.sh install PREFIX}"
	lib
	version=$(sed -n "s/^const SWOOLE_SHIM_VERSION = '\(.*\)';/\1/p" php/src/constants.php)
	install -D -m 755 "$BUILD/libswoole_shim.so" "$prefix/lib/libswoole_shim.so"
	install -D -m 644 capi/swoole_shim.h "$prefix/include/swoole_shim.h"
	mkdir -p "$prefix/lib/pkgconfig"
	cat >"$prefix/lib/pkgconfig/swoole-shim.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: swoole-shim
Description: Swoole-compatible WebSocket and HTTP server with a Go core
Version: $version
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -lswoole_shim
Cflags: -I\${includedir}
PC
	echo "installed under $prefix; use: cc app.c \$(pkg-config --cflags --libs swoole-shim)"
	;;
soak)
	lib
	go build -o "$BUILD/bench" ./bench
	"$BUILD/bench" -root "$ROOT" -soak "${2:-5m}"
	;;
clean) rm -rf "$BUILD" ;;
*)
	sed -n '2,10p' "$0" >&2
	exit 2
	;;
esac
