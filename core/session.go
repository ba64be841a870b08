package core

import (
	"bufio"
	"math"
	"net"
	"strconv"
	"sync/atomic"
	"syscall"

	"github.com/gorilla/websocket"
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

// pendingEvents bounds the events of one connection waiting for the PHP
// thread; past it the connection's reader stops reading, so a client
// cannot queue unbounded work (TCP pushes back instead).
const pendingEvents = 8

// Session is one accepted connection, known to scripts by its fd: a
// session id counting from 1 in accept order, never reused while the
// server runs (the OS socket fd is socketFD).
type Session struct {
	fd          int64
	conn        net.Conn
	br          *bufio.Reader
	out         *outbox
	ws          *websocket.Conn
	socketFD    int
	remoteIP    string
	remotePort  int
	connectTime float64

	status     atomic.Int32
	closed     atomic.Bool   // set once by whoever closes first
	closeErrno atomic.Int32  // close_errno
	lastRecv   atomic.Uint64 // float64 bits
	recvQueued atomic.Int64  // bytes received, not yet dispatched
	pending    chan struct{}

	lastDispatch float64 // PHP thread only
}

func newSession(fd int64, conn net.Conn, outputLimit int) *Session {
	s := &Session{
		fd:          fd,
		conn:        conn,
		br:          bufio.NewReader(conn),
		out:         newOutbox(conn, outputLimit),
		socketFD:    -1,
		connectTime: now(),
		pending:     make(chan struct{}, pendingEvents),
	}
	s.touch()
	if addr, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		s.remoteIP, s.remotePort = addr.IP.String(), addr.Port
	} else if host, port, err := net.SplitHostPort(conn.RemoteAddr().String()); err == nil {
		s.remoteIP = host
		s.remotePort, _ = strconv.Atoi(port)
	}
	if sc, ok := conn.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			raw.Control(func(fd uintptr) { s.socketFD = int(fd) })
		}
	}
	return s
}

// touch records that bytes arrived.
func (s *Session) touch() { s.lastRecv.Store(math.Float64bits(now())) }

func (s *Session) lastRecvTime() float64 { return math.Float64frombits(s.lastRecv.Load()) }

// sendFrame writes one frame; buf is scratch space the caller may reuse.
func (s *Session) sendFrame(buf []byte, opcode, flags int, payload []byte) ([]byte, error) {
	buf = wsframe.Append(buf[:0], opcode, flags, payload)
	return buf, s.out.write(buf)
}
