package core

import (
	"strings"
	"syscall"
	"testing"
)

// Two workers sharing one Shared give session ids from one sequence and
// count each other's connections, as Swoole's BASE-mode workers do.
func TestWorkersShare(t *testing.T) {
	sh := &Shared{}
	var workers [2]*testServer
	var opened [2][]int64
	for i := range workers {
		i := i
		workers[i] = newTestServer(t, KindWebSocket, map[EventType]func(*Event){
			EventConnect: func(ev *Event) { opened[i] = append(opened[i], ev.FD) },
			EventMessage: func(*Event) {},
			EventWorkerStart: func(ev *Event) {
				if ev.WorkerID != i {
					t.Errorf("worker %d started as %d", i, ev.WorkerID)
				}
			},
		})
		if err := workers[i].AsWorker(i, sh); err != nil {
			t.Fatal(err)
		}
		workers[i].start()
	}
	a1 := workers[0].dial()
	workers[0].onLoop(func() {})
	b1 := workers[1].dial()
	workers[1].onLoop(func() {})
	a2 := workers[0].dial()
	workers[0].onLoop(func() {})
	for i, want := range [][]int64{{1, 3}, {2}} {
		if got := opened[i]; len(got) != len(want) || got[0] != want[0] || (len(got) > 1 && got[1] != want[1]) {
			t.Errorf("worker %d sessions %v, want %v", i, got, want)
		}
	}
	if n := workers[1].ConnectionCount(); n != 3 {
		t.Errorf("worker 1 counts %d connections, want 3 (all workers')", n)
	}
	a1.Close()
	a2.Close()
	b1.Close()
	for _, w := range workers {
		w.waitCount(0)
	}
	if err := workers[0].AsWorker(1, sh); err != errStarted {
		t.Errorf("AsWorker after start: %v", err)
	}
}

// waitCount waits until the server counts n connections.
func (ts *testServer) waitCount(n int) {
	ts.t.Helper()
	for i := 0; i < 500; i++ {
		got := -1
		ts.onLoop(func() { got = ts.ConnectionCount() })
		if got == n {
			return
		}
		syscall.Nanosleep(&syscall.Timespec{Nsec: 10e6}, nil)
	}
	ts.t.Fatalf("connection count never reached %d", n)
}

// A listening socket made before the server (by the process that forked
// the worker) serves as its first port.
func TestNewFromFD(t *testing.T) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 16); err != nil {
		t.Fatal(err)
	}
	s, err := NewFromFD(fd, "127.0.0.1", KindHTTP)
	if err != nil {
		t.Fatal(err)
	}
	sa, _ := syscall.Getsockname(fd)
	if want := sa.(*syscall.SockaddrInet4).Port; s.Port() != want {
		t.Errorf("port %d, want %d", s.Port(), want)
	}
	ts := &testServer{Server: s, t: t, done: make(chan error, 1), cb: map[EventType]func(*Event){
		EventRequest: func(ev *Event) { s.ResponseEnd(ev.Response, []byte("adopted")) },
	}}
	s.On("request", true)
	ts.start()
	if got := ts.roundTrip("GET / HTTP/1.0\r\n\r\n"); !strings.Contains(got, "200 OK") || !strings.HasSuffix(got, "adopted") {
		t.Errorf("response %q", got)
	}
	if _, err := NewFromFD(-1, "127.0.0.1", KindHTTP); err == nil {
		t.Error("NewFromFD(-1) worked")
	}
}
