package core

import (
	"bytes"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/swoole-shim/swoole-shim/core/swlog"
	"github.com/swoole-shim/swoole-shim/core/wsframe"
	"github.com/swoole-shim/swoole-shim/core/wsframe/wsframetest"
)

// pieceSize is the size of the reads that bring a body or message in the
// piece benchmarks: a client writing 1 KiB at a time.
const pieceSize = 1 << 10

// benchPieces feeds in to a new connection in reads of pieceSize bytes and
// reports the CPU time per MiB received; ws makes the connection a
// WebSocket one (handshake done).
func benchPieces(b *testing.B, in []byte, ws bool) {
	s, err := New("127.0.0.1", 0, KindWebSocket)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Free()
	s.log = swlog.New(io.Discard)
	s.opts.PackageMaxLength = 64 << 20
	s.On("request", true)
	s.On("message", true)
	b.SetBytes(int64(len(in)))
	cpu := cpuTime(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sess := &Session{fd: s.shared.LastFD.Add(1), listener: s.listeners[0]}
		if ws {
			sess.ws = &wsframe.Reader{MaxMessage: int(s.opts.PackageMaxLength)}
		}
		for off := 0; off < len(in); off += pieceSize {
			s.received(sess, in[off:min(off+pieceSize, len(in))])
		}
		if len(s.worker.batch) != 1 {
			b.Fatalf("%d events", len(s.worker.batch))
		}
		s.worker.batch = s.worker.batch[:0]
	}
	mib := float64(b.N) * float64(len(in)) / (1 << 20)
	b.ReportMetric(float64((cpuTime(b)-cpu).Milliseconds())/mib, "cpu-ms/MiB")
}

// cpuTime is the CPU time the process has used, its GC included.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkBodyInPieces: a 24 MiB POST body arriving 1 KiB at a time
// (issue 13 item 2).
func BenchmarkBodyInPieces(b *testing.B) {
	for _, chunked := range []bool{false, true} {
		b.Run(fmt.Sprintf("chunked=%v", chunked), func(b *testing.B) {
			body := bytes.Repeat([]byte("x"), 24<<20)
			req := fmt.Appendf(nil, "POST / HTTP/1.1\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
			if chunked {
				req = []byte("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
				for off := 0; off < len(body); off += 4000 {
					p := body[off:min(off+4000, len(body))]
					req = fmt.Appendf(req, "%x\r\n%s\r\n", len(p), p)
				}
				req = append(req, "0\r\n\r\n"...)
			}
			benchPieces(b, req, false)
		})
	}
}

// BenchmarkMessageInPieces: a 24 MiB WebSocket message (one frame)
// arriving 1 KiB at a time.
func BenchmarkMessageInPieces(b *testing.B) {
	benchPieces(b, wsframetest.Masked(0x82, bytes.Repeat([]byte("x"), 24<<20)), true)
}

// BenchmarkTrickle: a body arriving one byte per read (issue 18 item 8);
// the figure is the cost of one read, which must not grow with what came
// before or with the length declared.
func BenchmarkTrickle(b *testing.B) {
	heads := map[string]string{
		"length":  "POST / HTTP/1.1\r\nContent-Length: 1000000000\r\n\r\n",
		"chunked": "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3b9aca00\r\n",
	}
	for name, head := range heads {
		b.Run(name, func(b *testing.B) {
			s, err := New("127.0.0.1", 0, KindHTTP)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Free()
			s.opts.PackageMaxLength = 2 << 30
			sess := &Session{fd: 1, listener: s.listeners[0]}
			s.received(sess, []byte(head))
			x := []byte("x")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.received(sess, x)
			}
			if len(s.worker.batch) != 0 || sess.closed {
				b.Fatal("the request ended")
			}
		})
	}
}

// TestRejectedFraming: framing a proxy might read otherwise is answered
// and closed (issue 18 item 5): 501 for a transfer coding the server does
// not implement, a bare 400 for a chunk-size line that ends in a bare LF
// or whose extension holds a control character.
func TestRejectedFraming(t *testing.T) {
	var ts *testServer
	ts = newTestServer(t, KindHTTP, map[EventType]func(*Event){
		EventRequest: func(ev *Event) { ts.ResponseEnd(ev.Response, ev.Data) },
	})
	ts.start()
	const chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
	for req, want := range map[string]string{
		"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n": "HTTP/1.1 501 Not Implemented\r\n\r\n",
		chunked + "3\nabc\r\n0\r\n\r\n":          "HTTP/1.1 400 Bad Request\r\n\r\n",
		chunked + "3;x=\x7f\r\nabc\r\n0\r\n\r\n": "HTTP/1.1 400 Bad Request\r\n\r\n",
	} {
		if got := ts.roundTrip(req); got != want {
			t.Errorf("%q: got %q, want %q", req, got, want)
		}
	}
}
