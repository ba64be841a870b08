package core

import (
	"time"

	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/internal/reactor"
	"github.com/swoole-shim/swoole-shim/core/wsframe"
)

// WebSocket statuses, as Swoole's WEBSOCKET_STATUS_* constants.
const (
	StatusNone            = 0
	StatusConnection      = 1
	StatusHandshake       = 2
	StatusActive          = 3
	StatusClosing         = 4
	StatusHandshakeFailed = 5
)

// Session is one accepted connection, known to scripts by its fd: a
// session id counting from 1 in accept order, never reused while the
// server runs (the OS socket is conn's). The PHP thread owns it.
type Session struct {
	fd        int64
	conn      reactor.Conn
	in        []byte          // bytes received and not yet parsed
	http      http1.Parser    // the request being received
	ws        *wsframe.Reader // set once the handshake is done
	httpDone  bool            // a request without keep-alive was read
	ending    bool            // a close event is queued: read no more
	upgrading bool            // a handshake callback is pending: parse nothing
	deflate   bool            // permessage-deflate negotiated
	// waitingSince is when the request being received began (the
	// connection's start for the first one); 0 while none is pending.
	waitingSince float64
	listener     *listener // the port it came in on
	remoteIP     string
	remotePort   int
	connectTime  float64

	status       int
	closed       bool // set once, by whoever closes first
	closeErrno   int
	closeEcho    []byte // the echo of the peer's close frame, queued to be sent
	uid          int64  // bind()
	lastRecv     float64
	lastDispatch float64
}

// touch records that bytes arrived.
func (s *Session) touch() { s.lastRecv = now() }

// now is the Unix time in seconds, as Swoole's connection_info shows times.
func now() float64 { return unixTime(time.Now()) }

func unixTime(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMicro()) / 1e6
}
