package tests

import (
	"path/filepath"
	"strings"
	"testing"
)

// seedPort is where the seed's programs listen, as written.
const seedPort = 9501

const badRequestPage = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html; charset=UTF-8\r\n" +
	"Cache-Control: must-revalidate,no-cache,no-store\r\nContent-Length: 83\r\nServer: swoole-http-server\r\n\r\n" +
	"<html><body><h2>HTTP 400 Bad Request</h2><hr><i>Powered by Swoole</i></body></html>"

const unanswered500 = "HTTP/1.1 500 Internal Server Error\r\nServer: swoole-http-server\r\nDate: X\r\n" +
	"Connection: keep-alive\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n"

// TestSeedPrograms runs the article's three programs unchanged and drives
// them as reference §1 does: a WebSocket client that reads the welcome,
// sends a message and closes with 1000; curl /?close=1; curl /. Their
// stdout must be what Swoole prints.
func TestSeedPrograms(t *testing.T) {
	for _, tt := range []struct {
		script    string
		withReq   bool // has on('request')
		wantLines []string
	}{
		{"seed1.php", false, []string{
			"Message: hi",
			"client-1 is closed",
			"client-2 is closed",
			"client-3 is closed",
		}},
		{"seed2.php", true, []string{
			"Message: hi",
			"client-1 is closed, WebSocket status is 3",
			"client-2 is not a valid WebSocket connection",
			"client-3 is not a valid WebSocket connection",
		}},
		{"seed3.php", true, []string{
			"Message: hi",
			"client-1 is closed, WebSocket status is 3",
			"client-2 is Disconnect",
			"client-3 is Disconnect",
		}},
	} {
		t.Run(tt.script, func(t *testing.T) {
			p := php(t, filepath.Join(root, "tests/fixtures", tt.script))
			p.waitPort(seedPort)
			want := func(n int) string { return strings.Join(tt.wantLines[:n], "\n") + "\n" }

			ws := dialWS(t, seedPort)
			if got := readText(t, ws); got != "hello, welcome\n" {
				t.Fatalf("welcome %q", got)
			}
			ws.WriteMessage(1, []byte("hi"))
			if got := readText(t, ws); got != "server: hi" {
				t.Fatalf("echo %q", got)
			}
			if ce := closeWS(t, ws, 1000, ""); ce.Code != 1000 || ce.Text != "" {
				t.Fatalf("close echo %v", ce)
			}
			p.waitOutput(want(2))

			out, code := curl(t, "http://127.0.0.1:9501/?close=1")
			if tt.withReq {
				if code != 52 || out != "" { // curl: Empty reply from server
					t.Fatalf("?close=1: exit %d, %q", code, out)
				}
			} else if code != 0 || out != badRequestPage {
				t.Fatalf("?close=1 without on('request'): exit %d, %q", code, out)
			}
			p.waitOutput(want(3))

			if tt.withReq {
				head, _, conn := rawHTTP(t, seedPort, "GET / HTTP/1.1\r\nHost: 127.0.0.1:9501\r\n\r\n")
				if maskDate(head) != unanswered500 {
					t.Fatalf("GET / got %q", head)
				}
				// Kept alive: the close callback waits for the client.
				p.waitOutput(want(3))
				conn.Close()
			} else if out, _ := curl(t, "http://127.0.0.1:9501/"); out != badRequestPage {
				t.Fatalf("GET / got %q", out)
			}
			p.waitOutput(want(4))
			if p.stop() != want(4) || p.errOut() != "" {
				t.Fatalf("final stdout %q stderr %q", p.out(), p.errOut())
			}
		})
	}
}
