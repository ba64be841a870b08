#!/usr/bin/env bash
# build.sh: build, test, run and benchmark swoole-shim.
#   ./build.sh lib      build build/libswoole_shim.so (and its header)
#   ./build.sh demo     build, then run the chat demo on 127.0.0.1:9501
#   ./build.sh test     build, then run every test (the README's test command)
#   ./build.sh bench    benchmark against a plain Go gorilla server; writes docs/PERFORMANCE.md's table
#   ./build.sh clean    remove build/
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
BUILD="$ROOT/build"

lib() {
	mkdir -p "$BUILD"
	go build -buildmode=c-shared -trimpath -o "$BUILD/libswoole_shim.so" ./capi
	rm -f "$BUILD/libswoole_shim.h" # cgo's generated header; capi/swoole_shim.h is the API
	cp capi/swoole_shim.h "$BUILD/swoole_shim.h"
}

case "${1:-test}" in
lib) lib ;;
demo)
	lib
	exec "$ROOT/bin/php-swoole" "$ROOT/examples/chat/server.php"
	;;
test)
	lib
	go vet ./...
	go test -count=1 ./...
	go test -count=1 -race ./core/...
	;;
bench)
	lib
	go build -o "$BUILD/bench" ./bench
	"$BUILD/bench" -root "$ROOT" -out "$BUILD/bench-results.md" "${@:2}"
	;;
clean) rm -rf "$BUILD" ;;
*)
	sed -n '2,8p' "$0" >&2
	exit 2
	;;
esac
