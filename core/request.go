package core

import (
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
	Raw     []byte // the request as received (getData())
	opened  bool   // handed on to an Open event, which removes the uploads
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
