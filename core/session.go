package core

import (
	"math"
	"sync/atomic"

	"github.com/swoole-shim/swoole-shim/core/http1"
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
// server runs (the OS socket is sock). Its input is read and parsed on the
// PHP thread, which owns everything but the atomics.
type Session struct {
	fd        int64
	sock      int
	out       outbox
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

	status     atomic.Int32
	closed     atomic.Bool // set once, by whoever closes first
	closeErrno atomic.Int32
	uid        atomic.Int64  // bind()
	lastRecv   atomic.Uint64 // float64 bits

	lastDispatch float64
}

// touch records that bytes arrived.
func (s *Session) touch() { s.lastRecv.Store(math.Float64bits(now())) }

func (s *Session) lastRecvTime() float64 { return math.Float64frombits(s.lastRecv.Load()) }
