package reactor

import (
	"bytes"
	"io"
	"os"
	"testing"

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
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
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
