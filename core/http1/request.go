// Package http1 reads HTTP/1.x requests and writes responses the way
// Swoole's HTTP server does. The standard library's parser is not used
// because Swoole exposes what it throws away: header names in arrival
// order, repeated headers, the raw request target, and llhttp's reason for
// rejecting a request, which Swoole prints in its NOTICE log line.
package http1

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
)

// Header is one request header; Name is lower-case.
type Header struct {
	Name, Value string
}

// Request is one parsed request.
type Request struct {
	Method   string
	Target   string // the request target as sent
	Path     string // Target before '?'
	Query    string // Target after '?'
	HasQuery bool
	Proto    string // "HTTP/1.1" or "HTTP/1.0"
	Header   []Header
	Body     []byte
	Raw      []byte // the request as received, head and body (getData())
	// KeepAlive is HTTP/1.1 without "Connection: close", or HTTP/1.0 with
	// "Connection: keep-alive".
	KeepAlive bool
	// Upgrade is set by "Upgrade: websocket": the request is a WebSocket
	// handshake, whatever else it says.
	Upgrade bool

	chunked       bool
	contentLength int64
}

// Get returns the first value of the header named name (lower-case).
func (r *Request) Get(name string) (string, bool) {
	for _, h := range r.Header {
		if h.Name == name {
			return h.Value, true
		}
	}
	return "", false
}

// Error is a rejected request. Status is the response to send (400, 413,
// 501). Reason is llhttp's wording for errors Swoole's llhttp stage finds,
// which Swoole logs with the number of bytes left unparsed (Unprocessed);
// it is empty for errors Swoole's reactor rejects silently (request line).
type Error struct {
	Status      int
	Reason      string
	Unprocessed int
	// A 413's sizes, for Swoole's log line; Chunked when the body was
	// chunked (its length not known).
	HeadLength, ContentLength int64
	Chunked                   bool
}

func (e *Error) Error() string {
	if e.Reason == "" {
		return "bad request line"
	}
	return e.Reason
}

// Limits bound what one request may use.
type Limits struct {
	MaxHeaderBytes int // request line plus headers
	// MaxLength is package_max_length: the largest request with a body,
	// head included, as Swoole counts it (0 refuses every body).
	MaxLength int64
}

// DefaultLimits are Swoole's defaults: 2 MiB package_max_length, and a
// head that fits its 64 KiB header buffer.
var DefaultLimits = Limits{MaxHeaderBytes: 64 << 10, MaxLength: 2 << 20}

// methods are the methods Swoole's reactor lets through to llhttp.
var methods = map[string]bool{
	"DELETE": true, "GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
	"CONNECT": true, "OPTIONS": true, "TRACE": true, "COPY": true, "LOCK": true,
	"MKCOL": true, "MOVE": true, "PROPFIND": true, "PROPPATCH": true, "UNLOCK": true,
	"REPORT": true, "MKACTIVITY": true, "CHECKOUT": true, "MERGE": true, "M-SEARCH": true,
	"NOTIFY": true, "SUBSCRIBE": true, "UNSUBSCRIBE": true, "PURGE": true,
}

// llhttpError is an *Error found at offset pos of the head; Read turns pos
// into the unprocessed byte count.
func llhttpError(pos int, reason string) *Error {
	return &Error{Status: 400, Reason: reason, Unprocessed: pos}
}

// parseHead parses a head as Swoole does in two stages: its reactor
// rejects a bad request line with a bare 400, llhttp then rejects bad
// headers with a reason.
func parseHead(head []byte) (*Request, error) {
	eol := bytes.IndexByte(head, '\n')
	line := bytes.TrimSuffix(head[:eol], []byte("\r"))
	req, err := parseRequestLine(line)
	if err != nil {
		return nil, err
	}
	var contentLength int64 = -1
	var chunked, sawTE, unknownCoding bool
	tePos := 0
	pos := eol + 1
	for {
		eol := bytes.IndexByte(head[pos:], '\n') + pos
		line := head[pos:eol]
		if len(line) == 0 || line[len(line)-1] != '\r' {
			return nil, llhttpError(eol, "Missing expected CR after header value")
		}
		line = line[:len(line)-1]
		if len(line) == 0 {
			break
		}
		h, valuePos, err := parseHeader(line, pos)
		if err != nil {
			return nil, err
		}
		switch h.Name {
		case "content-length":
			switch {
			case contentLength >= 0:
				return nil, llhttpError(valuePos, "Duplicate Content-Length")
			case sawTE:
				return nil, llhttpError(valuePos, "Content-Length can't be present with Transfer-Encoding")
			}
			if contentLength, err = parseContentLength(h.Value, valuePos); err != nil {
				return nil, err
			}
		case "transfer-encoding":
			if contentLength >= 0 {
				return nil, llhttpError(valuePos, "Transfer-Encoding can't be present with Content-Length")
			}
			sawTE, tePos = true, valuePos
			for coding := range strings.SplitSeq(h.Value, ",") {
				coding = strings.ToLower(strings.TrimSpace(coding))
				switch {
				case coding == "":
				case chunked: // chunked must come last, and once
					return nil, llhttpError(valuePos, "Request has invalid `Transfer-Encoding`")
				case coding == "chunked":
					chunked = true
				default:
					unknownCoding = true
				}
			}
		case "connection":
			v := strings.ToLower(h.Value)
			if hasToken(v, "close") {
				req.KeepAlive = false
			} else if hasToken(v, "keep-alive") {
				req.KeepAlive = true
			}
		case "upgrade":
			if hasToken(strings.ToLower(h.Value), "websocket") {
				req.Upgrade = true
			}
		}
		req.Header = append(req.Header, h)
		pos = eol + 1
	}
	switch {
	case sawTE && !chunked:
		return nil, llhttpError(tePos, "Request has invalid `Transfer-Encoding`")
	case unknownCoding:
		// RFC 9112 §6.1: a coding the server does not implement.
		return nil, &Error{Status: 501}
	}
	req.chunked = chunked
	req.contentLength = max(contentLength, 0)
	return req, nil
}

// naiveContentLength reads the last Content-Length the way Swoole's reactor
// does before llhttp runs (strtoull: leading digits, else 0); it sizes the
// unprocessed count of the NOTICE line.
func naiveContentLength(head []byte) int {
	n := 0
	for line := range bytes.SplitSeq(head, []byte("\n")) {
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !bytes.EqualFold(name, []byte("content-length")) {
			continue
		}
		value = bytes.TrimLeft(value, " \t")
		n = 0
		for _, c := range value {
			if c < '0' || c > '9' {
				break
			}
			n = min(n*10+int(c-'0'), math.MaxInt32) // no overflow
		}
	}
	return n
}

// parseRequestLine checks what Swoole's reactor checks: a known method,
// a target without spaces, and exactly HTTP/1.0 or HTTP/1.1; then what
// llhttp checks in the target.
func parseRequestLine(line []byte) (*Request, error) {
	parts := bytes.Split(line, []byte(" "))
	if len(parts) != 3 || !methods[string(parts[0])] {
		return nil, &Error{Status: 400}
	}
	req := &Request{Method: string(parts[0]), Proto: string(parts[2])}
	switch req.Proto {
	case "HTTP/1.1":
		req.KeepAlive = true
	case "HTTP/1.0":
	default:
		return nil, &Error{Status: 400}
	}
	target := parts[1]
	off := len(parts[0]) + 1
	if len(target) == 0 || (target[0] != '/' && target[0] != '*' && !bytes.Contains(target, []byte("://"))) {
		return nil, llhttpError(off, "Unexpected start char in url")
	}
	for i, c := range target {
		if c < ' ' || c == 0x7f {
			return nil, llhttpError(off+i, "Invalid char in url path")
		}
	}
	req.Target = string(target)
	req.Path, req.Query, req.HasQuery = strings.Cut(req.Target, "?")
	return req, nil
}

// parseHeader parses one header line found at offset pos of the head and
// returns the offset of its value.
func parseHeader(line []byte, pos int) (Header, int, error) {
	if line[0] == ' ' || line[0] == '\t' {
		return Header{}, 0, llhttpError(pos, "Unexpected whitespace after header value")
	}
	colon := bytes.IndexByte(line, ':')
	if colon < 0 {
		colon = len(line)
	}
	name := line[:colon]
	for i, c := range name {
		if c == ' ' || c == '\t' {
			return Header{}, 0, llhttpError(pos+i, "Invalid header field char")
		}
		if !isTokenChar(c) {
			return Header{}, 0, llhttpError(pos+i, "Invalid header token")
		}
	}
	if colon == 0 || colon == len(line) {
		return Header{}, 0, llhttpError(pos+colon, "Invalid header token")
	}
	vstart := colon + 1
	for vstart < len(line) && (line[vstart] == ' ' || line[vstart] == '\t') {
		vstart++
	}
	value := bytes.TrimRight(line[vstart:], " \t")
	for i, c := range value {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return Header{}, 0, llhttpError(pos+vstart+i, "Invalid header value char")
		}
	}
	return Header{Name: strings.ToLower(string(name)), Value: string(value)}, pos + vstart, nil
}

func parseContentLength(v string, pos int) (int64, error) {
	if v == "" {
		return 0, llhttpError(pos, "Empty Content-Length")
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, llhttpError(pos+i, "Invalid character in Content-Length")
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, llhttpError(pos, "Content-Length overflow")
	}
	return n, nil
}

// IsMalformed reports whether err is a rejected request rather than an
// I/O error.
func IsMalformed(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func isTokenChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// hasToken reports whether the comma-separated list v holds token
// (both lower-case).
func hasToken(v, token string) bool {
	for part := range strings.SplitSeq(v, ",") {
		if strings.TrimSpace(part) == token {
			return true
		}
	}
	return false
}
