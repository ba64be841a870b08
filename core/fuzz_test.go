package core

import (
	"fmt"
	"io"
	"syscall"
	"testing"

	"github.com/swoole-shim/swoole-shim/core/swlog"
)

// FuzzConsume feeds arbitrary bytes to a connection as the event loop
// does: HTTP parsing, the WebSocket handshake and the frame reader, with
// the events they produce finished as the PHP thread would. Nothing may
// panic, and the session must end closed or still parsing.
func FuzzConsume(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n" +
		"\x81\x85\x01\x02\x03\x04iiiii\x88\x80\x00\x00\x00\x00"))
	f.Add([]byte("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"))
	s, err := New("127.0.0.1", 0, KindWebSocket)
	if err != nil {
		f.Fatal(err)
	}
	defer s.Free()
	s.log = swlog.New(io.Discard)
	for _, name := range []string{"open", "message", "request", "close"} {
		s.On(name, true)
	}
	// run feeds in to a new connection in pieces of step bytes, as
	// several reads would bring it, runs its events as the PHP thread
	// would (callbacks doing nothing), and returns what they were.
	run := func(t *testing.T, in []byte, step int) []string {
		pair, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer syscall.Close(pair[1])
		sess := s.addSession(s.listeners[0], pair[0])
		s.reactor.Attach(&sess.conn, pair[0], 1<<20)
		var events []string
		drain := func() {
			for ev := s.Next(false); ev != nil; ev = s.Next(false) {
				events = append(events, fmt.Sprint(ev.Type, ev.Opcode, ev.ReactorID, string(ev.Data)))
			}
		}
		for i := 0; i < len(in) && !sess.ending && !sess.closed; i += step {
			s.received(sess, append([]byte(nil), in[i:min(i+step, len(in))]...))
		}
		for len(s.worker.batch) > 0 {
			batch := s.worker.batch
			s.worker.batch = nil
			for _, ev := range batch {
				if s.prepare(ev) {
					events = append(events, fmt.Sprint(ev.Type, ev.Opcode, ev.ReactorID, string(ev.Data)))
					s.finish(ev)
				}
				drain()
			}
		}
		s.writeHeld() // as the loop does before it polls again
		if !sess.closed {
			s.closeByServer(sess, true)
			drain()
		}
		if s.session(sess.fd) != nil {
			t.Fatal("a closed session is still known")
		}
		return events
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		// The first byte picks the piece size; whole or in pieces, the
		// connection must see the same events.
		step, in := int(in[0])%7+1, in[1:]
		whole, pieces := run(t, in, len(in)+1), run(t, in, step)
		if fmt.Sprint(whole) != fmt.Sprint(pieces) {
			t.Fatalf("whole: %q\nin pieces of %d: %q", whole, step, pieces)
		}
	})
}
