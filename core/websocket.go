package core

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/swlog"
	"github.com/swoole-shim/swoole-shim/core/wsframe"
)

// receivedFlags are the flags of a frame a client sent: FIN, and MASK
// since clients must mask (messages arrive reassembled, so always FIN).
const receivedFlags = wsframe.FlagFin | wsframe.FlagMask

// closeFrameErrno is the close_errno Swoole reports after a client's close
// frame (the EAGAIN of its last read).
const closeFrameErrno = 11

var upgrader = websocket.Upgrader{
	ReadBufferSize:  512, // gorilla reads through the session's own buffer
	WriteBufferPool: unusedPool{},
	CheckOrigin:     func(*http.Request) bool { return true }, // Swoole checks no Origin
	Error:           func(http.ResponseWriter, *http.Request, int, error) {},
}

// unusedPool is never asked for a buffer: frames are written by wsframe,
// gorilla writes only control frames, which need none; it keeps gorilla
// from giving each connection a write buffer.
type unusedPool struct{}

func (unusedPool) Get() any { return nil }
func (unusedPool) Put(any)  {}

// serveWebSocket does the handshake of a request with "Upgrade: websocket"
// and then reads frames until the connection ends.
func (s *Server) serveWebSocket(sess *Session, req *http1.Request) {
	sess.status.Store(StatusConnection)
	key, _ := req.Get("sec-websocket-key")
	conn := &wsConn{Conn: sess.conn, sess: sess, handshake: true}
	var ws *websocket.Conn
	if len(key) == 24 { // Swoole's only check of the key
		var err error
		ws, err = upgrader.Upgrade(&hijacker{conn: conn}, &http.Request{
			Method: http.MethodGet,
			Header: http.Header{
				"Connection":            {"Upgrade"},
				"Upgrade":               {"websocket"},
				"Sec-Websocket-Version": {"13"},
				"Sec-Websocket-Key":     {key},
			},
		}, nil)
		if err != nil {
			ws = nil // RFC 6455 wants the key to be base64 of 16 bytes
		}
	}
	if ws == nil {
		resp := http1.NewResponse(req)
		resp.Status = http.StatusBadRequest
		sess.out.write(resp.AppendHead(nil, 0, time.Now()))
		s.closeByPeer(sess, -1, "")
		return
	}
	sess.ws = ws
	sess.status.Store(StatusActive)
	sess.out.write(handshakeResponse(key, time.Now()))
	if s.handlers[EventOpen] {
		s.enqueue(sess, &Event{Type: EventOpen, Request: s.newRequest(sess, req)})
	}
	s.readFrames(sess, ws)
}

// handshakeResponse is Swoole's 101, header for header.
func handshakeResponse(key string, now time.Time) []byte {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return []byte("HTTP/1.1 101 Switching Protocols\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + base64.StdEncoding.EncodeToString(h[:]) + "\r\n" +
		"Sec-WebSocket-Version: 13\r\n" +
		"Server: " + http1.ServerName + "\r\n" +
		"Date: " + http1.Date(now) + "\r\n\r\n")
}

// readFrames delivers messages until the connection ends. gorilla checks
// framing (masking, RSV bits, opcodes, control frame rules, close codes),
// answers pings and protocol errors, and enforces package_max_length with
// a 1009 close; the core adds the UTF-8 check of text messages (1007).
func (s *Server) readFrames(sess *Session, ws *websocket.Conn) {
	ws.SetReadLimit(s.opts.PackageMaxLength)
	ws.SetCloseHandler(func(code int, text string) error {
		// Swoole echoes the client's close payload.
		var payload []byte
		if code != websocket.CloseNoStatusReceived {
			payload = wsframe.ClosePayload(code, text)
		}
		if s.opts.CloseFrame {
			s.enqueue(sess, &Event{Type: EventMessage, Opcode: wsframe.OpClose, Flags: receivedFlags, Finish: true, Data: payload})
		}
		sess.sendFrame(nil, wsframe.OpClose, wsframe.FlagFin, payload)
		sess.closeErrno.Store(closeFrameErrno)
		return nil
	})
	if s.opts.PingFrame {
		// The script gets the ping and answers it itself, if it wants.
		ws.SetPingHandler(func(data string) error {
			s.enqueue(sess, &Event{Type: EventMessage, Opcode: wsframe.OpPing, Flags: receivedFlags, Finish: true, Data: []byte(data)})
			return nil
		})
	}
	if s.opts.PongFrame {
		ws.SetPongHandler(func(data string) error {
			s.enqueue(sess, &Event{Type: EventMessage, Opcode: wsframe.OpPong, Flags: receivedFlags, Finish: true, Data: []byte(data)})
			return nil
		})
	}
	for {
		op, r, err := ws.NextReader()
		if err != nil {
			s.closeByPeer(sess, 0, "")
			return
		}
		data, err := io.ReadAll(r)
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				s.log.Logf(swlog.Warning, "websocket message of session#%d exceeds package_max_length(%d)", sess.fd, s.opts.PackageMaxLength)
			}
			s.closeByPeer(sess, 0, "")
			return
		}
		sess.touch()
		if op == websocket.TextMessage && !utf8.Valid(data) {
			sess.sendFrame(nil, wsframe.OpClose, wsframe.FlagFin, wsframe.ClosePayload(websocket.CloseInvalidFramePayloadData, ""))
			s.closeByPeer(sess, 0, "")
			return
		}
		s.enqueue(sess, &Event{Type: EventMessage, Opcode: op, Flags: receivedFlags, Finish: true, Data: data})
	}
}

// Push sends one frame to an established WebSocket connection.
func (s *Server) Push(fd int64, data []byte, opcode, flags int) error {
	sess := s.live(fd)
	if sess == nil {
		return errSessionNotExist(fd)
	}
	if sess.status.Load() < StatusHandshake {
		return errNotWebsocket(fd)
	}
	if !wsframe.ValidOpcode(opcode) {
		return ErrInvalid("invalid opcode")
	}
	var err error
	s.scratch, err = sess.sendFrame(s.scratch, opcode, flags, data)
	return err
}

// Disconnect sends a close frame with code and reason and closes the
// connection at once; the close callback runs before it returns. Like
// Swoole it does not check the code.
func (s *Server) Disconnect(fd int64, code int, reason string) error {
	sess := s.live(fd)
	if sess == nil || sess.status.Load() < StatusHandshake {
		return errNotWebsocket(fd)
	}
	if len(reason) > 125 {
		s.log.Logf(swlog.Warning, "websocket::pack_close_frame(): the max length of close reason is 125")
		return errBadCloseReason
	}
	var err error
	if s.scratch, err = sess.sendFrame(s.scratch, wsframe.OpClose, wsframe.FlagFin, wsframe.ClosePayload(code, reason)); err != nil {
		return err
	}
	sess.status.Store(StatusClosing)
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
	return sess != nil && sess.status.Load() == StatusActive
}

// wsConn is the net.Conn gorilla/websocket sees. Reads come through the
// session's reader, which may already hold the client's first frames;
// writes (gorilla's pongs and protocol-error closes) go to the outbox.
// The 101 gorilla writes is dropped: the core sends Swoole's own.
type wsConn struct {
	net.Conn
	sess      *Session
	handshake bool
}

func (c *wsConn) Read(p []byte) (int, error) { return c.sess.br.Read(p) }

func (c *wsConn) Write(p []byte) (int, error) {
	if c.handshake {
		c.handshake = false
		return len(p), nil
	}
	if err := c.sess.out.write(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Deadlines belong to the outbox, not to gorilla's control writes.
func (c *wsConn) SetDeadline(time.Time) error      { return nil }
func (c *wsConn) SetWriteDeadline(time.Time) error { return nil }

// hijacker is the http.ResponseWriter gorilla's Upgrade wants.
type hijacker struct {
	conn *wsConn
}

func (h *hijacker) Header() http.Header         { return http.Header{} }
func (h *hijacker) Write(p []byte) (int, error) { return len(p), nil }
func (h *hijacker) WriteHeader(int)             {}

func (h *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r := bufio.NewReaderSize(strings.NewReader(""), 16)
	w := bufio.NewWriterSize(h.conn, 16)
	return h.conn, bufio.NewReadWriter(r, w), nil
}
