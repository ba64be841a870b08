package main

import (
	"errors"
	"testing"
	"unsafe"

	"github.com/swoole-shim/swoole-shim/core"
)

// Test files cannot import "C"; _Ctype_* are cgo's Go names for the C
// types of the exports.

func cString(s string) *_Ctype_char {
	return (*_Ctype_char)(unsafe.Pointer(unsafe.StringData(s + "\x00")))
}

// TestCall runs call's paths: the handle check, fn's error, a panic in fn.
func TestCall(t *testing.T) {
	for _, c := range []struct {
		name    string
		use     handleUse
		fn      func(*server) (int, error)
		want    int
		code    int
		msg     string
		noError bool
	}{
		{"NULL handle", needServer, func(*server) (int, error) { panic("fn ran") }, -1, core.ErrnoBadHandle, "invalid server handle", false},
		{"no server", maybeServer, func(s *server) (int, error) { return int(boolInt(s == nil)), nil }, 1, 0, "", true},
		{"error", maybeServer, func(*server) (int, error) { return 7, core.ErrInvalid("bad") }, -1, core.ErrnoInvalidArgument, "bad", false},
		{"panic", maybeServer, func(*server) (int, error) { panic(errors.New("boom")) }, -1, core.ErrnoInvalidArgument, "internal error: boom", false},
		{"fail without error", maybeServer, func(*server) (int, error) { return -1, nil }, -1, 0, "", true},
	} {
		swoole_set_last_error(0)
		if got := call(nil, c.use, -1, c.fn); got != c.want {
			t.Errorf("%s: call = %d, want %d", c.name, got, c.want)
		}
		if code, msg := int(swoole_last_error()), lastError.msg; code != c.code || msg != c.msg {
			t.Errorf("%s: last error %d %q, want %d %q", c.name, code, msg, c.code, c.msg)
		}
	}
}

// The benchmarks time exports that do little besides call's prologue (the
// handle lookup, the deferred recover, the closure), called from Go: from C
// or PHP's FFI a call costs 70-300 ns more.

func benchServer(b *testing.B) *_Ctype_swoole_server {
	h := server_new(cString("127.0.0.1"), 0, 1, 1, 2)
	if h == nil || server_handle(h, cString("message"), 1) != 0 || server_begin(h) != 0 {
		b.Fatal(lastError.msg)
	}
	b.Cleanup(func() { server_free(h) })
	return h
}

func BenchmarkServerNext(b *testing.B) {
	h := benchServer(b)
	var ev _Ctype_swoole_event
	for b.Loop() {
		server_next(h, &ev, 0)
	}
}

func BenchmarkServerExist(b *testing.B) {
	h := benchServer(b)
	for b.Loop() {
		server_exist(h, 1)
	}
}

func BenchmarkResponseWritable(b *testing.B) {
	h := benchServer(b)
	for b.Loop() {
		response_writable(h, 1)
	}
}

func BenchmarkFramePack(b *testing.B) {
	data := []byte("hello")
	out := make([]byte, 64)
	for b.Loop() {
		frame_pack((*_Ctype_uint8_t)(&data[0]), 5, 1, 1, (*_Ctype_uint8_t)(&out[0]), 64)
	}
}
