package http1

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAppendHead(t *testing.T) {
	at := time.Date(2026, 11, 25, 22, 26, 30, 0, time.UTC)
	date := "Date: Wed, 25 Nov 2026 22:26:30 GMT\r\n"
	tests := []struct {
		name    string
		resp    Response
		set     [][2]string
		bodyLen int
		want    string
	}{
		{"default", Response{KeepAlive: true}, nil, 2,
			"HTTP/1.1 200 OK\r\nServer: swoole-http-server\r\n" + date + "Connection: keep-alive\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\n"},
		{"user headers first, defaults replaced", Response{Status: 404}, [][2]string{{"content-type", "text/plain"}, {"x-a", "1"}, {"X-A", "2 "}}, 0,
			"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nX-A: 2\r\nServer: swoole-http-server\r\n" + date + "Connection: close\r\nContent-Length: 0\r\n\r\n"},
		{"empty value removes a default", Response{KeepAlive: true}, [][2]string{{"Server", ""}}, 0,
			"HTTP/1.1 200 OK\r\n" + date + "Connection: keep-alive\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n"},
		{"chunked", Response{Status: 201, Reason: "Made"}, nil, -1,
			"HTTP/1.1 201 Made\r\nServer: swoole-http-server\r\n" + date + "Connection: close\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"},
		{"unknown status", Response{Status: 599}, nil, 0,
			"HTTP/1.1 599 Unknown Status\r\nServer: swoole-http-server\r\n" + date + "Connection: close\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n"},
		{"HEAD without body", Response{Head: true}, nil, 0,
			"HTTP/1.1 200 OK\r\nServer: swoole-http-server\r\n" + date + "Connection: close\r\nContent-Type: text/html\r\n\r\n"},
	}
	for _, tt := range tests {
		r := tt.resp
		for _, h := range tt.set {
			if err := r.SetHeader(h[0], h[1], true, false); err != nil {
				t.Fatal(err)
			}
		}
		if got := string(r.AppendHead(nil, tt.bodyLen, at)); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestNoResponseSplitting(t *testing.T) {
	var r Response
	for _, h := range []struct {
		name string
		want error
	}{{"X\nY", ErrHeaderNewLine}, {"X\rY", ErrHeaderNewLine}, {"X\x00Y", ErrHeaderNUL}, {"", ErrHeaderValue}} {
		if err := r.SetHeader(h.name, "a", true, false); err != h.want {
			t.Errorf("SetHeader(%q) = %v, want %v", h.name, err, h.want)
		}
	}
	// A value with CR, LF or NUL is kept but never sent, as in Swoole; a
	// trailing one is trimmed.
	r.SetHeader("X-Evil", "a\r\nInjected: 1", true, false)
	r.SetHeader("X-Lf", "a\nb", true, false)
	r.SetHeader("X-Nul", "a\x00b", true, false)
	r.SetHeader("X-Trim", "t \r\n", true, false)
	r.Status, r.Reason = 200, "OK\r\nInjected: 2"
	head := string(r.AppendHead(nil, 0, time.Now()))
	if strings.Contains(head, "Evil") || strings.Contains(head, "Injected") || strings.Contains(head, "X-Lf") ||
		strings.Contains(head, "X-Nul") || !strings.HasPrefix(head, "HTTP/1.1 200 OK\r\nX-Trim: t\r\n") {
		t.Errorf("head %q", head)
	}
	if want := []error{ErrHeaderNewLine, ErrHeaderNewLine, ErrHeaderNUL}; !slices.Equal(r.Dropped, want) {
		t.Errorf("dropped %v, want %v", r.Dropped, want)
	}
}

func TestCookieCheck(t *testing.T) {
	const list = `",", ";", " ", "\t", "\r", "\n", "\013", or "\014"`
	for _, tt := range []struct {
		c    Cookie
		want string
	}{
		{Cookie{Name: "a", Value: "v\r\nX: y", Path: "/", Domain: "example.com"}, ""},
		{Cookie{}, "The name cannot be empty"},
		{Cookie{Name: "a=b"}, `The name cannot contain "=", ` + list},
		{Cookie{Name: "a\x0b"}, `The name cannot contain "=", ` + list},
		{Cookie{Name: "a", Value: "v;w", Raw: true}, "The value cannot contain " + list},
		{Cookie{Name: "a", Value: "v", Expires: maxCookieExpires}, "The expires cannot have a year greater than 9999"},
		{Cookie{Name: "a", Path: "/\n"}, "The path option cannot contain " + list},
		{Cookie{Name: "a", Domain: "x\ry"}, "The domain option cannot contain " + list},
	} {
		got := ""
		if err := tt.c.Check(); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestFormatName(t *testing.T) {
	for in, want := range map[string]string{"content-type": "Content-Type", "X-FOO-bar": "X-Foo-Bar", "etag": "Etag"} {
		if got := FormatName(in); got != want {
			t.Errorf("FormatName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCookie(t *testing.T) {
	exp := time.Now().Add(time.Hour).Unix()
	expDate := time.Unix(exp, 0).UTC().Format("Mon, 02-Jan-2006 15:04:05 GMT")
	tests := []struct {
		c    Cookie
		want string
	}{
		{Cookie{Name: "sid", Value: "a b~/é", Path: "/", HTTPOnly: true}, "sid=a+b%7E%2F%C3%A9; path=/; HttpOnly"},
		{Cookie{Name: "sid", Value: "a b", Raw: true}, "sid=a b"},
		{Cookie{Name: "gone", Path: "/x", Expires: exp}, "gone=deleted; expires=Thu, 01-Jan-1970 00:00:01 GMT; Max-Age=0; path=/x"},
		{Cookie{Name: "all", Value: "v", Domain: "example.com", Secure: true, SameSite: "Lax", Priority: "High", Partitioned: true},
			"all=v; domain=example.com; secure; SameSite=Lax; Priority=High; Partitioned"},
		{Cookie{Name: "e", Value: "v", Expires: exp}, "e=v; expires=" + expDate + "; Max-Age="},
	}
	for _, tt := range tests {
		got := tt.c.String()
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestSetHeaderAddAndReplace(t *testing.T) {
	var r Response
	r.SetHeader("x-a", "1", true, false)
	r.SetHeader("x-b", "b", true, false)
	r.SetHeader("X-A", "2", true, true)
	want := []Header{{"X-A", "1"}, {"X-B", "b"}, {"X-A", "2"}}
	if !slices.Equal(r.Header, want) {
		t.Fatalf("after add: %v", r.Header)
	}
	r.SetHeader("x-a", "3", false, false)
	want = []Header{{"x-a", "3"}, {"X-B", "b"}}
	if !slices.Equal(r.Header, want) {
		t.Fatalf("after replace: %v", r.Header)
	}
	r.DelHeader("X-b")
	if !slices.Equal(r.Header, want[:1]) {
		t.Fatalf("after delete: %v", r.Header)
	}
}
