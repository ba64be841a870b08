package core

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/swoole-shim/swoole-shim/core/swlog"
	"github.com/swoole-shim/swoole-shim/core/wsframe"
	"github.com/swoole-shim/swoole-shim/core/wsframe/wsframetest"
)

// pieceSize is the size of the reads that bring a body or message in the
// piece benchmarks: a client writing 1 KiB at a time.
const pieceSize = 1 << 10

// benchPieces feeds in to a new connection in reads of pieceSize bytes and
// reports the server's time per MiB received; ws makes the connection a
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
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.lastFD++
		sess := &Session{fd: s.lastFD, sock: -1, listener: s.listeners[0]}
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
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(len(in)>>20), "ms/MiB")
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
