package tests

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gorilla/websocket"
	"github.com/swoole-shim/swoole-shim/core/wsframe/wsframetest"
)

// TestPHPServerAPI drives tests/scripts/api.php through most of the
// WebSocket\Server, Request and Response API and checks every line it
// prints, every warning (at the script's file and line) and the bytes the
// clients get.
func TestPHPServerAPI(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/api.php")
	p, port := serve(t, script)

	ws := dialWS(t, port)
	if got := readText(t, ws); got != "hello, welcome\n" {
		t.Fatalf("welcome %q", got)
	}
	ws.WriteMessage(websocket.TextMessage, []byte("hi"))
	if got := readText(t, ws); got != "server: hi" {
		t.Fatalf("echo %q", got)
	}
	ws.WriteMessage(websocket.TextMessage, []byte("errors"))
	ws.WriteMessage(websocket.TextMessage, []byte("binary"))
	if mt, msg, err := ws.ReadMessage(); err != nil || mt != websocket.BinaryMessage || string(msg) != "\x00\x01" {
		t.Fatalf("binary push: %d %q %v", mt, msg, err)
	}
	ws.WriteMessage(websocket.TextMessage, []byte("throw"))
	ws.WriteMessage(websocket.TextMessage, []byte("again"))
	if got := readText(t, ws); got != "server: again" {
		t.Fatalf("after an exception: %q", got)
	}
	ws.WriteMessage(websocket.TextMessage, []byte("bye"))
	_, _, err := ws.ReadMessage()
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != 4000 || ce.Text != "bye" {
		t.Fatalf("disconnect: client saw %v", err)
	}

	out, code := curl(t, fmt.Sprintf("http://127.0.0.1:%d/p?a=1&b[]=2", port), "-H", "Cookie: x=1%202; y=2", "-d", "k=v&arr[x]=1")
	wantResp := "HTTP/1.1 201 Created\r\nX-Custom: yes\r\nX-Multi: a\r\nX-Multi: b\r\nSet-Cookie: sid=a+b; path=/; HttpOnly\r\n" +
		"Server: swoole-http-server\r\nDate: X\r\nConnection: keep-alive\r\nContent-Type: text/html\r\nContent-Length: 7\r\n\r\ncreated"
	if code != 0 || maskDate(out) != wantResp {
		t.Fatalf("response (curl exit %d):\n%q\nwant\n%q", code, out, wantResp)
	}
	curl(t, fmt.Sprintf("http://127.0.0.1:%d/stop", port))
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d", code)
	}

	wantOut := `bool(true)
array(1) {
  ["package_max_length"]=>
  int(1048576)
}
bool(false)
start
workerstart 0 0
connect 1 0
open 1
fd,streamId,header,server,cookie,get,files,post,tmpfiles
request_method,request_uri,path_info,request_time,request_time_float,server_protocol,server_port,remote_port,remote_addr,master_time
websocket_status,server_port,server_fd,socket_fd,socket_type,remote_port,remote_ip,reactor_id,connect_time,last_time,last_recv_time,last_send_time,last_dispatch_time,close_errno,recv_queued_bytes,send_queued_bytes
integer,integer,integer,integer,integer,integer,string,integer,integer,integer,double,double,double,integer,integer,integer
int(3)
string(9) "127.0.0.1"
bool(true)
bool(true)
array(1) {
  [0]=>
  int(1)
}
bool(false)
bool(false)
message 1 1 33 true hi
message 1 1 33 true errors
bool(false)
bool(false)
message 1 1 33 true binary
bool(true)
message 1 1 33 true throw
message 1 1 33 true again
message 1 1 33 true bye
close 1 -1 false 4
bool(true)
bool(false)
connect 2 0
array(2) {
  ["a"]=>
  string(1) "1"
  ["b"]=>
  array(1) {
    [0]=>
    string(1) "2"
  }
}
array(2) {
  ["k"]=>
  string(1) "v"
  ["arr"]=>
  array(1) {
    ["x"]=>
    string(1) "1"
  }
}
array(2) {
  ["x"]=>
  string(3) "1 2"
  ["y"]=>
  string(1) "2"
}
string(12) "k=v&arr[x]=1"
string(4) "POST"
a=1&b[]=2 /p application/x-www-form-urlencoded
bool(false)
bool(true)
bool(false)
bool(true)
bool(false)
close 2 0 false 0
connect 3 0
NULL
NULL
NULL
string(0) ""
string(3) "GET"
- /stop -
bool(false)
bool(true)
bool(false)
bool(true)
bool(false)
close 3 -1 false 0
workerstop 0
shutdown
bool(true)
after start
`
	// The last connection closes either way: by curl first (0) or by the
	// shutdown (-1).
	got := strings.Replace(p.out(), "close 3 0 false 0\n", "close 3 -1 false 0\n", 1)
	if got != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, wantOut)
	}

	wantErr := fmt.Sprintf(`PHP Warning:  Swoole\Server\Port::on(): unknown event types[nope] in %[1]s on line 6
PHP Warning:  Swoole\WebSocket\Server::push(): session#9999 does not exists in %[1]s on line 32
PHP Warning:  Swoole\WebSocket\Server::disconnect(): the connected client of connection[9999] is not a websocket client or closed in %[1]s on line 33
PHP Fatal error:  Uncaught LogicException: bad in %[1]s:39
Stack trace:
#0 [internal function]: {closure}()
#1 {main}
  thrown in %[1]s on line 39
PHP Warning:  Swoole\WebSocket\Server::push(): session#1 does not exists in %[1]s on line 42
PHP Warning:  Swoole\WebSocket\Server::push(): the connected client of connection[2] is not a websocket client or closed in %[1]s on line 51
PHP Warning:  Swoole\WebSocket\Server::push(): the connected client of connection[3] is not a websocket client or closed in %[1]s on line 51
`, script)
	if got := p.errOut(); got != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", got, wantErr)
	}
}

func TestStartWithoutCallback(t *testing.T) {
	for _, tt := range []struct{ class, want string }{
		{"Swoole\\WebSocket\\Server", "require onMessage callback"},
		{"Swoole\\Http\\Server", "require onRequest callback"},
	} {
		script := writeScript(t, fmt.Sprintf("<?php\n$s = new %s('127.0.0.1', 0);\n$s->start();\necho \"not reached\\n\";\n", tt.class))
		p := php(t, script)
		if code := p.wait(); code != 255 {
			t.Errorf("%s: exit code %d", tt.class, code)
		}
		want := fmt.Sprintf("PHP Fatal error:  Swoole\\Server::start(): %s in %s on line 3\n", tt.want, script)
		if p.errOut() != want || p.out() != "" {
			t.Errorf("%s: stderr %q stdout %q, want stderr %q", tt.class, p.errOut(), p.out(), want)
		}
	}
}

func TestPortInUse(t *testing.T) {
	port := freePort(t)
	script := writeScript(t, `<?php
$a = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
try {
    $b = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
} catch (Swoole\Exception $e) {
    echo get_class($e), '|', $e->getMessage(), '|', $e->getCode(), '|', $e->getLine(), "\n";
}
`)
	p := php(t, script, strconv.Itoa(port))
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, p.errOut())
	}
	// Swoole 6.1.9 prints the uncaught exception only: no
	// make_server_socket() WARNING line (issue 13).
	want := fmt.Sprintf("Swoole\\Exception|failed to listen server port[127.0.0.1:%d], Error: Address already in use[98]|98|4\n", port)
	if out := p.out(); out != want {
		t.Fatalf("stdout %q, want %q", out, want)
	}
}

// TestExitInCallback: exit() in a callback ends the process as PHP does,
// with its status and shutdown functions.
func TestExitInCallback(t *testing.T) {
	script := writeScript(t, `<?php
register_shutdown_function(function () {
    echo "shutdown function\n";
});
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->on('message', function ($ws, $frame) {
    echo "exiting\n";
    exit(3);
});
$ws->start();
`)
	p, port := serve(t, script)
	ws := dialWS(t, port)
	ws.WriteMessage(websocket.TextMessage, []byte("x"))
	if code := p.wait(); code != 3 {
		t.Fatalf("exit code %d, stderr %s", code, p.errOut())
	}
	if p.out() != "exiting\nshutdown function\n" || p.errOut() != "" {
		t.Fatalf("stdout %q stderr %q", p.out(), p.errOut())
	}
}

func TestLauncher(t *testing.T) {
	p := php(t, "--version")
	if code := p.wait(); code != 0 || p.out() != "php-swoole (swoole-shim 0.1.0, Swoole API 6.1.9)\n" {
		t.Fatalf("--version: %d %q", code, p.out())
	}

	// PHP without FFI: one clear line and exit code 1.
	dir := t.TempDir()
	noFFI := filepath.Join(dir, "php-no-ffi")
	os.WriteFile(noFFI, []byte("#!/bin/sh\nexec php -n \"$@\"\n"), 0o755)
	script := writeScript(t, "<?php\necho \"ran\\n\";\n")
	p = startProc(t, []string{"SWOOLE_SHIM_PHP=" + noFFI}, filepath.Join(root, "bin/php-swoole"), script)
	if code := p.wait(); code != 1 {
		t.Fatalf("without FFI: exit %d", code)
	}
	if want := "php-swoole: the PHP FFI extension is required (install php8.2-cli with FFI, or enable ffi)\n"; p.errOut() != want || p.out() != "" {
		t.Fatalf("without FFI: stderr %q stdout %q", p.errOut(), p.out())
	}
}

// TestPHPHTTPResponses checks write() (chunked), redirect(), close($fd)
// inside a request, a header value with CRLF, HTTP/1.0 and HEAD, byte for
// byte.
func TestPHPHTTPResponses(t *testing.T) {
	p, port := serve(t, filepath.Join(root, "tests/scripts/http.php"))
	get := func(req string) string { return rawExchange(t, port, req) }
	const tail = "Server: swoole-http-server\r\nDate: X\r\nConnection: close\r\nContent-Type: text/html\r\n"
	for _, tt := range []struct{ req, want string }{
		{"GET /chunked HTTP/1.1\r\nConnection: close\r\n\r\n",
			"HTTP/1.1 200 OK\r\n" + tail + "Transfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n1\r\n!\r\n0\r\n\r\n"},
		{"GET /redirect HTTP/1.1\r\nConnection: close\r\n\r\n",
			"HTTP/1.1 301 Moved Permanently\r\nLocation: /there\r\n" + tail + "Content-Length: 0\r\n\r\n"},
		{"GET /close-fd HTTP/1.1\r\n\r\n", ""},
		{"GET /bad-header HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 200 OK\r\n" + tail + "Content-Length: 2\r\n\r\nok"},
		{"GET /v10 HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n" + tail + "Content-Length: 12\r\n\r\nGET HTTP/1.0"},
		{"HEAD /h HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 200 OK\r\n" + tail + "Content-Length: 13\r\n\r\n"},
		{"GET /raw HTTP/1.1\r\nX-Case: Kept\r\nConnection: close\r\n\r\n",
			"HTTP/1.1 200 OK\r\n" + tail + "Content-Length: 54\r\n\r\nGET /raw HTTP/1.1\r\nX-Case: Kept\r\nConnection: close\r\n\r\n"},
		{"GET /trailer HTTP/1.1\r\nConnection: close\r\n\r\n",
			"HTTP/1.1 200 OK\r\n" + tail + "Transfer-Encoding: chunked\r\n\r\n4\r\ndata\r\n0\r\nX-Checksum: abc\r\n\r\n"},
	} {
		if got := get(tt.req); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.req, got, tt.want)
		}
	}
	// end() closes a connection that is not kept alive, running the close
	// callback inside the call: "close 1" comes before var_dump prints.
	p.waitOutput("close 1\nbool(true)\nbool(true)\nbool(false)\nbool(false)\nint(7106)\nclose 2\n" +
		"close 3\nbool(true)\nafter close\nbool(false)\nbool(true)\nclose 4\nclose 5\nclose 6\nclose 7\nclose 8\n")
	// The header with CR/LF is left out, with Swoole's warning.
	warning := `PHP Warning:  Swoole\Http\Response::end(): Header may not contain more than a single header, new line detected in ` +
		filepath.Join(root, "tests/scripts/http.php") + " on line 23\n"
	if p.errOut() != warning {
		t.Errorf("stderr %q", p.errOut())
	}

	// detach(), then Response::create() from a timer.
	head, _, c := rawHTTP(t, port, "GET /later HTTP/1.1\r\n\r\n")
	if want := "HTTP/1.1 200 OK\r\nServer: swoole-http-server\r\nDate: X\r\nConnection: keep-alive\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\n"; maskDate(head) != want {
		t.Fatalf("detached response: %q", head)
	}
	c.Close()
}

// TestPHPFeatures: timers, $server->connections, the ping/pong/close frame
// options, fragmented pushes, the heartbeat, and SIGTERM's graceful
// shutdown (close callbacks, BeforeShutdown, WorkerStop, Shutdown, start()
// returns true, exit code 0).
func TestPHPFeatures(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/features.php")
	p, port := serve(t, script)
	timers := "bool(true)\nbool(false)\nafter 1 2\ntick 1 x 1\ntick 1 x 2\ntick 1 x 3\nbool(true)\nbool(false)\n"
	p.waitOutput(timers)
	if want := fmt.Sprintf("PHP Warning:  Swoole\\Timer::after(): Timer must be greater than or equal to 1 in %s on line 23\n", script); p.errOut() != want {
		t.Fatalf("stderr %q, want %q", p.errOut(), want)
	}

	ws := dialWS(t, port)
	ws.WriteMessage(websocket.TextMessage, []byte("count"))
	ws.WriteControl(websocket.PingMessage, []byte("hi"), time.Now().Add(time.Second))
	ws.WriteControl(websocket.PongMessage, []byte("yo"), time.Now().Add(time.Second))
	ws.WriteMessage(websocket.TextMessage, []byte("fragments"))
	if got := readText(t, ws); got != "one two three" {
		t.Fatalf("fragments reassembled by the client: %q", got)
	}
	pinged := make(chan string, 1)
	ws.SetPingHandler(func(data string) error { pinged <- data; return nil })
	ws.WriteMessage(websocket.TextMessage, []byte("ping"))
	go ws.ReadMessage() // runs the ping handler
	select {
	case got := <-pinged:
		if got != "are you there" {
			t.Fatalf("ping %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no ping")
	}
	out := timers + "Swoole\\WebSocket\\Frame 1 33 636f756e74\ncount 1 true 3\nfd 1\n" +
		"Swoole\\WebSocket\\Frame 9 33 6869\nSwoole\\WebSocket\\Frame 10 33 796f\n" +
		"Swoole\\WebSocket\\Frame 1 33 667261676d656e7473\nSwoole\\WebSocket\\Frame 1 33 70696e67\n"
	p.waitOutput(out)

	// Clients that send nothing are closed by the heartbeat (idle 1s):
	// the WebSocket client above, then a raw TCP one.
	p.waitOutput(out + "close 1 0\n")
	out += "close 1 0\n"
	idle, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	idle.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := idle.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("idle connection: read %d, %v; want EOF", n, err)
	}
	out += "close 2 0\n"
	p.waitOutput(out)

	ws2 := dialWS(t, port)
	ws2.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4001, "later"), time.Now().Add(time.Second))
	out += "Swoole\\WebSocket\\CloseFrame 8 33 \nclose frame 4001 later\nclose 3 0\n" // data stays empty, as in Swoole
	p.waitOutput(out)

	ws4 := dialWS(t, port)
	ws4.WriteMessage(websocket.TextMessage, []byte("count"))
	out += "Swoole\\WebSocket\\Frame 1 33 636f756e74\ncount 1 true 3\nfd 4\n"
	p.waitOutput(out)
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM", code)
	}
	// fd 4 is still open: the shutdown closes it.
	out += "beforeshutdown\nclose 4 -1\nworkerstop\nshutdown\nbool(true)\nafter start\n"
	if p.out() != out {
		t.Fatalf("stdout:\n%s\nwant:\n%s", p.out(), out)
	}
}

func TestPHPFramePackUnpack(t *testing.T) {
	p := php(t, filepath.Join(root, "tests/scripts/frames.php"))
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d: %s", code, p.errOut())
	}
	want := "810568656c6c6f\n810568656c6c6f\n010568656c6c6f\n02026869\nlong ok\n880503e8627965\n" +
		"Swoole\\WebSocket\\Frame 1 0 false hey\nSwoole\\WebSocket\\CloseFrame 8 33 1000 ok\nbool(false)\nincompressible ok\n"
	if p.out() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", p.out(), want)
	}
}

// TestExceptionsEverywhere: a Throwable escaping any kind of callback is
// reported as PHP reports an uncaught exception, and the server goes on.
func TestExceptionsEverywhere(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/throws.php")
	p, port := serve(t, script)
	ws := dialWS(t, port)
	ws.WriteMessage(websocket.TextMessage, []byte("throw"))
	ws.WriteMessage(websocket.TextMessage, []byte("still here"))
	if got := readText(t, ws); got != "echo: still here" {
		t.Fatalf("after exceptions: %q", got)
	}
	// A Request callback that throws leaves its response open: the usual 500.
	out, _ := curl(t, fmt.Sprintf("http://127.0.0.1:%d/", port))
	if !strings.HasPrefix(out, "HTTP/1.1 500 Internal Server Error\r\n") {
		t.Fatalf("request: %q", out)
	}
	ws.Close()
	p.waitOutput("close 2\nclose 1\n")
	for _, where := range []string{"in workerStart", "in timer", "in connect", "in open", "in request", "in close"} {
		p.waitStderr(regexp.MustCompile(`PHP Fatal error:  Uncaught RuntimeException: ` + where + ` in ` + regexp.QuoteMeta(script) + `:\d+\nStack trace:\n`))
	}
	p.waitStderr(regexp.MustCompile(`PHP Fatal error:  Uncaught TypeError: in message in ` + regexp.QuoteMeta(script) + `:22\n`))
	ws2 := dialWS(t, port)
	ws2.WriteMessage(websocket.TextMessage, []byte("again"))
	if got := readText(t, ws2); got != "echo: again" {
		t.Fatalf("a new client after all that: %q", got)
	}
}

func TestPHPPingSendBind(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/extras.php")
	p, port := serve(t, script)
	ws := dialWS(t, port)
	pinged := make(chan string, 1)
	ws.SetPingHandler(func(data string) error { pinged <- data; return nil })
	ws.WriteMessage(websocket.TextMessage, []byte("ping"))
	ws.WriteMessage(websocket.TextMessage, []byte("send"))
	if got := readText(t, ws); got != "raw" {
		t.Fatalf("send(): %q", got)
	}
	if got := <-pinged; got != "hi" {
		t.Fatalf("ping(): %q", got)
	}
	ws.WriteMessage(websocket.TextMessage, []byte("bind"))
	if got := readText(t, ws); got != "bound" {
		t.Fatalf("bind: %q", got)
	}
	ws.WriteMessage(websocket.TextMessage, []byte("stats"))
	if got := readText(t, ws); got != "stats" {
		t.Fatalf("stats: %q", got)
	}
	p.waitOutput("bool(true)\nbool(false)\nbool(true)\nbool(false)\nbool(true)\nbool(false)\nuid 42\n" +
		"start_time,connection_num,abort_count,accept_count,close_count,worker_num,task_worker_num," +
		"user_worker_num,idle_worker_num,dispatch_count,request_count,response_count,total_recv_bytes," +
		"total_send_bytes,pipe_packet_msg_id,concurrency,session_round,min_fd,max_fd,worker_request_count," +
		"worker_response_count,worker_dispatch_count,worker_concurrency,coroutine_num,coroutine_peek_num\n" +
		"1 1 1 counted bytes coroutines\n")
	ws.WriteMessage(websocket.TextMessage, []byte("scalar"))
	for _, want := range []string{"42", "1.5"} {
		if got := readText(t, ws); got != want {
			t.Fatalf("push of a scalar: %q, want %q", got, want)
		}
	}
	ws.WriteMessage(websocket.TextMessage, []byte("reset"))
	if _, _, err := ws.ReadMessage(); err == nil {
		t.Fatal("close($fd, true) left the connection open")
	}
	want := fmt.Sprintf("PHP Warning:  Swoole\\WebSocket\\Server::ping(): session#9999 does not exists in %s on line 7\n", script)
	if p.errOut() != want {
		t.Fatalf("stderr %q", p.errOut())
	}
}

func TestPHPCustomHandshake(t *testing.T) {
	p, port := serve(t, filepath.Join(root, "tests/scripts/handshake.php"))
	hs := "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	get := func(target string) (string, *bufio.Reader, net.Conn) {
		head, br, c := rawHTTP(t, port, "GET "+target+" HTTP/1.1\r\nHost: x\r\n"+hs)
		return maskDate(head), br, c
	}

	// Accepted: the script's 101 (header names formatted as header()
	// does), then its push, sent right after end().
	head, br, c := get("/?token=secret")
	want := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-Websocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-Websocket-Version: 13\r\n" +
		"Server: swoole-http-server\r\nDate: X\r\n\r\n"
	if head != want {
		t.Fatalf("101:\n%q\nwant\n%q", head, want)
	}
	welcome := make([]byte, 9)
	if _, err := io.ReadFull(br, welcome); err != nil || string(welcome) != "\x81\x07welcome" {
		t.Fatalf("push after end(): %q %v", welcome, err)
	}
	c.Write(wsframetest.Masked(0x81, []byte("hi")))
	echo := make([]byte, 10)
	if _, err := io.ReadFull(br, echo); err != nil || string(echo) != "\x81\x08echo: hi" {
		t.Fatalf("echo: %q %v", echo, err)
	}
	p.waitOutput("status during: 2\nstatus after: 3\n")

	// Refused: the script's 403, ending after Date as Swoole's handshake
	// answers do, then the connection closes with status 5.
	head, br, _ = get("/")
	if want := "HTTP/1.1 403 Forbidden\r\nServer: swoole-http-server\r\nDate: X\r\n\r\n"; head != want {
		t.Fatalf("refusal:\n%q\nwant\n%q", head, want)
	}
	if rest, _ := io.ReadAll(br); len(rest) != 0 {
		t.Fatalf("after the refusal: %q", rest)
	}
	p.waitOutput("status during: 2\nstatus after: 3\nstatus during: 2\nclose 2 status 5\n")
}

func TestPHPBeforeHandshakeResponse(t *testing.T) {
	_, port := serve(t, filepath.Join(root, "tests/scripts/before_handshake.php"))
	c, resp, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws://127.0.0.1:%d/", port), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if resp.Header.Get("X-Hello") != "yes" || resp.Header.Get("Set-Cookie") != "session=abc" ||
		resp.Header.Get("Sec-WebSocket-Protocol") != "chat" {
		t.Fatalf("101 headers: %v", resp.Header)
	}
	if got := readText(t, c); got != "opened" {
		t.Fatalf("open: %q", got)
	}
}

func TestPHPCompression(t *testing.T) {
	p, port := serve(t, filepath.Join(root, "tests/scripts/compression.php"))
	d := websocket.Dialer{EnableCompression: true}
	c, resp, err := d.Dial(fmt.Sprintf("ws://127.0.0.1:%d/", port), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := resp.Header.Get("Sec-Websocket-Extensions"); got != "permessage-deflate; client_no_context_takeover; server_no_context_takeover" {
		t.Fatalf("extension: %q", got)
	}
	c.EnableWriteCompression(true)
	msg := strings.Repeat("squeeze ", 200)
	c.WriteMessage(websocket.TextMessage, []byte(msg))
	if got := readText(t, c); got != strings.ToUpper(msg) {
		t.Fatalf("echo: %q", got[:min(len(got), 40)])
	}
	// Received compressed: FIN + MASK + RSV1 + COMPRESS.
	p.waitOutput("flags 39 1600\n")

	// A client that offers nothing gets plain frames.
	plain := dialWS(t, port)
	plain.WriteMessage(websocket.TextMessage, []byte("abc"))
	if got := readText(t, plain); got != "ABC" {
		t.Fatalf("plain: %q", got)
	}
}

// selfSigned writes a certificate and key for 127.0.0.1.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certFile, keyFile
}

func TestPHPTLS(t *testing.T) {
	cert, key := selfSigned(t)
	p, port := serve(t, filepath.Join(root, "tests/scripts/tls.php"), cert, key)
	d := websocket.Dialer{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	c, resp, err := d.Dial(fmt.Sprintf("wss://127.0.0.1:%d/", port), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	defer c.Close()
	c.WriteMessage(websocket.TextMessage, []byte("hello"))
	if got := readText(t, c); got != "secure: hello" {
		t.Fatalf("wss echo: %q", got)
	}
	out, code := curl(t, fmt.Sprintf("https://127.0.0.1:%d/", port), "-k")
	if code != 0 || !strings.HasPrefix(out, "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(out, "\r\n\r\nhttps ok\n") {
		t.Fatalf("https: exit %d %q", code, out)
	}
	p.waitOutput("bool(true)\n")
}

func TestPHPListen(t *testing.T) {
	main, admin := freePort(t), freePort(t)
	p := php(t, filepath.Join(root, "tests/scripts/ports.php"), strconv.Itoa(main), strconv.Itoa(admin))
	p.waitPort(main)
	p.waitPort(admin)
	p.waitOutput("Swoole\\Server\\Port 2 port ok main ok\n")
	for _, tt := range []struct {
		port int
		want string
	}{{main, fmt.Sprintf("main: x on %d", main)}, {admin, fmt.Sprintf("admin: x on %d", admin)}} {
		ws := dialWS(t, tt.port)
		if got := readText(t, ws); got != "hello from the shared Open" {
			t.Fatalf("open on %d: %q", tt.port, got)
		}
		ws.WriteMessage(websocket.TextMessage, []byte("x"))
		if got := readText(t, ws); got != tt.want {
			t.Fatalf("got %q, want %q", got, tt.want)
		}
	}
}

// TestPHPDaemonize: start() returns to the shell at once (exit 0); the
// daemon serves, writes pid_file, sends its output to log_file, and shuts
// down on SIGTERM, removing pid_file.
func TestPHPDaemonize(t *testing.T) {
	port := freePort(t)
	dir := t.TempDir()
	pidFile, logFile := filepath.Join(dir, "server.pid"), filepath.Join(dir, "server.log")
	p := php(t, filepath.Join(root, "tests/scripts/daemon.php"), strconv.Itoa(port), pidFile, logFile)
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, p.errOut())
	}
	var pid int
	deadline := time.Now().Add(30 * time.Second)
	for pid == 0 {
		b, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(string(b))
		if time.Now().After(deadline) {
			t.Fatal("no pid_file")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	if pid == p.cmd.Process.Pid {
		t.Fatal("pid_file holds the pid of the process that returned")
	}
	ws := dialWS(t, port)
	ws.WriteMessage(websocket.TextMessage, []byte("hi"))
	if got := readText(t, ws); got != "daemon: hi" {
		t.Fatalf("daemon echo: %q", got)
	}
	syscall.Kill(pid, syscall.SIGTERM)
	for {
		if _, err := os.Stat(pidFile); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("pid_file still there after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if b, _ := os.ReadFile(logFile); string(b) != "message hi\nshutdown\n" {
		t.Fatalf("log_file: %q", b)
	}
}

func TestPHPLogOptions(t *testing.T) {
	for _, tt := range []struct {
		level int
		want  string
	}{
		{2, `^\[\d\d/\d\d/\d{4} \d\d:\d\d:\d\d \*\d+\.0\]\tNOTICE\tInvalid HTTP request discarded: 8 bytes unprocessed\. Reason: Invalid header token\n$`},
		{4, `^$`}, // SWOOLE_LOG_WARNING: no NOTICE
	} {
		logFile := filepath.Join(t.TempDir(), "swoole.log")
		p, port := serve(t, filepath.Join(root, "tests/scripts/logs.php"), logFile, strconv.Itoa(tt.level))
		head, _, c := rawHTTP(t, port, "GET / HTTP/1.1\r\nBad@: x\r\n\r\n")
		if head != "HTTP/1.1 400 Bad Request\r\n\r\n" {
			t.Fatalf("got %q", head)
		}
		c.Read(make([]byte, 1)) // the close
		time.Sleep(100 * time.Millisecond)
		b, _ := os.ReadFile(logFile)
		if !regexp.MustCompile(tt.want).Match(b) {
			t.Fatalf("log_level %d: log_file %q", tt.level, b)
		}
		if p.out() != "" {
			t.Fatalf("stdout %q: the log goes to log_file", p.out())
		}
	}
}

func TestPHPUpload(t *testing.T) {
	p, port := serve(t, filepath.Join(root, "tests/scripts/upload.php"))
	dir := t.TempDir()
	for name, content := range map[string]string{"a.txt": "hello upload", "b.bin": "\x00\x01", "c.txt": "ccc"} {
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	out, code := curl(t, fmt.Sprintf("http://127.0.0.1:%d/", port),
		"-F", "title=my files", "-F", "tags[]=x", "-F", "tags[]=y",
		"-F", "single=@"+filepath.Join(dir, "a.txt")+";type=text/plain",
		"-F", "many[]=@"+filepath.Join(dir, "b.bin"), "-F", "many[]=@"+filepath.Join(dir, "c.txt"))
	if code != 0 {
		t.Fatalf("curl exit %d", code)
	}
	tmp := out[strings.Index(out, "\r\n\r\n")+4:]
	if !strings.HasPrefix(tmp, "/tmp/swoole.upfile.") {
		t.Fatalf("tmp_name %q", tmp)
	}
	p.waitOutput(`{"post":{"title":"my files","tags":["x","y"]},"single":{"name":"a.txt","type":"text\/plain","error":0,"size":12},` +
		`"content":"hello upload","many":["b.bin","c.txt"],"sizes":[2,3],"tmpfiles":3}` + "\n")
	// The response and the output leave during the callback; the files
	// go when it has returned.
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		_, err := os.Stat(tmp)
		if os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s left after the callback: %v", tmp, err)
		}
	}
}

// TestPHPHTTPCompression: http_compression is on by default, as in
// Swoole: br, gzip or deflate (raw) by Accept-Encoding, from 20 bytes.
func TestPHPHTTPCompression(t *testing.T) {
	_, port := serve(t, filepath.Join(root, "tests/scripts/http.php"))
	body := strings.Repeat("swoole ", 20)
	for _, tt := range []struct {
		accept, encoding string
		decode           func(io.Reader) io.Reader
	}{
		{"gzip, deflate, br", "br", func(r io.Reader) io.Reader { return brotli.NewReader(r) }},
		{"gzip, deflate", "gzip", func(r io.Reader) io.Reader { g, _ := gzip.NewReader(r); return g }},
		{"deflate", "deflate", func(r io.Reader) io.Reader { return flate.NewReader(r) }},
	} {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "GET /big HTTP/1.1\r\nAccept-Encoding: "+tt.accept+"\r\nConnection: close\r\n\r\n")
		raw, _ := io.ReadAll(c)
		c.Close()
		head, payload, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		wantHead := "HTTP/1.1 200 OK\r\nServer: swoole-http-server\r\nDate: X\r\nConnection: close\r\nContent-Type: text/html\r\n" +
			fmt.Sprintf("Content-Encoding: %s\r\nContent-Length: %d", tt.encoding, len(payload))
		if maskDate(string(head)) != wantHead {
			t.Fatalf("%s: head %q", tt.accept, head)
		}
		plain, err := io.ReadAll(tt.decode(bytes.NewReader(payload)))
		if err != nil || string(plain) != body {
			t.Fatalf("%s: decoded %q %v", tt.accept, plain, err)
		}
	}
	// Under 20 bytes: not compressed.
	out, _ := curl(t, fmt.Sprintf("http://127.0.0.1:%d/v10", port), "-H", "Accept-Encoding: gzip")
	if strings.Contains(out, "Content-Encoding") || !strings.HasSuffix(out, "GET HTTP/1.1") {
		t.Fatalf("small body: %q", out)
	}
}

// TestPHPExpectContinue: curl waits for "100 Continue" before a large body.
func TestPHPExpectContinue(t *testing.T) {
	_, port := serve(t, filepath.Join(root, "tests/scripts/api.php"))
	head, br, c := rawHTTP(t, port, "POST /p HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\n")
	if head != "HTTP/1.1 100 Continue\r\n\r\n" {
		t.Fatalf("got %q", head)
	}
	io.WriteString(c, "k=v")
	line, _ := br.ReadString('\n')
	if line != "HTTP/1.1 201 Created\r\n" {
		t.Fatalf("then %q", line)
	}
}

func TestPHPStaticFiles(t *testing.T) {
	dir := t.TempDir()
	docRoot := filepath.Join(dir, "public")
	os.MkdirAll(filepath.Join(docRoot, "sub"), 0o755)
	os.WriteFile(filepath.Join(docRoot, "index.html"), []byte("<h1>home</h1>"), 0o644)
	os.WriteFile(filepath.Join(docRoot, "style.css"), []byte("body{color:red}"), 0o644)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("secret"), 0o644)
	os.Symlink(filepath.Join(dir, "secret.txt"), filepath.Join(docRoot, "link.txt"))
	for _, name := range []string{"data.moc", "page.htm", "notes.txt", "script.php"} {
		os.WriteFile(filepath.Join(docRoot, name), []byte(name), 0o644)
	}
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	os.Chtimes(filepath.Join(docRoot, "style.css"), mod, mod)

	_, port := serve(t, filepath.Join(root, "tests/scripts/static.php"), docRoot)
	get := func(req string) string { return rawExchange(t, port, req) }
	lastMod := "Last-Modified: Fri, 02 Jan 2026 03:04:05 GMT\r\n"
	for _, tt := range []struct{ req, want string }{
		{"GET /style.css HTTP/1.1\r\nConnection: close\r\n\r\n",
			"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 15\r\nContent-Type: text/css\r\nAccept-Ranges: bytes\r\n" +
				"Date: X\r\n" + lastMod + "Server: swoole-http-server\r\n\r\nbody{color:red}"},
		{"GET /style.css HTTP/1.1\r\nRange: bytes=5-9\r\nConnection: close\r\n\r\n",
			"HTTP/1.1 206 Partial Content\r\nConnection: close\r\nContent-Length: 5\r\nContent-Type: text/css\r\n" +
				"Content-Range: bytes 5-9/15\r\nDate: X\r\n" + lastMod + "Server: swoole-http-server\r\n\r\ncolor"},
		{"GET /style.css HTTP/1.1\r\nIf-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT\r\nConnection: close\r\n\r\n",
			"HTTP/1.1 304 Not Modified\r\nConnection: close\r\nDate: X\r\n" + lastMod + "Server: swoole-http-server\r\n\r\n"},
		{"HEAD /style.css HTTP/1.0\r\n\r\n",
			"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\nContent-Type: text/css\r\nAccept-Ranges: bytes\r\n" +
				"Date: X\r\n" + lastMod + "Server: swoole-http-server\r\n\r\n"},
	} {
		if got := get(tt.req); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.req, got, tt.want)
		}
	}
	if got := get("GET / HTTP/1.0\r\n\r\n"); !strings.HasSuffix(got, "\r\n\r\n<h1>home</h1>") || !strings.Contains(got, "Content-Type: text/html\r\n") {
		t.Errorf("index: %q", got)
	}
	// Swoole's MIME table, as swoole_mime_type_add()/delete() changed it
	// before start(): no charset, octet-stream for what it lacks.
	for target, want := range map[string]string{
		"/data.moc":        "Content-Type: application/x-mocha\r\n",
		"/notes.txt":       "Content-Type: text/plain\r\n",
		"/page.htm":        "\r\n\r\ndynamic /page.htm", // no longer in the table: not static
		"/send/notes.txt":  "Content-Type: text/plain\r\n",
		"/send/script.php": "Content-Type: application/octet-stream\r\n",
		"/send/data.moc":   "Content-Type: application/x-mocha\r\n",
	} {
		if got := get("GET " + target + " HTTP/1.0\r\n\r\n"); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q in it", target, got, want)
		}
	}
	// Never outside document_root: these go on to onRequest.
	for _, target := range []string{"/../secret.txt", "/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt", "/link.txt", "/missing.css"} {
		got := get("GET " + target + " HTTP/1.0\r\n\r\n")
		if strings.Contains(got, "secret\n") || strings.HasSuffix(got, "\r\n\r\nsecret") || !strings.Contains(got, "\r\n\r\ndynamic ") {
			t.Errorf("%s: %q", target, got)
		}
	}
}

func TestPHPHTTPMore(t *testing.T) {
	docRoot := t.TempDir()
	os.MkdirAll(filepath.Join(docRoot, "assets", "img"), 0o755)
	os.WriteFile(filepath.Join(docRoot, "assets", "data.json"), []byte(`{"a":1234567}`), 0o644)
	_, port := serve(t, filepath.Join(root, "tests/scripts/http_more.php"), docRoot)
	get := func(req string) string { return rawExchange(t, port, req) }
	const tail = "Server: swoole-http-server\r\nDate: X\r\nConnection: close\r\n"
	for _, tt := range []struct{ req, want string }{
		{"GET /raw-header HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\nx-lower-case: kept\r\n" +
			"Set-Cookie: k=v+v; expires=Tue, 01-Jan-2030 00:00:00 GMT; Max-Age=MAXAGE; path=/p; domain=example.com; secure; HttpOnly; SameSite=Strict; Priority=High; Partitioned\r\n" +
			tail + "Content-Type: text/html\r\nContent-Length: 2\r\n\r\nok"},
		// sendfile() sets Content-Type as header() would: first.
		{"GET /file HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + tail + "Content-Length: 5\r\n\r\n\"a\":1"},
		{"GET /length HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + tail + "Content-Type: text/html\r\n\r\nab"},
		{"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
			"HTTP/1.1 200 OK\r\n" + tail + "Content-Type: text/html\r\nContent-Length: 5\r\n\r\nabcde"},
		// Compression only for http_compression_types; as in Swoole, the
		// script's Content-Length gives way to the server's all the same.
		{"GET /length HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n", "HTTP/1.1 200 OK\r\n" + tail + "Content-Type: text/html\r\nContent-Length: 2\r\n\r\nab"},
		// Under static_handler_locations a missing file is Swoole's 404.
		{"GET /assets/missing.png HTTP/1.0\r\n\r\n", "HTTP/1.1 404 Not Found\r\nServer: swoole-http-server\r\nContent-Length: 321\r\n\r\n" +
			"<html><body><style> body { padding: 0.5em; line-height: 2; } h1 { font-size: 1.5em; padding-bottom: 0.3em; border-bottom: 1px solid #ccc; } " +
			"ul { list-style-type: disc; } footer { border-top: 1px solid #ccc; } a { color: #0969da; } </style><h1>HTTP 404 Not Found</h1>" +
			"<footer><i>Powered by Swoole</i></footer></body></html>"},
		// Outside the locations: onRequest.
		{"GET /other.png HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n" + tail + "Content-Type: text/html\r\nContent-Length: 7\r\n\r\ndynamic"},
	} {
		got := regexp.MustCompile(`Max-Age=\d+`).ReplaceAllString(get(tt.req), "Max-Age=MAXAGE")
		if got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.req, got, tt.want)
		}
	}
	json := get("GET /json HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n")
	if !strings.HasPrefix(json, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"+tail+"Content-Encoding: gzip\r\nContent-Length: ") {
		t.Errorf("json not compressed: %q", json)
	}
	index := get("GET /assets/ HTTP/1.0\r\n\r\n")
	// Swoole's listing: ".." first, names as readdir() gives them (no "/"
	// after a directory), its style block.
	if !strings.HasPrefix(index, "HTTP/1.1 200 OK\r\nConnection: close\r\n") || !strings.Contains(index, "<body>\n<style> body {") ||
		!strings.Contains(index, "<ul>\n\t\t<li><a href=\"/assets/..\">..</a></li>\n\t\t<li><a href=\"/assets/data.json\">data.json</a></li>\n\t\t<li><a href=\"/assets/img\">img</a></li>\n\t</ul>") {
		t.Errorf("autoindex: %q", index)
	}
}

// TestPHPTasks: task workers run on the PHP thread. task() queues, the
// task runs after the callback as task worker 1 or 2 and its result
// reaches onFinish (or task()'s callback) in worker 0; taskwait() and
// friends run at once; data crosses serialized, so the caller's copy
// is untouched; Swoole's warnings name the user's line.
func TestPHPTasks(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/tasks.php")
	p, port := serve(t, script)
	ws := dialWS(t, port)
	ws.WriteMessage(websocket.TextMessage, []byte("go"))
	if got := readText(t, ws); got != "callback 4" {
		t.Fatalf("pushed %q", got)
	}
	p.stop()
	wantOut := `bool(false)
WorkerStart 0 false 0
WorkerStart 1 true 1
WorkerStart 2 true 2
queued 0
queued 1
queued 2
queued 3
queued 4
original {"n":1}
task 5 from 0 in 2 true: "w"
taskwait "done w"
task 6 from 0 in 1 true: "nothing"
taskwait nothing false
task 7 from 0 in 2 true: "a"
task 8 from 0 in 1 true: "nothing"
task 9 from 0 in 2 true: "c"
multi {"0":"done a","2":"done c"}
task 10 from 0 in 1 true: "a"
task 11 from 0 in 2 true: "nothing"
co ["done a",false]
bool(false)
message done
task 0 from 0 in 1 true: {"n":1}
finish 0 in 0 false: {"n":1,"seen":true}
task 1 from 0 in 2 true: "finish"
bool(false)
finish 1 in 0 false: "via finish"
task 2 from 0 in 1 true: "nothing"
task 3 from 0 in 2 true: "throw"
task 4 from 0 in 2 true: "cb"
callback 4 in 0: done cb
`
	if got := p.out(); got != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, wantOut)
	}
	for _, want := range []string{
		"PHP Warning:  Swoole\\Server::task(): server is not running in " + script + " on line 8\n",
		"PHP Warning:  Swoole\\Server::task(): Server->task() cannot use in the task-worker in " + script + " on line 22\n",
		"PHP Fatal error:  Uncaught RuntimeException: task failed in " + script + ":34\n",
		"PHP Warning:  Swoole\\Server::task(): worker_id must be less than task_worker_num[2] in " + script + " on line 66\n",
	} {
		if !strings.Contains(p.errOut(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, p.errOut())
		}
	}

	// task_object: onTask gets a Swoole\Server\Task.
	p, port = serve(t, script, "object")
	ws = dialWS(t, port)
	ws.WriteMessage(websocket.TextMessage, []byte("object"))
	if got := readText(t, ws); got != "done" {
		t.Fatalf("pushed %q", got)
	}
	p.stop()
	if want := "Task object 0 from 0 in 1: \"w\"\ntaskwait {\"object\":\"w\"}\n"; !strings.HasSuffix(p.out(), want) {
		t.Errorf("stdout %q, want suffix %q", p.out(), want)
	}
}

// TestTaskWorkersNeedOnTask: Swoole refuses to start task workers
// without an onTask callback.
func TestTaskWorkersNeedOnTask(t *testing.T) {
	script := writeScript(t, "<?php\n$s = new Swoole\\WebSocket\\Server('127.0.0.1', 0);\n$s->set(['task_worker_num' => 1]);\n$s->on('message', function () {});\n$s->start();\n")
	p := php(t, script)
	if code := p.wait(); code != 255 {
		t.Errorf("exit code %d", code)
	}
	reason := "Server::start_check() (ERRNO 9015): require 'onTask' callback"
	want := fmt.Sprintf("PHP Fatal error:  Swoole\\Server::start(): failed to start server. Error: %s in %s on line 5\n", reason, script)
	if p.errOut() != want {
		t.Errorf("stderr %q, want %q", p.errOut(), want)
	}
	if re := regexp.MustCompile(`^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [%*@]\d+\.-?\d+\]\tWARNING\t` + regexp.QuoteMeta(reason) + "\n$"); !re.MatchString(p.out()) {
		t.Errorf("stdout %q", p.out())
	}
}

// TestPHPTable runs tests/scripts/table.php (no server): Swoole\Table's
// sizes, conversions, warnings, incr/decr, iteration and a full pool.
// The second table's layout is worked out here from Swoole's algorithm
// (slot = PHP's DJBX33A hash & 63; collisions take one of
// int(64 × 1.2f) − 64 = 12 spare rows; iteration by slot, root first).
// A key is cut to 63 bytes before it is hashed (check_key_length() comes
// before hash() in Swoole's Table::set()), so the long key's slot is that
// of its 63 bytes, before "a" (518) and "b" (519).
func TestPHPTable(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/table.php")
	p := php(t, script)
	if code := p.wait(); code != 255 {
		t.Fatalf("exit code %d, stderr %s", code, p.errOut())
	}
	slots := map[uint32][]string{}
	inserted, spare := 0, 12
	for i := 0; i < 200; i++ {
		key := fmt.Sprintf("k%d", i)
		h := uint32(5381)
		for _, c := range []byte(key) {
			h = h*33 + uint32(c)
		}
		slot := h & 63
		if len(slots[slot]) > 0 {
			if spare == 0 {
				break
			}
			spare--
		}
		slots[slot] = append(slots[slot], key)
		inserted++
	}
	var order []string
	for slot := uint32(0); slot < 64; slot++ {
		order = append(order, slots[slot]...)
	}
	long := strings.Repeat("k", 63)
	want := `int(1024)
NULL
int(0)
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
int(1024)
int(30240)
bool(false)
bool(true)
array(3) {
  ["id"]=>
  int(42)
  ["name"]=>
  string(4) "1024"
  ["score"]=>
  float(3.5)
}
string(4) "1024"
bool(false)
bool(false)
bool(true)
array(3) {
  ["id"]=>
  int(42)
  ["name"]=>
  string(4) "1024"
  ["score"]=>
  float(1)
}
[DATE %PID.0]	WARNING	TableRow::set_value(): [key=b,field=name]string value is too long
bool(true)
array(3) {
  ["id"]=>
  int(0)
  ["name"]=>
  string(16) "xxxxxxxxxxxxxxxx"
  ["score"]=>
  float(0)
}
bool(true)
bool(true)
bool(false)
int(1)
int(6)
float(-0.5)
bool(false)
bool(false)
bool(true)
int(5)
int(15)
bool(true)
bool(false)
bool(true)
` + long + ` {"id":1,"name":"","score":0}
a {"id":42,"name":"1024","score":1}
b {"id":0,"name":"xxxxxxxxxxxxxxxx","score":0}
` + fmt.Sprintf("inserted %d\n", inserted) + fmt.Sprintf(`array(8) {
  ["num"]=>
  int(%d)
  ["conflict_count"]=>
  int(12)
  ["conflict_max_level"]=>
  int(%d)
  ["insert_count"]=>
  int(%d)
  ["update_count"]=>
  int(0)
  ["delete_count"]=>
  int(0)
  ["available_slice_num"]=>
  int(0)
  ["total_slice_num"]=>
  int(12)
}
`, inserted, maxChain(slots)-1, inserted) + strings.Join(order, ",") + "\n"
	if got := logDates(p.out()); got != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
	}
	wantErr := ""
	for _, w := range []struct {
		line int
		msg  string
	}{
		{12, "Swoole\\Table::column(): the length of string type values has to be more than zero"},
		{14, "Swoole\\Table::column(): unable to add column after table has been created"},
		{20, "Swoole\\Table::set(): key[" + strings.Repeat("k", 70) + "] is too long"},
		{21, "Swoole\\Table::incr(): can't execute 'incr' on a string type column"},
		{22, "Swoole\\Table::incr(): column[nope] does not exist"},
		{31, fmt.Sprintf("Swoole\\Table::set(): failed to set('k%d'), unable to allocate memory", inserted)},
	} {
		wantErr += fmt.Sprintf("PHP Warning:  %s in %s on line %d\n", w.msg, script, w.line)
	}
	wantErr += fmt.Sprintf("PHP Fatal error:  Swoole\\Table::get(): table is not created or has been destroyed in %s on line 40\n", script)
	if p.errOut() != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", p.errOut(), wantErr)
	}
}

var logDate = regexp.MustCompile(`\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d %\d+\.0\]`)

// logDates replaces the date and pid of Swoole's log lines written
// without a server with [DATE %PID.0].
func logDates(out string) string {
	return logDate.ReplaceAllString(out, "[DATE %PID.0]")
}

func maxChain(slots map[uint32][]string) int {
	n := 0
	for _, keys := range slots {
		n = max(n, len(keys))
	}
	return n
}

// TestPHPAtomic: Swoole\Atomic is an unsigned 32-bit value whose wait()
// takes a wakeup() made before it (1 → 0), else returns false: at once
// unless the value is 0, after the timeout if it is; Atomic\Long wraps.
func TestPHPAtomic(t *testing.T) {
	p := php(t, filepath.Join(root, "tests/scripts/atomic.php"))
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, p.errOut())
	}
	want := strings.Join([]string{
		"int(0)", "int(1)", "int(6)", "int(4294967292)", "int(4294967292)", "bool(true)", "int(7)",
		"int(4294967295)", "int(1)",
		"bool(true)",
		"bool(true)", "int(1)", "bool(true)", "int(0)",
		"bool(false)", "bool(true)",
		"int(-9223372036854775808)", "int(9223372036854775806)", "bool(true)", "int(5)",
		"int(3)",
	}, "\n") + "\n"
	if p.out() != want || p.errOut() != "" {
		t.Errorf("stdout:\n%s\nwant:\n%s\nstderr: %s", p.out(), want, p.errOut())
	}
}

// TestPHPCoroutines: with enable_coroutine (Swoole's default) a callback
// that sleeps does not hold up the others, a request that sleeps is
// answered when it ends (its own end(), or the usual 500 if it ended
// without one), and go(), channels and timers work inside the server.
// With enable_coroutine off, callbacks are not coroutines.
func TestPHPCoroutines(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/coroutines.php")
	p, port := serve(t, script)
	p.waitOutput("workerStart in coroutine: true\nchannel: ping\ntimer in coroutine: true\n")
	slow, fast := dialWS(t, port), dialWS(t, port)
	slow.WriteMessage(websocket.TextMessage, []byte("slow"))
	time.Sleep(50 * time.Millisecond)
	fast.WriteMessage(websocket.TextMessage, []byte("fast"))
	if got := readText(t, fast); got != "done fast" {
		t.Fatalf("fast client: %q", got)
	}
	slow.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, m, err := slow.ReadMessage(); err == nil {
		t.Fatalf("the sleeping callback answered before the other client: %q", m)
	}
	slow = dialWS(t, port)
	slow.WriteMessage(websocket.TextMessage, []byte("slow"))
	if got := readText(t, slow); got != "done slow" {
		t.Fatalf("slow client: %q", got)
	}
	ctx := dialWS(t, port)
	ctx.WriteMessage(websocket.TextMessage, []byte("context"))
	for _, want := range []string{"child of the callback, sees v, exists true, listed true", "pcid -1", "deferred"} {
		if got := readText(t, ctx); got != want {
			t.Fatalf("context: %q, want %q", got, want)
		}
	}
	closing := dialWS(t, port)
	closing.WriteMessage(websocket.TextMessage, []byte("close me"))
	p.waitOutput("workerStart in coroutine: true\nchannel: ping\ntimer in coroutine: true\n" +
		"close returned\nclose slept, fd 5 still known: false\n")
	out, _ := curl(t, fmt.Sprintf("http://127.0.0.1:%d/end", port))
	if !strings.HasPrefix(out, "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(out, "\r\n\r\nslept") {
		t.Fatalf("request that slept: %q", out)
	}
	out, _ = curl(t, fmt.Sprintf("http://127.0.0.1:%d/none", port))
	if !strings.HasPrefix(out, "HTTP/1.1 500 Internal Server Error\r\n") {
		t.Fatalf("request that slept and never ended: %q", out)
	}
	p.stop()
	if p.errOut() != "" {
		t.Fatalf("stderr: %s", p.errOut())
	}

	p, port = serve(t, script, "off")
	p.waitOutput("workerStart in coroutine: false\n")
	p.stop()
}

// TestPHPCoroutineAPI runs tests/scripts/coroutine_api.php (no server):
// the order of a channel's hand-overs follows Swoole's channel.cc (a push
// to a waiting consumer resumes it at once), defers run at the end,
// pending sleeps finish after the script's last line.
func TestPHPCoroutineAPI(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/coroutine_api.php")
	p := php(t, script)
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, p.errOut())
	}
	want := "bool(true)\nint(2)\nint(3)\nbool(true)\narray(3) {\n  [0]=>\n  int(10)\n  [1]=>\n  int(20)\n  [2]=>\n  int(30)\n}\n" +
		"int(0)\nbool(false)\nBadMethodCallException: negative WaitGroup counter\n" +
		"InvalidArgumentException: negative WaitGroup counter\nint(-1)\nmain 5 pcid -1\nchild 6 pcid 5\nbefore pop\n" +
		"child woke\nstring(5) \"hello\"\nstring(6) \"second\"\npushed both\ndefer child\nbool(false)\nint(-1)\n" +
		"bool(false)\nint(-2)\nbool(false)\narray(3) {\n  [\"consumer_num\"]=>\n  int(0)\n  [\"producer_num\"]=>\n  int(0)\n" +
		"  [\"queue_num\"]=>\n  int(0)\n}\nlist 5\nyielding\nresumed\nbool(false)\nint(1)\nbool(false)\nend of script\n" +
		"Swoole\\Error: API must be called in the coroutine\nat shutdown\n"
	if p.out() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", p.out(), want)
	}
	wantErr := fmt.Sprintf("PHP Warning:  Swoole\\Coroutine::resume(): you can not resume the coroutine which is in IO operation or non-existent in %[1]s on line 68\n"+
		"PHP Warning:  Swoole\\Coroutine\\run(): eventLoop has already been created. unable to start Swoole\\Coroutine\\Scheduler in %[1]s on line 71\n", script)
	if p.errOut() != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", p.errOut(), wantErr)
	}
}

// TestPHPLock: Swoole\Lock's mutex, read-write lock and spinlock as one
// process sees them (EBUSY, ETIMEDOUT after the timeout, glibc's EDEADLK
// for its own write lock), their errors, and Swoole\Coroutine\Lock
// between coroutines; a lock whose constructor never ran is Swoole's
// fatal error.
func TestPHPLock(t *testing.T) {
	p := php(t, filepath.Join(root, "tests/scripts/lock.php"))
	if code := p.wait(); code != 255 {
		t.Fatalf("exit code %d, want 255; stderr %s", code, p.errOut())
	}
	want := strings.Join([]string{
		"mutex: [true,false,16]",
		"timed: [false,110,true]",
		"unlock: [true,true,true,true]",
		"readers: [true,true,false,16]",
		"writer: [true,true,true,false,35]",
		"reader of a writer: [false,16,false,35]",
		"spin: [true,false,16,true]",
		"constants: [1,3,5,3]",
		"Swoole\\Exception: lock type[7] is not support",
		"Error: Constructor of Swoole\\Lock can only be called once",
		"[DATE %PID.0]\tWARNING\tCoroutineLock::lock_impl(): The coroutine lock can only be used in a coroutine environment",
		"outside a coroutine: [false,10001]",
		"A: [true,true]",
		"B: [false,16]",
		"A unlocks",
		"B has it",
	}, "\n") + "\n"
	got := logDates(p.out())
	if got != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
	}
	script := filepath.Join(root, "tests/scripts/lock.php")
	src, _ := os.ReadFile(script)
	before, _, _ := strings.Cut(string(src), "(new Unconstructed())->lock();")
	line := strconv.Itoa(strings.Count(before, "\n") + 1)
	wantErr := "PHP Fatal error:  Uncaught Swoole\\Error: must call constructor first in " + script + ":" + line + "\n" +
		"Stack trace:\n#0 " + script + "(" + line + "): Swoole\\Lock->lock()\n#1 {main}\n  thrown in " + script + " on line " + line + "\n"
	if p.errOut() != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", p.errOut(), wantErr)
	}
}

// TestPHPCoroutineJoin: Coroutine::join() (all of them, a timeout, the
// errors Swoole sets), Swoole\Coroutine\Barrier, and a finished
// coroutine's function releasing what it captured as it ends.
func TestPHPCoroutineJoin(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/coroutine_join.php")
	p := php(t, script)
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, p.errOut())
	}
	want := strings.Join([]string{
		"child uses captured", "destroyed captured", "after unset",
		"b done", "a done", "join: true",
		"join with timeout: [false,10018]",
		"join nothing: [false,505,false,505]",
		"join self: [false,509]",
		"second joiner: [false,10002]", "first joiner: true",
		"c done",
		"task 1", "task 2", "task 3", "barrier passed",
		"barrier timed out: true",
		"barrier nobody holds passed",
	}, "\n") + "\n"
	if p.out() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", p.out(), want)
	}
	src, _ := os.ReadFile(script)
	before, _, _ := strings.Cut(string(src), "Co::join([Co::getCid()])")
	wantErr := "PHP Warning:  Swoole\\Coroutine::join(): can not join self in " + script +
		" on line " + strconv.Itoa(strings.Count(before, "\n")+1) + "\n"
	if p.errOut() != wantErr {
		t.Errorf("stderr: %q, want %q", p.errOut(), wantErr)
	}
}

// TestPHPSharedMemory runs tests/scripts/shared_memory.php: a Table, two
// Atomics and three Locks made before pcntl_fork() (without loading the
// library, which a process that forks must not do) are shared with the
// children: counts made by four processes at the same time are exact, no
// read of a row sees half of a write made at the same time, a row a child
// sets is read by the parent while the child still runs, the
// parent's Atomic::wait() returns on the child's wakeup(), and locks the
// parent holds make the child's attempts fail with pthread's errors and
// its blocking lock() wait for the parent's unlock(); a child killed while
// it holds the table's mutex does not lock the parent out. Every child is
// reaped by the script, and none outlives it.
func TestPHPSharedMemory(t *testing.T) {
	p := php(t, filepath.Join(root, "tests/scripts/shared_memory.php"))
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, p.errOut())
	}
	want := strings.Join([]string{
		"before create(): [0,0]",
		"[DATE %PID.0]\tWARNING\tTableRow::set_value(): [key=too long,field=s]string value is too long",
		"library loaded before the fork: false",
		"counts: [80000,80000,240000]",
		"two of them were counting at the same time: true",
		"reads during the writes: true, torn: 0",
		"woken: true, row: set by the child, by the child: true",
		"wait() returned after the wakeup(): true",
		"child still running: true",
		"child, while the parent holds the locks: [false,16,false,16,false,16,false,110]",
		"child's lock() began before the parent's unlock() and returned after it: true",
		"killed holding the table: true, then set(): true, get(): 1",
		"exit statuses: [0,0,0,0,0,0,0], any left: false",
	}, "\n") + "\n"
	got := logDates(p.out())
	if got != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
	}
	pids := strings.Fields(strings.TrimPrefix(strings.TrimSpace(p.errOut()), "pids "))
	if len(pids) != 8 {
		t.Fatalf("stderr %q, want the eight children's pids", p.errOut())
	}
	for _, pid := range pids {
		n, _ := strconv.Atoi(pid)
		if err := syscall.Kill(n, 0); err != syscall.ESRCH {
			t.Errorf("child %d outlived the script (kill 0: %v)", n, err)
		}
	}
}
