package core

import (
	"bytes"
	"syscall"
	"testing"
)

// Datagrams on a watched socket reach the PipeMessage callback whole, in
// order, however many arrive at once and however large.
func TestWatch(t *testing.T) {
	pair, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(pair[0])
	defer syscall.Close(pair[1])
	syscall.SetsockoptInt(pair[0], syscall.SOL_SOCKET, syscall.SO_SNDBUF, 1<<20)
	got := make(chan []byte, 10)
	ts := newTestServer(t, KindHTTP, map[EventType]func(*Event){
		EventRequest: func(*Event) {},
		EventPipe:    func(ev *Event) { got <- ev.Data },
	})
	if err := ts.Watch(pair[1]); err != nil {
		t.Fatal(err)
	}
	ts.start()
	msgs := [][]byte{[]byte("one"), bytes.Repeat([]byte("x"), 200<<10), []byte("three")}
	for _, m := range msgs {
		if _, err := syscall.Write(pair[0], m); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range msgs {
		if d := <-got; !bytes.Equal(d, want) {
			t.Fatalf("datagram of %d bytes, want %d", len(d), len(want))
		}
	}
	if err := ts.Watch(-1); err == nil {
		t.Error("Watch(-1) worked")
	}
}
