package core

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/mimetype"
	"github.com/swoole-shim/swoole-shim/core/swlog"
)

// response is the state of one Request callback's Swoole\Http\Response,
// kept on the PHP thread until end() or close().
type response struct {
	sess     *Session
	resp     *http1.Response
	headSent bool // write() sent the head: the body is chunked
	// handshake: the answer of a HandShake callback (101 accepts);
	// open: the built-in 101 of a BeforeHandshakeResponse callback, and
	// the request its Open event gets.
	handshake bool
	open      *Request
	req       *Request
	trailer   []http1.Header // sent after the last chunk
	detached  bool           // detach(): not ended when its callback returns
}

// newResponse gives a Request event its response handle, on the PHP
// thread right before the callback.
func (s *Server) newResponse(ev *Event) {
	s.lastResp++
	ev.Response = s.lastResp
	r := &response{sess: ev.sess, resp: http1.NewResponse(ev.Request.Request), req: ev.Request}
	switch ev.Type {
	case EventHandShake:
		r.handshake, r.resp.Upgrade = true, true
	case EventBeforeHandshakeResponse:
		r.resp, r.open = ev.upgrade, ev.Request
	}
	s.responses[ev.Response] = r
}

func (s *Server) response(id uint64) (*response, error) {
	r := s.responses[id]
	if r == nil {
		return nil, errResponseDone
	}
	return r, nil
}

// ResponseStatus sets the status code and, if reason is not empty, the
// reason phrase. A reason that could split the response (CR, LF or
// another control character) is not used: the code's standard phrase is
// sent instead, and the call warns.
func (s *Server) ResponseStatus(id uint64, code int, reason string) error {
	r, err := s.response(id)
	if err != nil {
		return err
	}
	r.resp.Status, r.resp.Reason = code, reason
	if !http1.ValidReason(reason) {
		r.resp.Reason = ""
		return Warnings{"The reason cannot contain control characters, the standard reason phrase is sent instead"}
	}
	return nil
}

// ResponseHeader sets a header, or adds one more line of it.
func (s *Server) ResponseHeader(id uint64, name, value string, format, add bool) error {
	r, err := s.response(id)
	if err != nil {
		return err
	}
	switch err := r.resp.SetHeader(name, value, format, add); err {
	case nil:
		return nil
	case http1.ErrHeaderValue:
		return errHeaderName
	default:
		return &Error{ErrnoPHPRuntimeNotice, err.Error()}
	}
}

// ResponseDelHeader removes a header.
func (s *Server) ResponseDelHeader(id uint64, name string) error {
	r, err := s.response(id)
	if err != nil {
		return err
	}
	r.resp.DelHeader(name)
	return nil
}

// ResponseCookie adds a Set-Cookie header.
func (s *Server) ResponseCookie(id uint64, c *http1.Cookie) error {
	r, err := s.response(id)
	if err != nil {
		return err
	}
	if err := r.resp.AddCookie(c); err != nil {
		return &Error{ErrnoPHPRuntimeNotice, err.Error()}
	}
	return nil
}

// ResponseWrite sends one chunk, sending the head first.
func (s *Server) ResponseWrite(id uint64, data []byte) error {
	r, err := s.response(id)
	if err != nil {
		return err
	}
	if r.resp.Upgrade {
		return errResponseDone // a handshake's answer is not chunked
	}
	buf := s.scratch[:0]
	if !r.headSent {
		r.headSent = true
		s.ignoreLength(r, "You have set 'Transfer-Encoding'")
		buf = r.resp.AppendHead(buf, -1, time.Now())
	}
	if len(data) > 0 && !r.resp.Head {
		buf = http1.AppendChunk(buf, data)
	}
	s.scratch = buf
	if err := s.cutShort(r, s.send(r.sess, buf)); err != nil {
		return err
	}
	return dropped(r.resp)
}

// cutShort closes the connection of a response whose output failed: the
// client must not wait for the rest of a response that will never come.
func (s *Server) cutShort(r *response, err error) error {
	if err == errOutputOverflow {
		s.closeByServer(r.sess, true)
	}
	return err
}

// ResponseEnd sends the response, or the last chunk after write(); it
// closes the connection when the request did not ask for keep-alive.
func (s *Server) ResponseEnd(id uint64, body []byte) error { return s.end(id, body, nil) }

// end is ResponseEnd, the body sent from a file if file is not nil
// (sendfile()).
func (s *Server) end(id uint64, body []byte, file *fileBody) error {
	r, err := s.response(id)
	if err != nil {
		return err
	}
	delete(s.responses, id)
	s.stats.ResponseCount++
	switch {
	case r.open != nil:
		s.accept101(r.sess, r.resp, r.open)
		return dropped(r.resp)
	case r.handshake && r.resp.Status == 101:
		r.sess.status = StatusActive
		s.own(r.sess, false)
		s.negotiateDeflate(r.sess, r.resp, r.req)
	case r.handshake:
		r.sess.status = StatusHandshakeFailed
		r.resp.KeepAlive = false
	}
	buf := s.scratch[:0]
	if r.headSent {
		if len(body) > 0 {
			buf = http1.AppendChunk(buf, body)
		}
		buf = append(buf, "0\r\n"...)
		for _, h := range r.trailer {
			buf = append(buf, h.Name+": "+h.Value+"\r\n"...)
		}
		buf = append(buf, "\r\n"...)
	} else {
		if file == nil {
			if s.acceptsCompression(r) {
				s.ignoreLength(r, "The client has set 'Accept-Encoding'")
			}
			body = s.compress(r, body)
		}
		buf = r.resp.AppendHead(buf, len(body)+file.len(), time.Now())
		if !r.resp.Head {
			buf = append(buf, body...)
		}
	}
	s.scratch = buf
	err = s.send(r.sess, buf)
	if err == nil && file != nil && !r.resp.Head {
		err = s.sendFile(r.sess, file)
	}
	err = s.cutShort(r, err)
	switch {
	case !r.resp.KeepAlive:
		s.closeByServer(r.sess, false)
	case r.handshake:
		s.becomeWebSocket(r.sess)
	}
	if err != nil {
		return err
	}
	return dropped(r.resp)
}

// dropped turns the header values the head left out into Swoole's
// warnings; the response was sent without them.
func dropped(resp *http1.Response) error {
	if len(resp.Dropped) == 0 {
		return nil
	}
	w := make(Warnings, len(resp.Dropped))
	for i, err := range resp.Dropped {
		w[i] = err.Error()
	}
	resp.Dropped = nil
	return w
}

// compress compresses a response body as Swoole's http_compression does:
// by the request's Accept-Encoding, from http_compression_min_length
// bytes, for the http_compression_types (all when unset), unless the
// script set Content-Encoding itself.
func (s *Server) compress(r *response, body []byte) []byte {
	if len(body) < s.opts.CompressionMinLength || r.resp.ContentType() == "" || !s.acceptsCompression(r) {
		return body
	}
	if len(s.opts.CompressionTypes) > 0 && !slices.Contains(s.opts.CompressionTypes, r.resp.ContentType()) {
		return body
	}
	accept, _ := r.req.Get("accept-encoding")
	r.resp.Encoding = http1.Encoding(accept)
	return http1.Compress(r.resp.Encoding, s.opts.CompressionLevel, body)
}

// acceptsCompression reports what Swoole's accept_compression says before
// the body is looked at: http_compression is on, the request accepts an
// encoding the server has, and the script set no Content-Encoding.
func (s *Server) acceptsCompression(r *response) bool {
	if !s.opts.HTTPCompression || r.req == nil || r.resp.Upgrade {
		return false
	}
	accept, _ := r.req.Get("accept-encoding")
	if http1.Encoding(accept) == "" {
		return false
	}
	return !slices.ContainsFunc(r.resp.Header, func(h http1.Header) bool { return strings.EqualFold(h.Name, "Content-Encoding") })
}

// ignoreLength drops a Content-Length the script set where the server
// decides the length (a compressed or chunked body), with Swoole's log
// line (swoole-src issue 4857).
func (s *Server) ignoreLength(r *response, why string) {
	n := len(r.resp.Header)
	if r.resp.DelHeader("Content-Length"); len(r.resp.Header) < n {
		s.log.Logf(swlog.Warning, "Context::build_header() (ERRNO %d): %s, 'Content-Length' will be ignored", ErrnoHTTPConflictHeader, why)
	}
}

// ResponseSendfile ends a response with (part of) a file, its
// Content-Type from the file's extension unless the script set one. The
// file is sent as the socket takes it, never read into memory.
func (s *Server) ResponseSendfile(id uint64, name string, offset, length int64) error {
	r, err := s.response(id)
	if err != nil {
		return err
	}
	if r.headSent {
		return ErrInvalid("can't use sendfile when HTTP chunk is enabled")
	}
	real, err := filepath.EvalSymlinks(name) // the connection opens no link
	var info os.FileInfo
	if err == nil {
		info, err = readableFile(real)
	}
	if err != nil || offset < 0 || offset > info.Size() {
		return &Error{ErrnoInvalidArgument, fmt.Sprintf("file[%s] not found", name)}
	}
	if length <= 0 || offset+length > info.Size() {
		length = info.Size() - offset
	}
	if r.resp.ContentType() == "text/html" && !slices.ContainsFunc(r.resp.Header, func(h http1.Header) bool {
		return strings.EqualFold(h.Name, "Content-Type")
	}) {
		r.resp.SetHeader("Content-Type", mimetype.Get(name), false, false)
	}
	return s.end(id, nil, &fileBody{name: real, off: offset, end: offset + length})
}

// ResponseTrailer sets a trailer, sent after the last chunk of a chunked
// (write()) response; an empty value removes it.
func (s *Server) ResponseTrailer(id uint64, name, value string) error {
	r, err := s.response(id)
	if err != nil {
		return err
	}
	if name == "" || strings.ContainsAny(name+value, "\r\n") {
		return errHeaderName
	}
	r.trailer = slices.DeleteFunc(r.trailer, func(h http1.Header) bool { return strings.EqualFold(h.Name, name) })
	if value != "" {
		r.trailer = append(r.trailer, http1.Header{Name: name, Value: value})
	}
	return nil
}

// ResponseDetach keeps a response open after its callback returns, to be
// ended later (detach()).
func (s *Server) ResponseDetach(id uint64) error {
	r, err := s.response(id)
	if err == nil {
		r.detached = true
	}
	return err
}

// ResponseCreate makes a response for a connection outside any Request
// callback (Response::create()); it is kept alive.
func (s *Server) ResponseCreate(fd int64) (uint64, error) {
	sess := s.live(fd)
	if sess == nil {
		return 0, errSessionNotExist(fd)
	}
	s.lastResp++
	s.responses[s.lastResp] = &response{sess: sess, resp: &http1.Response{KeepAlive: true}, detached: true}
	return s.lastResp, nil
}

// ResponseClose closes the connection without sending anything more.
func (s *Server) ResponseClose(id uint64) error {
	r, err := s.response(id)
	if err != nil {
		return err
	}
	delete(s.responses, id)
	s.closeByServer(r.sess, false)
	return nil
}

// ResponseWritable reports whether the response can still be sent.
func (s *Server) ResponseWritable(id uint64) bool {
	r := s.responses[id]
	return r != nil && !r.sess.closed
}

// finishResponse ends a response its callback left open, as Swoole's
// Response destructor does: 500 (or the status set) with an empty body.
func (s *Server) finishResponse(id uint64) {
	r := s.responses[id]
	if r == nil || r.detached {
		return
	}
	if r.resp.Status == 0 {
		r.resp.Status = 500
	}
	if r.sess.closed {
		delete(s.responses, id)
		return
	}
	s.ResponseEnd(id, nil)
}
