package tests

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestOutOfDescriptors: a server whose descriptors run out (RLIMIT_NOFILE
// 64, then 150 clients that connect and hold) stays up, writes Swoole's
// line for the failed accept about once a second instead of in a loop,
// and serves a new client once the others have left; the same on a TLS
// port, whose relays need descriptors of their own. Before, the listening
// socket stayed ready and every poll failed the same accept (tens of
// thousands of lines a second), and the Go runtime, making its own poller
// late, died with "runtime: netpollinit failed".
func TestOutOfDescriptors(t *testing.T) {
	cert, key := selfSigned(t)
	wss := websocket.Dialer{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	for _, tt := range []struct {
		name   string
		script string
		args   []string
		url    string
		dialer *websocket.Dialer
		echo   string
	}{
		{"plain", "echo.php", nil, "ws://127.0.0.1:%d/", websocket.DefaultDialer, "hello"},
		{"tls", "tls.php", []string{cert, key}, "wss://127.0.0.1:%d/", &wss, "secure: hello"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			port := freePort(t)
			args := append([]string{"--nofile=64", "--", filepath.Join(root, "bin/php-swoole"),
				filepath.Join(root, "tests/scripts", tt.script), strconv.Itoa(port)}, tt.args...)
			p := startProc(t, nil, "prlimit", args...)
			p.waitPort(port)
			const line = "\tWARNING\tServer::accept_connection(): accept() failed, Error: Too many open files[24]\n"
			var conns []net.Conn
			for range 150 {
				c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
				if err != nil {
					t.Fatal(err)
				}
				conns = append(conns, c)
			}
			for deadline := time.Now().Add(10 * time.Second); !strings.Contains(p.out(), line); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("no failed accept logged; stdout %q", p.out())
				}
			}
			first := time.Now()
			time.Sleep(2 * time.Second) // the clients hold, the server has no descriptor left
			for _, c := range conns {
				c.Close()
			}
			select {
			case <-p.exited:
				t.Fatalf("the server died: %v\nstderr %s", p.err, p.errOut())
			default:
			}

			// The TLS relays of the clients that left give their
			// descriptors back a moment later; a TLS client that arrives
			// before is closed (no socket pair for it), so retry for a while.
			var c *websocket.Conn
			var resp *http.Response
			var err error
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
				if c, resp, err = tt.dialer.Dial(fmt.Sprintf(tt.url, port), nil); err == nil || time.Now().After(deadline) {
					break
				}
			}
			if err != nil {
				t.Fatalf("a client after the others left: %v", err)
			}
			resp.Body.Close()
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			c.WriteMessage(websocket.TextMessage, []byte("hello"))
			if got := readText(t, c); got != tt.echo {
				t.Fatalf("echo %q, want %q", got, tt.echo)
			}
			// One line when descriptors first ran out, then at most one a
			// second while they stayed out (one more for the moment
			// between the first line and this test seeing it).
			if n, most := strings.Count(p.out(), line), int(time.Since(first)/time.Second)+2; n > most {
				t.Errorf("%d failed accepts logged in %v, want at most %d", n, time.Since(first).Round(time.Millisecond), most)
			}
		})
	}
}
