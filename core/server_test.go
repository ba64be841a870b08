package core

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/swoole-shim/swoole-shim/core/internal/reactor"
	"github.com/swoole-shim/swoole-shim/core/swlog"
	"github.com/swoole-shim/swoole-shim/core/wsframe"
	"github.com/swoole-shim/swoole-shim/core/wsframe/wsframetest"
)

// testServer runs a Server on 127.0.0.1 with handlers written in Go the
// way a PHP script writes its callbacks; they run on the Start goroutine.
type testServer struct {
	*Server
	t    *testing.T
	mu   sync.Mutex
	out  []string // what the "script" printed
	logs bytes.Buffer
	done chan error
	cb   map[EventType]func(*Event)
}

func newTestServer(t *testing.T, kind Kind, cb map[EventType]func(*Event)) *testServer {
	t.Helper()
	s, err := New("127.0.0.1", 0, kind)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: s, t: t, done: make(chan error, 1), cb: cb}
	s.log = swlog.New(&lockedWriter{w: &ts.logs, mu: &ts.mu})
	for typ := range cb {
		for name, et := range eventNames {
			if et == typ {
				if err := s.On(name, true); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return ts
}

func (ts *testServer) start() {
	go func() {
		ts.done <- ts.Start(func(ev *Event) { ts.cb[ev.Type](ev) })
	}()
	ts.t.Cleanup(ts.stop)
}

func (ts *testServer) stop() {
	if ts.Shutdown() == nil {
		select {
		case <-ts.done:
		case <-time.After(5 * time.Second):
			ts.t.Error("server did not stop")
		}
	}
}

// onLoop runs f on the server's thread, between events, as the server's
// own state may only be read there, and waits for it.
func (ts *testServer) onLoop(f func()) {
	ts.t.Helper()
	done := make(chan struct{})
	// An event of no type has no callback: the loop only finishes it.
	ts.queue.push(&Event{Release: func() { f(); close(done) }})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		ts.t.Fatal("the loop did not run a function")
	}
}

func (ts *testServer) println(format string, args ...any) {
	ts.mu.Lock()
	ts.out = append(ts.out, fmt.Sprintf(format, args...))
	ts.mu.Unlock()
}

// waitOutput waits until the script printed want (the whole output).
func (ts *testServer) waitOutput(want ...string) {
	ts.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ts.mu.Lock()
		got := append([]string(nil), ts.out...)
		ts.mu.Unlock()
		if strings.Join(got, "\n") == strings.Join(want, "\n") {
			return
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("output:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (ts *testServer) logText() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.logs.String()
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (ts *testServer) addr() string { return fmt.Sprintf("127.0.0.1:%d", ts.Port()) }

func (ts *testServer) dial() net.Conn {
	ts.t.Helper()
	c, err := net.Dial("tcp", ts.addr())
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(5 * time.Second))
	return c
}

// roundTrip sends raw bytes and reads until the server closes.
func (ts *testServer) roundTrip(req string) string {
	ts.t.Helper()
	c := ts.dial()
	io.WriteString(c, req)
	b, _ := io.ReadAll(c)
	return string(b)
}

func (ts *testServer) dialWS() *websocket.Conn {
	ts.t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial("ws://"+ts.addr()+"/", nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	resp.Body.Close()
	ts.t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	return c
}

var dateRE = regexp.MustCompile(`Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT`)

// seedScript is the article's third program, in Go: Open pushes a
// welcome, Message echoes, Close reports the websocket_status, Request
// closes on ?close, Disconnect reports.
func seedScript(ts **testServer, withDisconnect bool) map[EventType]func(*Event) {
	cb := map[EventType]func(*Event){
		EventOpen: func(ev *Event) { (*ts).Push(ev.FD, []byte("hello, welcome\n"), 1, 1) },
		EventMessage: func(ev *Event) {
			(*ts).println("Message: %s", ev.Data)
			(*ts).Push(ev.FD, append([]byte("server: "), ev.Data...), 1, 1)
		},
		EventClose: func(ev *Event) {
			info, _ := (*ts).ClientInfo(ev.FD)
			if info.WebsocketStatus != 0 {
				(*ts).println("client-%d is closed, WebSocket status is %d", ev.FD, info.WebsocketStatus)
			} else {
				(*ts).println("client-%d is not a valid WebSocket connection", ev.FD)
			}
		},
		EventRequest: func(ev *Event) {
			if strings.Contains(ev.Request.Query, "close") {
				(*ts).ResponseClose(ev.Response)
			}
		},
	}
	if withDisconnect {
		cb[EventDisconnect] = func(ev *Event) { (*ts).println("client-%d is Disconnect", ev.FD) }
	}
	return cb
}

// TestSeedSequence drives the article's programs as reference §1 does: a
// WebSocket client that reads the welcome and closes with 1000, then
// GET /?close=1, then GET / that the callback leaves unanswered.
func TestSeedSequence(t *testing.T) {
	for _, tt := range []struct {
		disconnect bool
		want       []string
	}{
		{false, []string{
			"client-1 is closed, WebSocket status is 3",
			"client-2 is not a valid WebSocket connection",
			"client-3 is not a valid WebSocket connection",
		}},
		{true, []string{
			"client-1 is closed, WebSocket status is 3",
			"client-2 is Disconnect",
			"client-3 is Disconnect",
		}},
	} {
		var ts *testServer
		ts = newTestServer(t, KindWebSocket, seedScript(&ts, tt.disconnect))
		ts.start()

		ws := ts.dialWS()
		if _, msg, err := ws.ReadMessage(); err != nil || string(msg) != "hello, welcome\n" {
			t.Fatalf("welcome: %q, %v", msg, err)
		}
		closeMsg := websocket.FormatCloseMessage(1000, "bye")
		ws.WriteControl(websocket.CloseMessage, closeMsg, time.Now().Add(time.Second))
		_, _, err := ws.ReadMessage()
		ce, ok := err.(*websocket.CloseError)
		if !ok || ce.Code != 1000 || ce.Text != "bye" {
			t.Fatalf("close echo: %v", err)
		}
		ts.waitOutput(tt.want[:1]...)

		if got := ts.roundTrip("GET /?close=1 HTTP/1.1\r\nHost: x\r\n\r\n"); got != "" {
			t.Fatalf("?close=1 answered %q, want nothing", got)
		}
		ts.waitOutput(tt.want[:2]...)

		c := ts.dial()
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		br := bufio.NewReader(c)
		head := readHead(t, br)
		want := "HTTP/1.1 500 Internal Server Error\r\nServer: swoole-http-server\r\nDate: X\r\nConnection: keep-alive\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n"
		if got := dateRE.ReplaceAllString(head, "Date: X"); got != want {
			t.Fatalf("unanswered request got\n%q\nwant\n%q", got, want)
		}
		time.Sleep(50 * time.Millisecond)
		ts.waitOutput(tt.want[:2]...) // kept alive: no close yet
		c.Close()
		ts.waitOutput(tt.want...)
	}
}

func readHead(t *testing.T, br *bufio.Reader) string {
	t.Helper()
	var head strings.Builder
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("reading head %q: %v", head.String(), err)
		}
		head.WriteString(line)
		if line == "\r\n" {
			return head.String()
		}
	}
}

func TestNoRequestCallback(t *testing.T) {
	for _, disconnect := range []bool{false, true} {
		var ts *testServer
		cb := seedScript(&ts, disconnect)
		delete(cb, EventRequest)
		ts = newTestServer(t, KindWebSocket, cb)
		ts.start()
		got := ts.roundTrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		want := "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html; charset=UTF-8\r\n" +
			"Cache-Control: must-revalidate,no-cache,no-store\r\nContent-Length: 83\r\nServer: swoole-http-server\r\n\r\n" +
			"<html><body><h2>HTTP 400 Bad Request</h2><hr><i>Powered by Swoole</i></body></html>"
		if got != want {
			t.Fatalf("got %q", got)
		}
		if disconnect {
			ts.waitOutput("client-1 is Disconnect")
		} else {
			ts.waitOutput("client-1 is not a valid WebSocket connection")
		}
	}
}

func TestMalformedRequest(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindWebSocket, seedScript(&ts, false))
	ts.start()
	got := ts.roundTrip("GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n")
	if got != "HTTP/1.1 400 Bad Request\r\n\r\n" {
		t.Fatalf("got %q", got)
	}
	ts.waitOutput("client-1 is not a valid WebSocket connection")
	re := regexp.MustCompile(`^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \*\d+\.0\]\tNOTICE\tInvalid HTTP request discarded: 7 bytes unprocessed\. Reason: Invalid character in Content-Length\n$`)
	deadline := time.Now().Add(time.Second)
	for !re.MatchString(ts.logText()) {
		if time.Now().After(deadline) {
			t.Fatalf("log %q", ts.logText())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestKeepAlivePipeliningAndHTTP10(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindHTTP, map[EventType]func(*Event){
		EventRequest: func(ev *Event) {
			ts.ResponseHeader(ev.Response, "x-path", ev.Request.Path, true, false)
			ts.ResponseEnd(ev.Response, []byte("hi"))
		},
		EventClose: func(ev *Event) { ts.println("close %d", ev.FD) },
	})
	ts.start()
	c := ts.dial()
	io.WriteString(c, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n")
	br := bufio.NewReader(c)
	for _, p := range []string{"/1", "/2"} {
		head := readHead(t, br)
		want := "HTTP/1.1 200 OK\r\nX-Path: " + p + "\r\nServer: swoole-http-server\r\nDate: X\r\nConnection: keep-alive\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\n"
		if got := dateRE.ReplaceAllString(head, "Date: X"); got != want {
			t.Fatalf("got %q\nwant %q", got, want)
		}
		body := make([]byte, 2)
		io.ReadFull(br, body)
	}
	got := ts.roundTrip("GET /3 HTTP/1.0\r\n\r\n")
	if !strings.Contains(got, "\r\nConnection: close\r\n") || !strings.HasSuffix(got, "\r\n\r\nhi") {
		t.Fatalf("HTTP/1.0: %q", got)
	}
	ts.waitOutput("close 2")
}

func TestSessionFDsAndClientInfo(t *testing.T) {
	var ts *testServer
	infos := make(chan ClientInfo, 4)
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) {
			info, _ := ts.ClientInfo(ev.FD)
			infos <- info
		},
		EventClose: func(ev *Event) {},
	})
	ts.start()
	for want := int64(1); want <= 3; want++ {
		ws := ts.dialWS()
		ws.WriteMessage(websocket.TextMessage, []byte("x"))
		info := <-infos
		local := ws.LocalAddr().(*net.TCPAddr)
		if info.WebsocketStatus != StatusActive || info.RemotePort != local.Port || info.RemoteIP != "127.0.0.1" ||
			info.ServerPort != ts.Port() || info.SocketFD <= 2 || info.ServerFD <= 2 || info.SocketType != 1 ||
			info.ConnectTime == 0 || info.LastRecvTime < float64(info.ConnectTime) || info.LastDispatchTime == 0 {
			t.Fatalf("client info %+v", info)
		}
		var fds []int64
		ts.onLoop(func() { fds = ts.ClientList(0, 10) })
		if len(fds) != 1 || fds[0] != want {
			t.Fatalf("client list %v, want [%d]", fds, want)
		}
		ws.Close()
		exist := true
		for deadline := time.Now().Add(2 * time.Second); exist && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			ts.onLoop(func() { exist = ts.Exist(want) })
		}
	}
	var ok bool
	ts.onLoop(func() { _, ok = ts.ClientInfo(9999) })
	if ok {
		t.Fatal("info for an unknown fd")
	}
}

func TestPushAndDisconnect(t *testing.T) {
	var ts *testServer
	errs := make(chan string, 8)
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) {
			switch string(ev.Data) {
			case "unknown":
				errs <- fmt.Sprint(ts.Push(9999, []byte("x"), 1, 1))
			case "bye":
				errs <- fmt.Sprint(ts.Disconnect(ev.FD, 4000, "bye"))
				errs <- fmt.Sprint(ts.Push(ev.FD, []byte("x"), 1, 1))
			case "disconnect unknown":
				errs <- fmt.Sprint(ts.Disconnect(9999, 4000, "bye"))
			}
		},
		EventRequest: func(ev *Event) {
			errs <- fmt.Sprint(ts.Push(ev.FD, []byte("x"), 1, 1))
			errs <- fmt.Sprint(ts.Exist(ev.FD), ts.IsEstablished(ev.FD))
			ts.ResponseEnd(ev.Response, nil)
		},
		EventClose: func(ev *Event) {
			ts.println("close %d reactor %d exist %v", ev.FD, ev.ReactorID, ts.Exist(ev.FD))
		},
	})
	ts.start()
	ws := ts.dialWS()
	for _, tt := range []struct{ send, want string }{
		{"unknown", "session#9999 does not exists"},
		{"disconnect unknown", "the connected client of connection[9999] is not a websocket client or closed"},
	} {
		ws.WriteMessage(websocket.TextMessage, []byte(tt.send))
		if got := <-errs; got != tt.want {
			t.Errorf("%s: %q, want %q", tt.send, got, tt.want)
		}
	}
	ws.WriteMessage(websocket.TextMessage, []byte("bye"))
	if got := <-errs; got != "<nil>" {
		t.Errorf("disconnect: %s", got)
	}
	if got := <-errs; got != "session#1 does not exists" {
		t.Errorf("push after disconnect: %s", got)
	}
	_, _, err := ws.ReadMessage()
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != 4000 || ce.Text != "bye" {
		t.Fatalf("client saw %v", err)
	}
	ts.waitOutput("close 1 reactor -1 exist false")

	c := ts.dial()
	io.WriteString(c, "GET / HTTP/1.1\r\n\r\n")
	if got := <-errs; got != "the connected client of connection[2] is not a websocket client or closed" {
		t.Errorf("push to http: %s", got)
	}
	if got := <-errs; got != "true false" {
		t.Errorf("exist/isEstablished of http: %s", got)
	}
}

func TestHandshakeRejected(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindWebSocket, seedScript(&ts, true))
	ts.start()
	for i, key := range []string{"", "short", "!!!!!!!!!!!!!!!!!!!!!!!!"} {
		req := "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
		if key != "" {
			req += "Sec-WebSocket-Key: " + key + "\r\n"
		}
		got := dateRE.ReplaceAllString(ts.roundTrip(req+"\r\n"), "Date: X")
		want := "HTTP/1.1 400 Bad Request\r\nServer: swoole-http-server\r\nDate: X\r\nConnection: keep-alive\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n"
		if got != want {
			t.Fatalf("key %q: got %q", key, got)
		}
		ts.waitOutput(func() (o []string) {
			for n := 1; n <= i+1; n++ {
				o = append(o, fmt.Sprintf("client-%d is Disconnect", n))
			}
			return
		}()...)
	}
}

func TestHandshakeBytes(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindWebSocket, seedScript(&ts, false))
	ts.start()
	c := ts.dial()
	io.WriteString(c, "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	br := bufio.NewReader(c)
	got := dateRE.ReplaceAllString(readHead(t, br), "Date: X")
	want := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Version: 13\r\n" +
		"Server: swoole-http-server\r\nDate: X\r\n\r\n"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	frame := make([]byte, 17)
	io.ReadFull(br, frame)
	if string(frame) != "\x81\x0fhello, welcome\n" {
		t.Fatalf("welcome frame % x", frame)
	}
}

func TestRFC6455Errors(t *testing.T) {
	for _, tt := range []struct {
		name  string
		frame []byte
		code  int
	}{
		{"invalid utf-8", wsframetest.Masked(0x81, []byte{0xff, 0xfe}), 1007},
		{"unmasked", []byte{0x81, 0x01, 'a'}, 1002},
		{"reserved opcode", wsframetest.Masked(0x83, nil), 1002},
		{"rsv bit", wsframetest.Masked(0xc1, []byte("a")), 1002},
		{"fragmented ping", wsframetest.Masked(0x09, nil), 1002},
		{"too big", wsframetest.Masked(0x82, make([]byte, 3<<20)), 1009},
	} {
		var ts *testServer
		ts = newTestServer(t, KindWebSocket, seedScript(&ts, false))
		ts.start()
		c := ts.dial()
		io.WriteString(c, "GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
		br := bufio.NewReader(c)
		readHead(t, br)
		br.Discard(17) // welcome
		c.Write(tt.frame)
		hdr := make([]byte, 4)
		if _, err := io.ReadFull(br, hdr); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if hdr[0] != 0x88 || int(hdr[2])<<8|int(hdr[3]) != tt.code {
			t.Errorf("%s: close frame % x, want code %d", tt.name, hdr, tt.code)
		}
		ts.waitOutput("client-1 is closed, WebSocket status is 3")
	}
}

func TestPortInUse(t *testing.T) {
	a, err := New("127.0.0.1", 0, KindWebSocket)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Free()
	_, err = New("127.0.0.1", a.Port(), KindWebSocket)
	want := fmt.Sprintf("failed to listen server port[127.0.0.1:%d], Error: Address already in use[98]", a.Port())
	if err == nil || err.Error() != want || Code(err) != 98 {
		t.Fatalf("got %v (code %d), want %q", err, Code(err), want)
	}
}

func TestStartRules(t *testing.T) {
	s, err := New("127.0.0.1", 0, KindWebSocket)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Free()
	if err := s.On("Nope", true); err == nil || err.Error() != "unknown event types[Nope]" {
		t.Fatalf("unknown event: %v", err)
	}
	if err := s.On("OPEN", true); err != nil {
		t.Fatalf("case-insensitive name: %v", err)
	}
	if err := s.Start(nil); err == nil || err.Error() != "require onMessage callback" {
		t.Fatalf("start without message: %v", err)
	}
	s.On("message", true)
	s.Set("task_worker_num", "2")
	wantTask := "failed to start server. Error: Server::start_check() (ERRNO 9015): require 'onTask' callback"
	if err := s.Begin(); err == nil || err.Error() != wantTask || Code(err) != 9015 {
		t.Fatalf("task workers without onTask: %v", err)
	}
	s.On("message", false)
	if err := s.Set("no_such_option", "1"); err == nil || err.Error() != "unsupported option [no_such_option]" {
		t.Fatalf("unknown option: %v", err)
	}
	if err := s.Set("package_max_length", "4M"); err != nil || s.opts.PackageMaxLength != 4<<20 {
		t.Fatalf("package_max_length: %v %d", err, s.opts.PackageMaxLength)
	}
}

// TestStalledClient: a client that sends but never reads gets its output
// queued up to socket_buffer_size (and the message that crossed it), then
// is no longer read; it never blocks
// the PHP thread, and another client is served all along.
func TestStalledClient(t *testing.T) {
	var ts *testServer
	got := make(chan ClientInfo, 1)
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) {
			switch string(ev.Data) {
			case "info":
				info, _ := ts.ClientInfo(1)
				got <- info
				return
			case "flood":
				// Past socket_buffer_size, push fails: no blocking.
				n := 0
				for ; n < 100 && ts.Push(1, make([]byte, 16<<10), 2, 1) == nil; n++ {
				}
				ts.println("pushed %d", n)
				return
			}
			ts.Push(ev.FD, ev.Data, 2, 1)
		},
	})
	if err := ts.Set("socket_buffer_size", "256K"); err != nil {
		t.Fatal(err)
	}
	ts.start()
	stalled := ts.dial()
	io.WriteString(stalled, "GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
	readHead(t, bufio.NewReader(stalled))
	frame := wsframetest.Masked(0x82, make([]byte, 16<<10))
	sent := 0
	stalled.SetWriteDeadline(time.Now().Add(time.Second))
	for sent < 64<<20 {
		n, err := stalled.Write(frame)
		sent += n
		if err != nil {
			break // the server stopped reading it: TCP pushed back
		}
	}
	if sent >= 64<<20 {
		t.Fatalf("the server read %d MiB from a client that reads nothing", sent>>20)
	}
	ws := ts.dialWS()
	for i := 0; i < 100; i++ {
		ws.WriteMessage(websocket.BinaryMessage, []byte("ping"))
		if _, msg, err := ws.ReadMessage(); err != nil || string(msg) != "ping" {
			t.Fatalf("the other client: %q %v", msg, err)
		}
	}
	ws.WriteMessage(websocket.BinaryMessage, []byte("info"))
	if info := <-got; info.SendQueuedBytes < 64<<10 || info.SendQueuedBytes > 256<<10 {
		t.Fatalf("stalled client's queued output: %d bytes", info.SendQueuedBytes)
	}
	ws.WriteMessage(websocket.BinaryMessage, []byte("flood"))
	ws.WriteMessage(websocket.BinaryMessage, []byte("info"))
	if info := <-got; info.SendQueuedBytes >= 256<<10+16<<10 {
		t.Fatalf("queued output past the cap and one message: %d bytes", info.SendQueuedBytes)
	}
	ts.mu.Lock()
	out := strings.Join(ts.out, "\n")
	ts.mu.Unlock()
	if !strings.HasPrefix(out, "pushed ") || out == "pushed 100" {
		t.Fatalf("flood: %q", out)
	}
	if !strings.Contains(ts.logText(), "\tWARNING\tServer::send_to_connection() (ERRNO 1009): connection#") {
		t.Fatalf("no overflow log line: %q", ts.logText())
	}
}

// BenchmarkEcho is the hot path in one process: a frame read by the event
// loop, dispatched, and answered with Push (its write included).
func BenchmarkEcho(b *testing.B) {
	s, err := New("127.0.0.1", 0, KindWebSocket)
	if err != nil {
		b.Fatal(err)
	}
	s.log = swlog.New(io.Discard)
	s.On("message", true)
	reply := []byte("server: 0123456789abcdef")
	go s.Start(func(ev *Event) { s.Push(ev.FD, reply, 1, 1) })
	defer s.Shutdown()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port()))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
	br := bufio.NewReader(c)
	for line, _ := br.ReadString('\n'); line != "\r\n"; line, _ = br.ReadString('\n') {
	}
	frame := wsframetest.Masked(0x81, []byte("0123456789abcdef"))
	answer := make([]byte, 2+len(reply))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Write(frame)
		if _, err := io.ReadFull(br, answer); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBadClients: a request that never completes is closed after the
// request timeout; connections past max_connection are refused with
// Swoole's log line; clients that vanish mid-request or mid-frame leave no
// session, socket or buffer behind.
func TestBadClients(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) { ts.Push(ev.FD, ev.Data, 1, 1) },
		EventClose:   func(ev *Event) { ts.println("close %d %d", ev.FD, ev.ReactorID) },
	})
	ts.requestTimeout = time.Second
	if err := ts.Set("max_connection", "3"); err != nil {
		t.Fatal(err)
	}
	ts.start()
	fdsBefore := openFDs(t)

	// Slow loris: half a request, then nothing.
	loris := ts.dial()
	io.WriteString(loris, "GET / HTTP/1.1\r\nHost: x\r\n")
	start := time.Now()
	if n, err := loris.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("slow request: read %d, %v; want EOF", n, err)
	}
	if d := time.Since(start); d < 900*time.Millisecond || d > 3*time.Second {
		t.Fatalf("closed after %v, want about 1s", d)
	}
	ts.waitOutput("close 1 -1")

	// Three connections fill max_connection; the fourth is refused.
	var conns []net.Conn
	for i := 0; i < 3; i++ {
		conns = append(conns, ts.dial())
	}
	fourth := ts.dial()
	if n, err := fourth.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("connection over max_connection: read %d, %v; want EOF", n, err)
	}
	if !strings.Contains(ts.logText(), "\tWARNING\tServer::accept_connection() (ERRNO 9012): Too many connections [now: 3]\n") {
		t.Fatalf("log %q", ts.logText())
	}

	// They vanish: mid-request, mid-handshake, mid-frame.
	io.WriteString(conns[0], "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc")
	io.WriteString(conns[1], "GET / HTTP/1.1\r\nUpgrade: websocket\r\n")
	io.WriteString(conns[2], "GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
	readHead(t, bufio.NewReader(conns[2]))
	conns[2].Write(wsframetest.Masked(0x82, make([]byte, 1000))[:500])
	time.Sleep(100 * time.Millisecond)
	for _, c := range conns {
		c.Close()
	}
	ts.waitOutput("close 1 -1", "close 2 0", "close 3 0", "close 4 0")
	loris.Close()
	fourth.Close()
	deadline := time.Now().Add(2 * time.Second)
	for {
		var sessions int
		ts.onLoop(func() { sessions = len(ts.sessions) })
		if n := openFDs(t); n <= fdsBefore && sessions == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fds %d (before %d), sessions %d", openFDs(t), fdsBefore, sessions)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func openFDs(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// TestSlowCallback: while one callback takes its time, the other
// connections' messages wait and are all served after it, in order.
func TestSlowCallback(t *testing.T) {
	var ts *testServer
	running := make(chan struct{})
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) {
			if string(ev.Data) == "slow" {
				close(running)
				time.Sleep(300 * time.Millisecond)
			}
			ts.println("%d %s", ev.FD, ev.Data)
			ts.Push(ev.FD, ev.Data, 1, 1)
		},
	})
	ts.start()
	slow, a, b := ts.dialWS(), ts.dialWS(), ts.dialWS()
	slow.WriteMessage(websocket.TextMessage, []byte("slow"))
	<-running // the others' messages arrive while the slow callback runs
	a.WriteMessage(websocket.TextMessage, []byte("a1"))
	b.WriteMessage(websocket.TextMessage, []byte("b1"))
	a.WriteMessage(websocket.TextMessage, []byte("a2"))
	for _, c := range []*websocket.Conn{a, b, a} {
		if _, _, err := c.ReadMessage(); err != nil {
			t.Fatal(err)
		}
	}
	// The slow one first; then each connection's messages in order (a
	// connection's messages read together are dispatched together).
	ts.mu.Lock()
	out := strings.Join(ts.out, ",")
	ts.mu.Unlock()
	if out != "1 slow,2 a1,3 b1,2 a2" && out != "1 slow,2 a1,2 a2,3 b1" {
		t.Fatalf("order %s", out)
	}
}

func TestPidFile(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){EventMessage: func(*Event) {}})
	path := filepath.Join(t.TempDir(), "server.pid")
	if err := ts.Set("pid_file", path); err != nil {
		t.Fatal(err)
	}
	ts.start()
	deadline := time.Now().Add(2 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if string(b) == strconv.Itoa(os.Getpid()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid_file holds %q", b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	ts.stop()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("pid_file left after shutdown: %v", err)
	}
}

func TestTooLarge(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindHTTP, map[EventType]func(*Event){
		EventRequest: func(ev *Event) { ts.ResponseEnd(ev.Response, nil) },
	})
	ts.Set("package_max_length", "1K")
	ts.start()
	got := ts.roundTrip("POST / HTTP/1.1\r\nContent-Length: 2000\r\n\r\n")
	if got != "HTTP/1.1 413 Request Entity Too Large\r\n\r\n" {
		t.Fatalf("got %q", got)
	}
	want := fmt.Sprintf("\tWARNING\tListenPort::readable_callback_http() (ERRNO 7102): Request Entity Too Large: "+
		"header-length (41) + content-length (2000) is greater than the package_max_length(1024) from session#1 on 127.0.0.1:%d\n", ts.Port())
	deadline := time.Now().Add(2 * time.Second)
	for !strings.HasSuffix(ts.logText(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("log %q, want suffix %q", ts.logText(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSplitHandshake: a handshake that arrives in pieces, followed at once
// by frames, is answered and its frames served.
func TestSplitHandshake(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) { ts.Push(ev.FD, ev.Data, 1, 1) },
	})
	ts.start()
	c := ts.dial()
	io.WriteString(c, "GET / HTTP/1.1\r\nUpgrade: websocket\r\n")
	time.Sleep(50 * time.Millisecond)
	io.WriteString(c, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"+string(wsframetest.Masked(0x81, []byte("hi"))))
	br := bufio.NewReader(c)
	readHead(t, br)
	echo := make([]byte, 4)
	if _, err := io.ReadFull(br, echo); err != nil || string(echo) != "\x81\x02hi" {
		t.Fatalf("echo %q %v", echo, err)
	}
}

// TestByteByByte: clients that send one byte at a time get exactly what
// clients that send everything at once get.
func TestByteByByte(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) { ts.Push(ev.FD, ev.Data, ev.Opcode, 1) },
		EventRequest: func(ev *Event) { ts.ResponseEnd(ev.Response, append([]byte("path "), ev.Request.Path...)) },
	})
	ts.start()
	ws := "GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n" +
		string(wsframetest.Masked(0x81, []byte("one"))) + string(wsframetest.Masked(0x01, []byte("tw"))) +
		string(wsframetest.Masked(0x89, []byte("p"))) + string(wsframetest.Masked(0x80, []byte("o"))) +
		string(wsframetest.Masked(0x82, []byte{0, 1, 2})) + string(wsframetest.Masked(0x88, []byte{0x03, 0xe8}))
	http := "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\nConnection: close\r\n\r\n"
	for _, transcript := range []string{ws, http} {
		var replies []string
		for _, step := range []int{len(transcript), 1} {
			c := ts.dial()
			for i := 0; i < len(transcript); i += step {
				c.Write([]byte(transcript[i:min(i+step, len(transcript))]))
				if step == 1 {
					time.Sleep(time.Millisecond)
				}
			}
			b, _ := io.ReadAll(c)
			replies = append(replies, dateRE.ReplaceAllString(string(b), "Date: X"))
		}
		if replies[0] != replies[1] || !strings.Contains(replies[0], "\x88\x02\x03\xe8") && !strings.Contains(replies[0], "path /c") {
			t.Fatalf("at once:\n%q\nbyte by byte:\n%q", replies[0], replies[1])
		}
	}
}

// TestHoldRelease: a held request is not answered when the loop moves on,
// only when it is released (a suspended coroutine's response).
func TestHoldRelease(t *testing.T) {
	s, err := New("127.0.0.1", 0, KindHTTP)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Free()
	s.On("request", true)
	if err := s.Begin(); err != nil {
		t.Fatal(err)
	}
	if s.Hold() != 0 {
		t.Fatal("Hold with nothing in flight")
	}
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"))
	var token uint64
	for token == 0 {
		ev := s.Next(true)
		if ev.Type == EventRequest {
			token = s.Hold()
		}
	}
	c.Write([]byte("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"))
	for ev := s.Next(true); ev.Type != EventRequest; ev = s.Next(true) {
	} // the loop has moved on to the next request
	c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, _ := c.Read(make([]byte, 1)); n != 0 {
		t.Fatal("an answer before the held request was released")
	}
	if err := s.Release(token); err != nil {
		t.Fatal(err)
	}
	if err := s.Release(token); err == nil {
		t.Fatal("released twice")
	}
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 4096)
	n, _ := io.ReadAtLeast(c, buf, 12)
	if !strings.HasPrefix(string(buf[:n]), "HTTP/1.1 500 ") {
		t.Fatalf("after release: %q", buf[:n])
	}
}

// waiting reports how many bytes the client can read now, without
// waiting. Over loopback a write normally lands in the peer's socket
// before write() returns; arrived allows for the kernel deferring it.
func waiting(t *testing.T, c net.Conn) int {
	raw, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Error(err)
		return 0
	}
	buf := make([]byte, 4096)
	n := 0
	raw.Control(func(fd uintptr) {
		n, _, err = syscall.Recvfrom(int(fd), buf, syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	})
	if err == syscall.EAGAIN {
		return 0
	}
	if err != nil {
		t.Error(err)
	}
	return n
}

// arrived reports whether more than before bytes are waiting for the
// client, giving a write that was made up to d to land.
func arrived(t *testing.T, c net.Conn, before int, d time.Duration) bool {
	for deadline := time.Now().Add(d); ; time.Sleep(time.Millisecond) {
		if waiting(t, c) > before {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// TestHeldOutput: output pushed while other events are ready is written
// once they have run, in order, and a close writes it first.
func TestHeldOutput(t *testing.T) {
	var ts *testServer
	var peer atomic.Value // the client's net.Conn, for the callbacks
	seen := make(chan string, 8)
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) {
			client := peer.Load().(net.Conn)
			before := waiting(t, client)
			if err := ts.Push(ev.FD, append([]byte("re:"), ev.Data...), 1, 1); err != nil {
				t.Error(err)
			}
			// Waits only for the write it expects: a held one cannot land.
			var d time.Duration
			if string(ev.Data) == "c" {
				d = time.Second
			}
			seen <- fmt.Sprintf("%s wrote %v", ev.Data, arrived(t, client, before, d))
			if string(ev.Data) == "close" {
				ts.Close(ev.FD, false)
			}
		},
		EventClose: func(ev *Event) {},
	})
	ts.start()
	ws := ts.dialWS()
	client := ws.NetConn()
	peer.Store(client)

	// Three frames in one write: one read, one batch of three events.
	var burst []byte
	for _, m := range []string{"a", "b", "c"} {
		burst = append(burst, wsframetest.Masked(0x81, []byte(m))...)
	}
	client.Write(burst)
	for _, want := range []string{"a wrote false", "b wrote false", "c wrote true"} {
		if got := <-seen; got != want {
			t.Errorf("%s, want %s", got, want)
		}
	}
	for _, want := range []string{"re:a", "re:b", "re:c"} {
		if _, got, err := ws.ReadMessage(); err != nil || string(got) != want {
			t.Fatalf("read %q %v, want %q", got, err, want)
		}
	}

	// A connection closed with output held: the output goes first.
	client.Write(append(wsframetest.Masked(0x81, []byte("close")), wsframetest.Masked(0x81, []byte("after"))...))
	if got := <-seen; got != "close wrote false" {
		t.Errorf("%s, want close wrote false", got)
	}
	if _, got, err := ws.ReadMessage(); err != nil || string(got) != "re:close" {
		t.Fatalf("read %q %v, want re:close", got, err)
	}
	if _, _, err := ws.ReadMessage(); err == nil {
		t.Fatal("connection still open after close()")
	}
}

// TestBroadcastHeld: a callback's writes to other connections than its
// first are held, written in slices of reactor.MaxHeldConns (on two threads) and the
// rest once the callback returns; every client gets every frame in order.
func TestBroadcastHeld(t *testing.T) {
	const n = reactor.MaxHeldConns + 76
	var ts *testServer
	var peers atomic.Value // []net.Conn by fd - 1
	counts := make(chan [2]int, 2)
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) {
			for _, fd := range ts.ClientList(0, n) {
				if err := ts.Push(fd, ev.Data, 1, 1); err != nil {
					t.Error(err)
				}
			}
			// What was written may take a moment to land; what is held
			// cannot, however long this waits.
			var written, held int
			for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(time.Millisecond) {
				written, held = 0, 0
				for _, c := range peers.Load().([]net.Conn) {
					if waiting(t, c) > 0 {
						written++
					} else {
						held++
					}
				}
				if written >= 1+reactor.MaxHeldConns || time.Now().After(deadline) {
					break
				}
			}
			counts <- [2]int{written, held}
		},
	})
	ts.start()
	conns := make([]*websocket.Conn, n)
	raw := make([]net.Conn, n)
	for i := range conns {
		conns[i] = ts.dialWS()
		raw[i] = conns[i].NetConn()
	}
	peers.Store(raw)
	for _, msg := range []string{"one", "two"} {
		conns[0].WriteMessage(websocket.TextMessage, []byte(msg))
		// The sender's own frame, then one slice of MaxHeldConns: the
		// other 75 wait for the callback's end.
		if got, want := <-counts, [2]int{1 + reactor.MaxHeldConns, n - 1 - reactor.MaxHeldConns}; got != want {
			t.Errorf("%s: written, held = %v, want %v", msg, got, want)
		}
		for i, c := range conns {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, got, err := c.ReadMessage(); err != nil || string(got) != msg {
				t.Fatalf("client %d: %q %v, want %q", i, got, err, msg)
			}
		}
	}
}

// TestPipelinedStatic: a static file requested right after a request for
// onRequest, in one write, is answered after it, as HTTP/1.1 requires.
func TestPipelinedStatic(t *testing.T) {
	ts := staticServer(t, "file.txt")
	c := ts.dial()
	// The file's request says keep-alive: else Swoole's static handler
	// closes after it (TestStaticKeepAlive).
	io.WriteString(c, "GET /app HTTP/1.1\r\nHost: x\r\n\r\nGET /file.txt HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\nGET /app HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	b, _ := io.ReadAll(c)
	var bodies []string
	for _, resp := range strings.Split(string(b), "HTTP/1.1 ")[1:] {
		_, body, _ := strings.Cut(resp, "\r\n\r\n")
		bodies = append(bodies, body)
	}
	if got := strings.Join(bodies, ","); got != "dynamic,static,dynamic" {
		t.Errorf("bodies in order %q, want dynamic,static,dynamic\n%s", got, b)
	}
}

// TestHeldWrittenEarly: a connection whose held output was written early
// (a push too big to hold) and then held again gets its frames in order
// (reactor's TestHeldListedOnce checks that it is listed once).
func TestHeldWrittenEarly(t *testing.T) {
	const n = 101
	big := bytes.Repeat([]byte("x"), reactor.MaxHeldBytes+1)
	var ts *testServer
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) {
			fds := ts.ClientList(0, n)
			for _, fd := range fds {
				ts.Push(fd, []byte("a"), 1, 1)
			}
			// Too big to hold: written at once, after what was held.
			ts.Push(fds[n/2], big, 2, 1)
			ts.Push(fds[n-1], big, 2, 1)
			ts.Push(fds[n/2], []byte("b"), 1, 1) // held again
		},
	})
	ts.start()
	conns := make([]*websocket.Conn, n)
	for i := range conns {
		conns[i] = ts.dialWS()
	}
	conns[0].WriteMessage(websocket.TextMessage, []byte("go"))
	for i, c := range conns {
		want := []string{"a"}
		switch i {
		case n / 2:
			want = []string{"a", string(big), "b"}
		case n - 1:
			want = []string{"a", string(big)}
		}
		for _, w := range want {
			if _, got, err := c.ReadMessage(); err != nil || string(got) != w {
				t.Fatalf("client %d: %d bytes %v, want %d", i, len(got), err, len(w))
			}
		}
	}
}

// TestDisconnectOnCloseFrame: with open_websocket_close_frame, onMessage
// of the client's close frame that calls disconnect() sends that close
// frame and then, as Swoole does, the echo of the client's: two frames.
func TestDisconnectOnCloseFrame(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
		EventMessage: func(ev *Event) {
			if ev.Opcode == int(wsframe.OpClose) {
				ts.Disconnect(ev.FD, 4000, "bye")
			}
		},
		EventClose: func(*Event) {},
	})
	if err := ts.Set("open_websocket_close_frame", "1"); err != nil {
		t.Fatal(err)
	}
	ts.start()
	c := ts.dial()
	io.WriteString(c, "GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
	br := bufio.NewReader(c)
	readHead(t, br)
	c.Write(wsframetest.Masked(0x88, []byte{0x03, 0xe8, 'o', 'k'}))
	got, _ := io.ReadAll(br)
	want := []byte{0x88, 5, 0x0f, 0xa0, 'b', 'y', 'e', 0x88, 4, 0x03, 0xe8, 'o', 'k'}
	if !bytes.Equal(got, want) {
		t.Errorf("on the wire % x, want % x", got, want)
	}
}

// staticServer serves a document_root holding name ("static") with the
// static handler, and "dynamic" from onRequest for anything else.
func staticServer(t *testing.T, name string) *testServer {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("static"), 0o644); err != nil {
		t.Fatal(err)
	}
	var ts *testServer
	ts = newTestServer(t, KindHTTP, map[EventType]func(*Event){
		EventRequest: func(ev *Event) { ts.ResponseEnd(ev.Response, []byte("dynamic")) },
	})
	ts.opts.StaticHandler, ts.opts.DocumentRoot = true, dir
	ts.start()
	return ts
}

// TestStaticKeepAlive: Swoole's static handler keeps the connection only
// when the request says "Connection: keep-alive"; an HTTP/1.1 request
// without the header gets "Connection: close" and the connection closes
// after the file.
func TestStaticKeepAlive(t *testing.T) {
	ts := staticServer(t, "f.txt")
	for _, tt := range []struct{ header, want string }{
		{"", "Connection: close\r\n"},
		{"Connection: keep-alive\r\n", "Connection: keep-alive\r\n"},
	} {
		c := ts.dial()
		io.WriteString(c, "GET /f.txt HTTP/1.1\r\nHost: x\r\n"+tt.header+"\r\n")
		c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		b, err := io.ReadAll(c)
		closed := err == nil // EOF: the server closed it
		if !strings.Contains(string(b), tt.want) || !strings.HasSuffix(string(b), "static") || closed != (tt.header == "") {
			t.Errorf("request with %q: %q, closed %v", tt.header, b, closed)
		}
		c.Close()
	}
}
