#!/usr/bin/env bash
# bench/phploop/run.sh [ROOT]: PHP's cost per WebSocket message event, without
# network or Go: start()'s loop over a stub library (next.c) that hands out
# message events. Prints the time per event (best of 5 runs; noisy on a
# loaded machine) and, with valgrind, the instructions per event (the
# difference of two runs, exact enough to compare two versions of php/).
# ROOT: the checkout whose php/ is measured (default: this one).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "${1:-$here/../..}" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Every function of the header but server_next(), returning 0.
grep -oE '^[a-z_0-9]+[ *]+\**[a-z_0-9]+\(' "$here/../../capi/swoole_shim.h" |
    sed -E 's/.*[ *]([a-z_0-9]+)\($/\1/' | sort -u | grep -vx 'server_next' |
    awk 'BEGIN { print "static char handle[64];" }
        $0 == "server_new" { print "long long server_new(void) { return (long long) handle; }"; next }
        { print "long long " $0 "(void) { return 0; }" }' >"$out/stubs.c"
cc -shared -fPIC -O2 -I"$here/../../capi" -o "$out/libstub.so" "$out/stubs.c" "$here/next.c"

run() { # run EVENTS [wrapper...]
    local n=$1
    shift
    STUB_EVENTS=$n SWOOLE_SHIM_LIB="$out/libstub.so" "$@" php -d ffi.enable=1 \
        -d auto_prepend_file="$root/php/bootstrap.php" "$here/loop.php"
}
for _ in 1 2 3 4 5; do run 200000; done | sort -n | head -1
if command -v valgrind >/dev/null; then
    count() { run "$1" valgrind --tool=lackey --basic-counts=yes 2>&1 | sed -n 's/.*guest instrs: *//p' | tr -d ,; }
    a=$(count 2000)
    b=$(count 12000)
    echo "$(((b - a) / 10000)) instructions per message event"
fi
