package reactor

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestHoldLimits: output is held only while the socket has nothing
// queued, the connection is open and the total fits both MaxHeldBytes and
// the queue's cap (so writing it later cannot overflow).
func TestHoldLimits(t *testing.T) {
	for _, tt := range []struct {
		name   string
		limit  int
		queued int
		held   int
		p      int
		closed bool
		want   bool
	}{
		{"small", 1 << 20, 0, 0, 100, false, true},
		{"appended", 1 << 20, 0, 100, 100, false, true},
		{"past MaxHeldBytes", 1 << 20, 0, MaxHeldBytes - 10, 11, false, false},
		{"past the cap", 1000, 0, 900, 101, false, false},
		{"output queued", 1 << 20, 10, 0, 100, false, false},
		{"closed", 1 << 20, 0, 0, 100, true, false},
	} {
		c := Conn{limit: tt.limit, closed: tt.closed, queue: make([]byte, tt.queued), held: make([]byte, tt.held)}
		if got := c.hold(make([]byte, tt.p)); got != tt.want {
			t.Errorf("%s: hold = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func newReactor(t *testing.T) *Reactor {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// pair attaches one end of a socket pair to r and returns the other end.
func pair(t *testing.T, r *Reactor, c *Conn) *os.File {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Attach(c, fds[0], 1<<20); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(true) })
	peer := os.NewFile(uintptr(fds[1]), "peer")
	t.Cleanup(func() { peer.Close() })
	return peer
}

// TestHeldListedOnce: a connection whose held output was written early
// (a write too big to hold) and then held again is listed once, so the
// two writers of a long list never share it (the race detector cannot see
// that: their atomic byte count orders them); its output stays in order.
func TestHeldListedOnce(t *testing.T) {
	r := newReactor(t)
	var c Conn
	peer := pair(t, r, &c)
	big := bytes.Repeat([]byte("x"), MaxHeldBytes+1)
	if held, _ := r.Hold(&c, []byte("a")); !held {
		t.Fatal("a: not held")
	}
	if held, _ := r.Hold(&c, big); held {
		t.Fatal("big: held")
	}
	if err := c.Write(big); err != nil {
		t.Fatal(err)
	}
	if held, _ := r.Hold(&c, []byte("b")); !held {
		t.Fatal("b: not held")
	}
	if len(r.held) != 1 {
		t.Errorf("listed %d times, want once", len(r.held))
	}
	if lost := r.FlushHeld(); len(lost) != 0 {
		t.Errorf("%d connections lost", len(lost))
	}
	want := append(append([]byte("a"), big...), 'b')
	got := make([]byte, len(want))
	if _, err := io.ReadFull(peer, got); err != nil || !bytes.Equal(got, want) {
		t.Errorf("read %d bytes %v, want a, %d bytes, b in order", len(got), err, len(big))
	}
}

// lowestFreeFD is the lowest descriptor number not in use.
func lowestFreeFD(t *testing.T) int {
	t.Helper()
	for fd := 0; ; fd++ {
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == unix.EBADF {
			return fd
		}
	}
}

// ready reports which of fds a Poll that waits up to msec finds ready.
func ready(r *Reactor, msec int, fds ...int) map[int]bool {
	got := map[int]bool{}
	for _, e := range r.Poll(msec) {
		for _, fd := range fds {
			if e.FD() == fd {
				got[fd] = true
			}
		}
	}
	return got
}

// TestAcceptPause: when descriptors run out, Accept fails with EMFILE and
// takes every listening socket out of the poll set, so that a poll no
// longer reports them while connections wait; they come back once a
// connection closes, or once AcceptRetry has passed.
func TestAcceptPause(t *testing.T) {
	r := newReactor(t)
	var lfds []int
	for range 2 {
		lfd, port, err := r.Listen("127.0.0.1", 0, 16)
		if err != nil {
			t.Fatal(err)
		}
		lfds = append(lfds, lfd)
		for range 2 {
			c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
		}
	}
	fd, _, _, err := r.Accept(lfds[0])
	if err != nil || fd < 0 {
		t.Fatalf("accept: %d %v", fd, err)
	}
	var c Conn
	if err := r.Attach(&c, fd, 1<<20); err != nil {
		t.Fatal(err)
	}
	defer c.Close(true)

	// No descriptor number is free below the limit now.
	var saved unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &saved); err != nil {
		t.Fatal(err)
	}
	low := saved
	low.Cur = uint64(lowestFreeFD(t))
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	fd, _, _, err = r.Accept(lfds[0])
	unix.Setrlimit(unix.RLIMIT_NOFILE, &saved)
	if fd >= 0 || !OutOfDescriptors(err) {
		t.Fatalf("accept with no descriptor left: %d %v", fd, err)
	}
	if got := ready(r, 0, lfds...); len(got) != 0 {
		t.Errorf("paused, yet the poll reports listeners %v", got)
	}

	c.Close(true) // a descriptor is free
	if got := ready(r, 1000, lfds...); len(got) != 2 {
		t.Errorf("after a close, the poll reports listeners %v, want both", got)
	}

	// Paused again: the listeners come back once AcceptRetry has passed,
	// and the poll waits no longer than that.
	r.PauseAccepting()
	if got := ready(r, -1, lfds...); len(got) != 0 {
		t.Errorf("paused, yet the poll reports listeners %v", got)
	}
	if got := ready(r, -1, lfds...); len(got) != 2 {
		t.Errorf("after AcceptRetry, the poll reports listeners %v, want both", got)
	}
}

// TestWriteCap: as in Swoole, a write is taken whole while less than the
// cap is queued, however long it is, and refused without a byte sent once
// the cap is queued, so a message is never cut.
func TestWriteCap(t *testing.T) {
	const limit = 64 << 10
	for _, tt := range []struct {
		name   string
		queued int
		p      int
		want   error
	}{
		{"empty queue, 1 MiB", 0, 1 << 20, nil},
		{"below the cap, 1 MiB", limit - 1, 1 << 20, nil},
		{"at the cap, 1 byte", limit, 1, ErrOverflow},
		{"past the cap, 1 byte", limit + 1, 1, ErrOverflow},
	} {
		r := newReactor(t)
		var c Conn
		pair(t, r, &c)
		c.limit, c.queue = limit, make([]byte, tt.queued)
		before := r.Sent()
		err := c.Write(make([]byte, tt.p))
		if err != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		taken := int(r.Sent()-before) + c.Queued() - tt.queued
		if err == nil && taken != tt.p || err != nil && taken != 0 {
			t.Errorf("%s: %d of %d bytes taken", tt.name, taken, tt.p)
		}
	}
}

// drain flushes c as the poller finds its socket writable until its
// output is written, reading the peer meanwhile, and returns what the
// peer read.
func drain(t *testing.T, r *Reactor, c *Conn, peer *os.File, n int) []byte {
	t.Helper()
	got := make(chan []byte)
	go func() {
		b := make([]byte, n)
		k, _ := io.ReadFull(peer, b)
		got <- b[:k]
	}()
	for c.Queued() > 0 || len(c.files) > 0 {
		for _, e := range r.Poll(1000) {
			if e.FD() == c.FD() && e.Writable() && !c.Flush() {
				t.Fatal("closed while flushing")
			}
		}
	}
	return <-got
}

// TestSendFile: file ranges are sent between the writes around them, in
// order and byte for byte; a file is opened only when its turn comes and
// closed once sent; while one is being sent the socket is not read.
func TestSendFile(t *testing.T) {
	r := newReactor(t)
	var c Conn
	peer := pair(t, r, &c)
	content := make([]byte, 3<<20)
	for i := range content {
		content[i] = byte(i * 7 / 5)
	}
	name := t.TempDir() + "/f"
	if err := os.WriteFile(name, content, 0o600); err != nil {
		t.Fatal(err)
	}
	const from, to = 100, 100 + 5<<19
	c.Write([]byte("head"))
	for range 2 {
		if err := c.SendFile(name, from, to); err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("tail"))
	}
	if !c.paused {
		t.Error("read while a file is being sent")
	}
	first := c.files[0].f
	if first == nil || c.files[1].f != nil {
		t.Errorf("files open: %v, %v; want the first only", first != nil, c.files[1].f != nil)
	}
	part := append(append([]byte(nil), content[from:to]...), "tail"...)
	want := append(append([]byte("head"), part...), part...)
	if got := drain(t, r, &c, peer, len(want)); !bytes.Equal(got, want) {
		t.Errorf("read %d bytes, want %d: head, then twice the range and tail", len(got), len(want))
	}
	if _, err := first.Stat(); err == nil {
		t.Error("a file is still open once sent")
	}
	if c.paused {
		t.Error("not read once the files are sent")
	}
}

// TestSendFileClosed: a connection closed while a file is being sent
// closes the file.
func TestSendFileClosed(t *testing.T) {
	r := newReactor(t)
	var c Conn
	pair(t, r, &c)
	exe, err := os.Executable() // larger than the socket's buffer
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendFile(exe, 0, info.Size()); err != nil {
		t.Fatal(err)
	}
	f := c.files[0].f
	c.Close(true)
	if _, err := f.Stat(); err == nil {
		t.Error("the file is still open after the close")
	}
}

// TestSendFileLink: a file that has become a symbolic link by its turn is
// not followed: the connection closes.
func TestSendFileLink(t *testing.T) {
	r := newReactor(t)
	var c Conn
	pair(t, r, &c)
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/secret", []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir+"/secret", dir+"/f"); err != nil {
		t.Fatal(err)
	}
	if err := c.SendFile(dir+"/f", 0, 6); err != ErrClosed || !c.Closed() {
		t.Errorf("a link: %v, closed %v; want ErrClosed", err, c.Closed())
	}
}

// Poll stops spinning after spinMisses spins that found nothing (a
// trickle of bytes then costs a wake-up each, not a spin each) and spins
// again once a wait ends sooner than a spin would have.
func TestSpinAdapts(t *testing.T) {
	r := newReactor(t)
	for i := 0; i < spinMisses; i++ {
		if ev := r.Poll(0); len(ev) != 0 {
			t.Fatalf("events on an idle reactor: %v", ev)
		}
	}
	if r.misses != spinMisses {
		t.Fatalf("misses %d after %d empty polls", r.misses, spinMisses)
	}
	r.Poll(0) // no spin now: a plain wait
	if r.misses != spinMisses {
		t.Fatalf("misses %d after a wait that found nothing", r.misses)
	}
	// Ready before the wait, which ends at once: but the race detector
	// makes even that slower than a spin, so the test's "at once" is wider.
	defer func(d time.Duration) { spinBack = d }(spinBack)
	spinBack = time.Second
	r.Wake()
	if ev := r.Poll(1000); len(ev) != 1 || !r.Woken(ev[0]) {
		t.Fatalf("events %v, want the wake-up", ev)
	}
	if r.misses != 0 {
		t.Errorf("misses %d after a wait that ended at once: spinning should resume", r.misses)
	}
}
