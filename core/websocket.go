package core

import (
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/swlog"
	"github.com/swoole-shim/swoole-shim/core/wsframe"
)

// closeFrameErrno is the close_errno Swoole reports after a client's close
// frame (the EAGAIN of its last read).
const closeFrameErrno = 11

// handshake answers a request with "Upgrade: websocket": with the
// script's HandShake callback if it has one, else itself, after the
// BeforeHandshakeResponse callback if there is one. Swoole checks only the
// key's length (24); RFC 6455 §4.2.1 also wants the base64 of 16 bytes,
// which the built-in handshake checks too.
func (s *Server) handshake(sess *Session, req *http1.Request) {
	sess.status = StatusConnection
	if s.handlers[EventHandShake] {
		sess.status = StatusHandshake
		sess.upgrading = true
		s.emit(sess, &Event{Type: EventHandShake, Request: s.newRequest(sess, req), Data: req.Body})
		return
	}
	key, _ := req.Get("sec-websocket-key")
	if raw, err := base64.StdEncoding.DecodeString(key); len(key) != 24 || err != nil || len(raw) != 16 {
		resp := http1.NewResponse(req)
		resp.Status = http.StatusBadRequest
		s.closeByPeer(sess, -1, "", resp.AppendHead(nil, 0, time.Now()))
		return
	}
	sess.status = StatusActive
	resp := http1.NewResponse(req)
	resp.Status, resp.Upgrade = http.StatusSwitchingProtocols, true
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	for _, kv := range [][2]string{
		{"Upgrade", "websocket"},
		{"Connection", "Upgrade"},
		{"Sec-WebSocket-Accept", base64.StdEncoding.EncodeToString(h[:])},
		{"Sec-WebSocket-Version", "13"},
		{"Sec-WebSocket-Protocol", s.opts.Subprotocol},
	} {
		if kv[1] != "" {
			resp.SetHeader(kv[0], kv[1], false, false)
		}
	}
	r := s.newRequest(sess, req)
	if s.handlers[EventBeforeHandshakeResponse] {
		// The 101 goes out when the callback is done (finish).
		sess.upgrading = true
		s.emit(sess, &Event{Type: EventBeforeHandshakeResponse, Request: r, upgrade: resp})
		return
	}
	s.accept101(sess, resp, r)
	if !r.opened {
		removeUploads(r.Uploads)
	}
}

// accept101 sends the 101 of the built-in handshake and opens the
// connection: frames are read from now on, and Open fires.
func (s *Server) accept101(sess *Session, resp *http1.Response, req *Request) {
	s.negotiateDeflate(sess, resp, req)
	s.send(sess, resp.AppendHead(nil, 0, time.Now()))
	s.becomeWebSocket(sess)
	if s.handlers[EventOpen] {
		req.opened = true
		s.emit(sess, &Event{Type: EventOpen, Request: req})
	}
}

// negotiateDeflate accepts permessage-deflate in a 101 as Swoole does:
// with websocket_compression set and an extension header whose first
// offer is permessage-deflate.
func (s *Server) negotiateDeflate(sess *Session, resp *http1.Response, req *Request) {
	offer, _ := req.Get("sec-websocket-extensions")
	name, _, _ := strings.Cut(offer, ";")
	if s.opts.Compression && name == "permessage-deflate" {
		resp.SetHeader("Sec-Websocket-Extensions", wsframe.ExtensionDeflate, false, false)
		sess.deflate = true
	}
}

// becomeWebSocket switches a connection to frames. After a handshake
// callback, which paused the input, it parses what the client sent
// meanwhile; in the read path the caller goes on parsing itself.
func (s *Server) becomeWebSocket(sess *Session) {
	paused := sess.upgrading
	sess.upgrading = false
	sess.ws = &wsframe.Reader{MaxMessage: int(s.opts.PackageMaxLength), Deflate: sess.deflate}
	if paused && len(sess.in) > 0 && !sess.ending {
		used := s.consume(sess, sess.in)
		sess.in = append(sess.in[:0], sess.in[used:]...)
	}
}

// Push sends one frame to an established WebSocket connection.
func (s *Server) Push(fd int64, data []byte, opcode, flags int) error {
	sess := s.live(fd)
	if sess == nil {
		return errSessionNotExist(fd)
	}
	if sess.status < StatusHandshake {
		return errNotWebsocket(fd)
	}
	if !wsframe.ValidOpcode(opcode) {
		return ErrInvalid("invalid opcode")
	}
	// As Swoole: a connection that negotiated compression gets every
	// message compressed; others never.
	if sess.deflate {
		flags |= wsframe.FlagCompress
	} else {
		flags &^= wsframe.FlagCompress
	}
	s.scratch = wsframe.AppendMessage(s.scratch[:0], opcode, flags, data)
	s.stats.ResponseCount++
	return s.send(sess, s.scratch)
}

// Disconnect sends a close frame with code and reason and closes the
// connection at once; the close callback runs before it returns. Like
// Swoole it does not check the code.
func (s *Server) Disconnect(fd int64, code int, reason string) error {
	sess := s.live(fd)
	if sess == nil || sess.status < StatusHandshake {
		return errNotWebsocket(fd)
	}
	if len(reason) > 125 {
		s.log.Logf(swlog.Warning, "websocket::pack_close_frame(): the max length of close reason is 125")
		return errBadCloseReason
	}
	if err := s.sendFrame(sess, wsframe.OpClose, wsframe.FlagFin, wsframe.ClosePayload(code, reason)); err != nil {
		return err
	}
	if sess.closeEcho != nil {
		// In onMessage of the peer's close frame (open_websocket_close_frame)
		// Swoole still sends its echo after this one: two close frames.
		s.send(sess, sess.closeEcho)
	}
	sess.status = StatusClosing
	s.closeByServer(sess, false)
	return nil
}

// Close closes a connection without a close frame; the close callback runs
// before it returns. reset drops unsent output.
func (s *Server) Close(fd int64, reset bool) bool {
	sess := s.live(fd)
	return sess != nil && s.closeByServer(sess, reset)
}

// Exist reports whether fd is an open connection.
func (s *Server) Exist(fd int64) bool { return s.live(fd) != nil }

// IsEstablished reports whether fd is an open, established WebSocket.
func (s *Server) IsEstablished(fd int64) bool {
	sess := s.live(fd)
	return sess != nil && sess.status == StatusActive
}

// Send writes raw bytes to a connection, as Swoole's send() does.
func (s *Server) Send(fd int64, data []byte) error {
	sess := s.live(fd)
	if sess == nil {
		return errSessionNotExist(fd)
	}
	return s.send(sess, data)
}

// Bind attaches a user id to a connection (getClientInfo's uid).
func (s *Server) Bind(fd, uid int64) error {
	sess := s.live(fd)
	if sess == nil {
		return errSessionNotExist(fd)
	}
	sess.uid = uid
	return nil
}
