package tests

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// TestChatDemo runs examples/chat with two clients: the page is served,
// messages reach everyone, and leaving is announced.
func TestChatDemo(t *testing.T) {
	_, port := serve(t, filepath.Join(root, "examples/chat/server.php"))

	page, code := curl(t, fmt.Sprintf("http://127.0.0.1:%d/", port))
	if code != 0 || !strings.Contains(page, "Content-Type: text/html; charset=utf-8\r\n") || !strings.Contains(page, "new WebSocket(") {
		t.Fatalf("page: exit %d\n%s", code, page)
	}

	dial := func(name string) *websocket.Conn { return dialWSAt(t, port, "/?name="+name) }
	next := func(c *websocket.Conn) map[string]any {
		t.Helper()
		var m map[string]any
		if err := c.ReadJSON(&m); err != nil {
			t.Fatal(err)
		}
		delete(m, "online")
		return m
	}
	expect := func(c *websocket.Conn, want string) {
		t.Helper()
		got, _ := json.Marshal(next(c))
		if string(got) != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}

	ann := dial("ann")
	expect(ann, `{"name":"ann","type":"welcome"}`)
	expect(ann, `{"name":"ann","type":"join"}`)
	bob := dial("bob")
	expect(bob, `{"name":"bob","type":"welcome"}`)
	expect(bob, `{"name":"bob","type":"join"}`)
	expect(ann, `{"name":"bob","type":"join"}`)

	bob.WriteMessage(websocket.TextMessage, []byte("hi ann"))
	expect(ann, `{"name":"bob","text":"hi ann","type":"message"}`)
	expect(bob, `{"name":"bob","text":"hi ann","type":"message"}`)

	bob.Close()
	expect(ann, `{"name":"bob","type":"leave"}`)
}

func TestHTTPHelloExample(t *testing.T) {
	_, port := serve(t, filepath.Join(root, "examples/http-hello/server.php"))
	out, code := curl(t, fmt.Sprintf("http://127.0.0.1:%d/?name=Ann", port))
	want := "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nServer: swoole-http-server\r\nDate: X\r\n" +
		"Connection: keep-alive\r\nContent-Length: 12\r\n\r\nHello, Ann!\n"
	if code != 0 || maskDate(out) != want {
		t.Fatalf("got (exit %d) %q", code, out)
	}
}

func TestTimerBroadcastExample(t *testing.T) {
	_, port := serve(t, filepath.Join(root, "examples/timer-broadcast/server.php"), "50")
	a, b := dialWS(t, port), dialWS(t, port)
	for _, c := range []*websocket.Conn{a, b, a, b} {
		var m struct {
			Time    string `json:"time"`
			Clients int    `json:"clients"`
		}
		if err := c.ReadJSON(&m); err != nil || len(m.Time) != 8 || m.Clients < 1 {
			t.Fatalf("tick: %+v %v", m, err)
		}
	}
}
