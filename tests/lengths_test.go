package tests

import (
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/swoole-shim/swoole-shim/core/wsframe/wsframetest"
)

// lengthsScript answers every request with the length of its body and
// every message with its length; package_max_length is its second
// argument.
const lengthsScript = `<?php
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->set(['package_max_length' => (int) $argv[2]]);
$ws->on('request', function ($request, $response) {
    $response->end('body ' . strlen($request->rawContent()));
});
$ws->on('message', function ($ws, $frame) {
    $ws->push($frame->fd, 'message ' . strlen($frame->data));
});
$ws->start();
`

// TestDeclaredLengths (issue 18 item 1): a length the client only
// declares costs nothing. package_max_length 0 refuses every body with
// Swoole's 413 and log line, however large the declared length, and the
// server goes on; twenty clients that each declare a 60 MB body and
// twenty that declare a 60 MB frame, each sending 1 KB, cost the server
// what they sent, not 2.4 GB.
func TestDeclaredLengths(t *testing.T) {
	script := writeScript(t, lengthsScript)

	p, port := serve(t, script, "0")
	got := rawExchange(t, port, "POST / HTTP/1.1\r\nContent-Length: 900000000000\r\n\r\n")
	if got != "HTTP/1.1 413 Request Entity Too Large\r\n\r\n" {
		t.Fatalf("declared 900 GB: %q", got)
	}
	waitLogged(t, p, fmt.Sprintf("\tWARNING\tListenPort::readable_callback_http() (ERRNO 7102): Request Entity Too Large: "+
		"header-length (49) + content-length (900000000000) is greater than the package_max_length(0) from session#1 on 127.0.0.1:%d\n", port))
	if got := rawExchange(t, port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n"); !strings.HasSuffix(got, "body 0") {
		t.Fatalf("after the 413: %q", got)
	}

	p, port = serve(t, script, strconv.Itoa(64<<20))
	before := vmRSS(t, p.cmd.Process.Pid)
	frame := wsframetest.Masked(0x82, make([]byte, 60000000))[:1000]
	for i := 0; i < 20; i++ {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "POST / HTTP/1.1\r\nContent-Length: 60000000\r\n\r\n"+strings.Repeat("x", 1000))
		ws := dialWS(t, port)
		ws.UnderlyingConn().Write(frame)
	}
	// Served after the others were read: the loop takes ready sockets in
	// turn.
	if got := rawExchange(t, port, "POST / HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"); !strings.HasSuffix(got, "body 3") {
		t.Fatalf("another client: %q", got)
	}
	// 40 KB arrived; 0.5 MiB measured; 116 MiB before the fix.
	if grown := vmRSS(t, p.cmd.Process.Pid) - before; grown > 16<<20 {
		t.Fatalf("40 clients that sent 1 KB each grew the server by %d MiB", grown>>20)
	}
}

var vmRSSRE = regexp.MustCompile(`VmRSS:\s+(\d+) kB`)

// vmRSS returns the resident memory of process pid, in bytes.
func vmRSS(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := vmRSSRE.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no VmRSS in %s", b)
	}
	kb, _ := strconv.Atoi(string(m[1]))
	return kb << 10
}

// waitLogged waits until the server's stdout holds line.
func waitLogged(t *testing.T, p *proc, line string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.out(), line) {
		if time.Now().After(deadline) {
			t.Fatalf("stdout %q lacks %q", p.out(), line)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
