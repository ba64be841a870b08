package http1

import (
	"bufio"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func read(s string) (*Request, error) {
	return Read(bufio.NewReader(strings.NewReader(s)), DefaultLimits)
}

func TestReadValid(t *testing.T) {
	tests := []struct {
		name, in string
		want     Request
	}{
		{"http/1.1 keep-alive", "GET /a/b?x=1&y HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a:  2 \r\n\r\n", Request{
			Method: "GET", Target: "/a/b?x=1&y", Path: "/a/b", Query: "x=1&y", HasQuery: true,
			Proto: "HTTP/1.1", KeepAlive: true,
			Header: []Header{{"host", "h"}, {"x-a", "1"}, {"x-a", "2"}},
		}},
		{"http/1.0 close", "GET / HTTP/1.0\r\n\r\n", Request{
			Method: "GET", Target: "/", Path: "/", Proto: "HTTP/1.0",
		}},
		{"http/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", Request{
			Method: "GET", Target: "/", Path: "/", Proto: "HTTP/1.0", KeepAlive: true,
			Header: []Header{{"connection", "Keep-Alive"}},
		}},
		{"connection close", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", Request{
			Method: "GET", Target: "/", Path: "/", Proto: "HTTP/1.1",
			Header: []Header{{"connection", "close"}},
		}},
		{"upgrade token list", "GET /ws HTTP/1.1\r\nUpgrade: foo, WebSocket\r\n\r\n", Request{
			Method: "GET", Target: "/ws", Path: "/ws", Proto: "HTTP/1.1", KeepAlive: true, Upgrade: true,
			Header: []Header{{"upgrade", "foo, WebSocket"}},
		}},
		{"body", "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", Request{
			Method: "POST", Target: "/", Path: "/", Proto: "HTTP/1.1", KeepAlive: true,
			Header: []Header{{"content-length", "3"}}, Body: []byte("abc"), contentLength: 3,
		}},
		{"chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n", Request{
			Method: "POST", Target: "/", Path: "/", Proto: "HTTP/1.1", KeepAlive: true,
			Header: []Header{{"transfer-encoding", "chunked"}}, Body: []byte("abcde"), chunked: true,
		}},
		{"leading empty lines", "\r\n\r\nGET / HTTP/1.1\r\n\r\n", Request{
			Method: "GET", Target: "/", Path: "/", Proto: "HTTP/1.1", KeepAlive: true,
		}},
	}
	for _, tt := range tests {
		got, err := read(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, *got, tt.want)
		}
	}
}

func TestReadPipelined(t *testing.T) {
	br := bufio.NewReader(strings.NewReader("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"))
	for _, want := range []string{"/1", "/2"} {
		req, err := Read(br, DefaultLimits)
		if err != nil || req.Path != want {
			t.Fatalf("got %v, %v; want %s", req, err, want)
		}
	}
	if _, err := Read(br, DefaultLimits); err != io.EOF {
		t.Fatalf("after the last request: %v, want EOF", err)
	}
}

func TestReadMalformed(t *testing.T) {
	tests := []struct {
		in          string
		status      int
		reason      string
		unprocessed int
	}{
		// The example worked out from Swoole's source: the error is at
		// offset 18 of a 26-byte request.
		{"GET / HTTP/1.1\r\nFo@: x\r\n\r\n", 400, "Invalid header token", 8},
		{"GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400, "Invalid character in Content-Length", 7}, // reference §7,
		{"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400, "Duplicate Content-Length", 6},
		{"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "Transfer-Encoding can't be present with Content-Length", 12},
		{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n", 400, "Content-Length can't be present with Transfer-Encoding", 6},
		{"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "Request has invalid `Transfer-Encoding`", 8},
		{"GET / HTTP/1.1\r\nContent-Length:\r\n\r\n", 400, "Empty Content-Length", 4},
		{"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, "Invalid header field char", 8},
		{"GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n", 400, "Invalid header value char", 6},
		{"GET / HTTP/1.1\r\nX: a\nY: b\r\n\r\n", 400, "Missing expected CR after header value", 9},
		{"GET / HTTP/1.1\r\n X: a\r\n\r\n", 400, "Unexpected whitespace after header value", 9},
		{"GET x HTTP/1.1\r\n\r\n", 400, "Unexpected start char in url", 14},
		// Rejected by Swoole's reactor: a bare 400 and no reason to log.
		{"FOO / HTTP/1.1\r\n\r\n", 400, "", 0},
		{"GET / HTTP/2.0\r\n\r\n", 400, "", 0},
		{"GET /a b HTTP/1.1\r\n\r\n", 400, "", 0},
		{"GET / HTTP/1.1\r\n" + strings.Repeat("X: y\r\n", 20000) + "\r\n", 400, "", 0},
		{"POST / HTTP/1.1\r\nContent-Length: 3000000\r\n\r\n", 413, "", 0},
	}
	for _, tt := range tests {
		_, err := read(tt.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%q: got %v, want an *Error", tt.in[:min(len(tt.in), 40)], err)
			continue
		}
		if e.Status != tt.status || e.Reason != tt.reason || e.Unprocessed != tt.unprocessed {
			t.Errorf("%q: got %d %q %d, want %d %q %d", tt.in[:min(len(tt.in), 40)], e.Status, e.Reason, e.Unprocessed, tt.status, tt.reason, tt.unprocessed)
		}
	}
}

func TestReadTruncated(t *testing.T) {
	for _, in := range []string{"GET / HTTP/1.1\r\nHost: x", "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"} {
		if _, err := read(in); err != io.ErrUnexpectedEOF {
			t.Errorf("%q: got %v, want ErrUnexpectedEOF", in, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	f.Add("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		req, err := read(in)
		if err == nil && (req.Method == "" || !strings.HasPrefix(req.Proto, "HTTP/1.")) {
			t.Fatalf("accepted %q as %+v", in, req)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	req := []byte("GET /chat?room=1 HTTP/1.1\r\nHost: 127.0.0.1:9501\r\nUser-Agent: bench\r\nAccept: */*\r\nCookie: a=1; b=2\r\n\r\n")
	b.SetBytes(int64(len(req)))
	for i := 0; i < b.N; i++ {
		if r, n, err := Parse(req, DefaultLimits); r == nil || n != len(req) || err != nil {
			b.Fatal(n, err)
		}
	}
}

func TestExpectsContinue(t *testing.T) {
	for in, want := range map[string]bool{
		"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n":   true,
		"POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\nab": true,
		"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n":                           false,
		"POST / HTTP/1.1\r\nExpect: 100-continue\r\n":                            false, // head not whole yet
	} {
		if got := ExpectsContinue([]byte(in)); got != want {
			t.Errorf("%q: %v", in, got)
		}
	}
}
