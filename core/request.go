package core

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/phpser"
	"github.com/swoole-shim/swoole-shim/core/swlog"
)

// Request is a parsed request as the callbacks receive it. It is built
// once, as the request is parsed, with its arrays in PHP's serialize()
// format, so that the PHP layer makes them with one unserialize().
type Request struct {
	*http1.Request
	Headers []byte // "name: value\r\n" lines, for C callers
	// PHP is [header, server, cookie, files, form, get length, post
	// length, parts exceeded] in PHP serialize() format: files lists a
	// multipart body's uploads as [field, name, type, tmp_name, error,
	// size], form its other fields urlencoded; the lengths are the
	// prefixes of the query string and of an urlencoded body that hold
	// max_input_vars variables; parts exceeded is 1 when a multipart
	// body's part headers went past max_input_vars.
	PHP     []byte
	Uploads []Upload
	opened  bool // handed on to an Open event, which removes the uploads
}

// lastWins are the headers whose repeats replace the value instead of
// making a list, as in Swoole's $request->header.
var lastWins = map[string]bool{
	"host": true, "user-agent": true, "accept": true, "content-type": true,
	"content-length": true, "authorization": true, "connection": true, "accept-encoding": true,
}

func (s *Server) newRequest(sess *Session, req *http1.Request) *Request {
	at := time.Now()
	r := &Request{Request: req}
	var header phpser.Pairs
	var cookie []string
	last := map[string]int{} // a lastWins header's place in header
	for _, h := range req.Header {
		r.Headers = append(r.Headers, h.Name...)
		r.Headers = append(r.Headers, ": "...)
		r.Headers = append(r.Headers, h.Value...)
		r.Headers = append(r.Headers, "\r\n"...)
		switch {
		case h.Name == "cookie":
			cookie = append(cookie, h.Value)
			continue
		case lastWins[h.Name]:
			if i, ok := last[h.Name]; ok {
				header[i].Value = h.Value
				continue
			}
			last[h.Name] = len(header)
		}
		header = append(header, phpser.Pair{Key: h.Name, Value: h.Value})
	}
	cookies, getLen, postLen := s.inputVars(req, cookie)

	var e phpser.Encoder
	e.Array(8)
	e.Int(0)
	e.StringArray(header)
	e.Int(1)
	n := 10
	if req.Query != "" {
		n++
	}
	e.Array(n)
	if req.Query != "" {
		e.String("query_string")
		e.String(req.Query)
	}
	e.String("request_method")
	e.String(req.Method)
	e.String("request_uri")
	e.String(req.Path)
	e.String("path_info")
	pathInfo, err := url.QueryUnescape(req.Path)
	if err != nil {
		pathInfo = req.Path
	}
	e.String(pathInfo)
	e.String("request_time")
	e.Int(at.Unix())
	e.String("request_time_float")
	e.Float(float64(at.UnixMicro()) / 1e6)
	e.String("server_protocol")
	e.String(req.Proto)
	e.String("server_port")
	e.Int(int64(sess.listener.port))
	e.String("remote_port")
	e.Int(int64(sess.remotePort))
	e.String("remote_addr")
	e.String(sess.remoteIP)
	e.String("master_time")
	e.Int(int64(sess.lastRecv))
	e.End()
	e.Int(2)
	e.StringArray(cookies)
	e.Int(3)
	var form string
	var partsExceeded bool
	if ct, _ := req.Get("content-type"); strings.HasPrefix(strings.ToLower(ct), "multipart/form-data") {
		var err error
		if r.Uploads, form, partsExceeded, err = s.parseMultipart(ct, req.Body); err != nil {
			s.log.Logf(swlog.Warning, "%s, fd:%d", err, sess.fd)
		}
	}
	e.Array(len(r.Uploads))
	for i, up := range r.Uploads {
		e.Int(int64(i))
		e.Array(6)
		for j, v := range []string{up.Field, up.Name, up.Type, up.TmpName} {
			e.Int(int64(j))
			e.String(v)
		}
		e.Int(4)
		e.Int(int64(up.Error))
		e.Int(5)
		e.Int(up.Size)
		e.End()
	}
	e.End()
	e.Int(4)
	e.String(form)
	e.Int(5) // the bytes of the query string, then of an urlencoded body, within max_input_vars
	e.Int(int64(getLen))
	e.Int(6)
	e.Int(int64(postLen))
	e.Int(7) // a multipart body's part headers went past max_input_vars
	if partsExceeded {
		e.Int(1)
	} else {
		e.Int(0)
	}
	e.End()
	r.PHP = e.Buf
	return r
}

// consumeRequest hands what a read brought to the connection's parser and
// serves the request it completes; it returns the bytes used (all of data
// while a request is incomplete: the parser keeps them).
func (s *Server) consumeRequest(sess *Session, data []byte) int {
	if sess.httpDone {
		return len(data) // after a request without keep-alive: ignored
	}
	lim := http1.Limits{MaxHeaderBytes: http1.DefaultLimits.MaxHeaderBytes, MaxLength: s.opts.PackageMaxLength}
	req, n, err := sess.http.Parse(data, lim)
	switch {
	case err != nil:
		s.rejectRequest(sess, err)
		return len(data)
	case req == nil:
		if sess.waitingSince == 0 {
			sess.waitingSince = now()
		}
		if sess.http.Continue() {
			s.send(sess, []byte("HTTP/1.1 100 Continue\r\n\r\n"))
		}
		return n
	}
	sess.waitingSince = 0
	if req.Upgrade && s.kind == KindWebSocket {
		s.handshake(sess, req)
		return n
	}
	if s.serveStatic(sess, req) {
		return n
	}
	if !s.handlers[EventRequest] {
		// A WebSocket server without a Request callback.
		s.closeByPeer(sess, -1, "", []byte(http1.BadRequestPage))
		return n
	}
	sess.httpDone = !req.KeepAlive
	r := s.newRequest(sess, req)
	s.emit(sess, &Event{Type: EventRequest, Request: r, Data: req.Body})
	return n
}

// rejectRequest answers a malformed request with Swoole's bare 400 (or
// 413, or 501 for a transfer coding it does not implement) and closes;
// errors its llhttp stage finds are logged as a NOTICE after the close
// callback.
func (s *Server) rejectRequest(sess *Session, err error) {
	e, ok := http1.IsMalformed(err)
	if !ok {
		s.lostPeer(sess)
		return
	}
	switch e.Status {
	case 413:
		const where = "ListenPort::readable_callback_http() (ERRNO 7102): Request Entity Too Large: "
		l := sess.listener
		if e.Chunked {
			s.log.Logf(swlog.Warning, where+"request length (chunked) has already been greater than the package_max_length(%d) from session#%d on %s:%d",
				s.opts.PackageMaxLength, sess.fd, l.host, l.port)
		} else {
			s.log.Logf(swlog.Warning, where+"header-length (%d) + content-length (%d) is greater than the package_max_length(%d) from session#%d on %s:%d",
				e.HeadLength, e.ContentLength, s.opts.PackageMaxLength, sess.fd, l.host, l.port)
		}
		s.closeByPeer(sess, -1, "", []byte("HTTP/1.1 413 Request Entity Too Large\r\n\r\n"))
		return
	case 501:
		s.closeByPeer(sess, -1, "", []byte("HTTP/1.1 501 Not Implemented\r\n\r\n"))
		return
	}
	notice := ""
	if e.Reason != "" {
		notice = fmt.Sprintf("Invalid HTTP request discarded: %d bytes unprocessed. Reason: %s", e.Unprocessed, e.Reason)
	}
	s.closeByPeer(sess, -1, notice, []byte(http1.BareBadRequest))
}

func indexKey(p phpser.Pairs, key string) int {
	for i, kv := range p {
		if kv.Key == key {
			return i
		}
	}
	return -1
}

// parseCookie splits a Cookie header into URL-decoded pairs.
func parseCookie(v string) phpser.Pairs {
	var out phpser.Pairs
	for part := range strings.SplitSeq(v, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		if name == "" {
			continue
		}
		if dec, err := url.QueryUnescape(value); err == nil {
			value = dec
		}
		out = append(out, phpser.Pair{Key: name, Value: value})
	}
	return out
}
