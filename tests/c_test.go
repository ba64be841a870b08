package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// buildC compiles a C program against the library and its header.
func buildC(t *testing.T, src string) string {
	t.Helper()
	lib := filepath.Join(root, "build")
	if _, err := os.Stat(filepath.Join(lib, "libswoole_shim.so")); err != nil {
		if out, err := exec.Command(filepath.Join(root, "build.sh"), "lib").CombinedOutput(); err != nil {
			t.Fatalf("build.sh lib: %v\n%s", err, out)
		}
	}
	bin := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(src), ".c"))
	cmd := exec.Command("cc", "-Wall", "-Wextra", "-Werror", "-o", bin, src,
		"-I"+filepath.Join(root, "capi"), "-L"+lib, "-lswoole_shim", "-Wl,-rpath,"+lib)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	return bin
}

func TestCEchoServer(t *testing.T) {
	bin := buildC(t, filepath.Join(root, "examples/c/echo_server.c"))
	port := freePort(t)
	p := startProc(t, nil, bin, strconv.Itoa(port))
	p.waitPort(port)
	ws := dialWS(t, port)
	if got := readText(t, ws); got != "hello, welcome\n" {
		t.Fatalf("welcome %q", got)
	}
	ws.WriteMessage(2, []byte("bin\x00ary"))
	if mt, msg, err := ws.ReadMessage(); err != nil || mt != 2 || string(msg) != "server: bin\x00ary" {
		t.Fatalf("echo %d %q %v", mt, msg, err)
	}
	if ce := closeWS(t, ws, 4001, "done"); ce.Code != 4001 || ce.Text != "done" {
		t.Fatalf("close echo %v", ce)
	}
	p.waitOutput("Message: bin\x00ary\nclient-1 is closed, WebSocket status is 3\n")
}

// TestCAPIMisuse calls the API with NULL, bogus and freed handles and bad
// arguments: each call fails with an error code and message, none crashes,
// not even a length no memory can hold (a Go panic inside the library).
func TestCAPIMisuse(t *testing.T) {
	bin := buildC(t, filepath.Join(root, "examples/c/echo_server.c"))
	p := startProc(t, nil, bin, "--misuse")
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, p.errOut())
	}
	want := `server_new(NULL) = NULL
push(NULL) = -1, error 9001: invalid server handle
push(bogus) = -1, error 9001: invalid server handle
start(NULL) = -1, error 9001: invalid server handle
server_port(NULL) = -1, error 9001: invalid server handle
server_exist(bogus, 1) = 0, error 9001: invalid server handle
server_is_established(NULL, 1) = 0, error 9001: invalid server handle
server_connection_count(bogus) = -1, error 9001: invalid server handle
timer_clear(NULL, 1) = -1, error 9001: invalid server handle
timer_info(bogus, 1) = -1, error 9001: invalid server handle
timer_list(NULL) = -1, error 9001: invalid server handle
response_writable(bogus, 1) = 0, error 9001: invalid server handle
response_create(NULL, 1) = 0, error 9001: invalid server handle
server_free(bogus): error 9001: invalid server handle
frame_unpack(NULL) = -1, error 9002: NULL argument
frame_pack(frame, SIZE_MAX) = 0, error 9002: internal error: runtime error: unsafe.Slice: len out of range
frame_unpack(frame, SIZE_MAX) = -1, error 9002: internal error: runtime error: unsafe.Slice: len out of range
swoole_last_error_msg(buf, SIZE_MAX) = 0, error 9002: internal error: runtime error: unsafe.Slice: len out of range
on(srv, NULL) = -1, error 9002: event name is NULL
on(srv, "bogus") = -1, error 510: unknown event types[bogus]
get_client_info(srv, 1, NULL) = -1, error 9002: info is NULL
get_client_info(srv, 1) = -1, error 1005: session#1 does not exists
push(srv, 1, NULL, 5) = -1, error 9002: data is NULL
server_client_list(srv, 0, NULL) = -1, error 9002: out is NULL or capacity is not positive
server_client_list(srv, 0, fds) = 0, error 9002: out is NULL or capacity is not positive
start(srv) without message = -1, error 9003: require onMessage callback
server_set(srv, "nope") = -1, error 9002: unsupported option [nope]
response_end(srv, 42) = -1, error 7106: http context is unavailable (maybe it has been ended or detached)
server_shutdown(srv) before start = -1, error 9003: server is not running
server_begin(srv) = 0, error 9003: server is not running
start(srv) after server_begin = -1, error 9003: server is already started
server_hold(NULL) = -1, error 9001: invalid server handle
server_hold(srv) with nothing in flight = 0, error 9001: invalid server handle
server_release(srv, 12345) = -1, error 9002: no held event #12345
server_log(bogus) = -1, error 9001: invalid server handle
push(freed) = -1, error 9001: invalid server handle
server_exist(freed, 1) = 0, error 9001: invalid server handle
timer_list(freed) = -1, error 9001: invalid server handle
response_writable(freed, 1) = 0, error 9001: invalid server handle
server_free(freed): error 9001: invalid server handle
`
	if got := p.out(); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
