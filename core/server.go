// Package core is the Swoole server without PHP: sockets, HTTP/1.1, the
// WebSocket protocol (through gorilla/websocket), sessions and their fds,
// websocket_status, the close-or-disconnect rule, options and logs.
//
// Threads: network goroutines read and parse, and only queue events. The
// thread that calls Start (the PHP thread) takes the events and runs every
// callback, one at a time, as Swoole's single worker does; the methods
// that act on connections (Push, Close, ResponseEnd, ...) are called from
// that thread, usually from inside a callback.
package core

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/swlog"
)

// Kind says which Swoole class the server is.
type Kind int

const (
	KindHTTP      Kind = 1 // Swoole\Http\Server
	KindWebSocket Kind = 2 // Swoole\WebSocket\Server
)

// EventType numbers match SWOOLE_EVENT_* in capi/swoole_shim.h.
type EventType int32

const (
	EventStart       EventType = 1
	EventWorkerStart EventType = 2
	EventConnect     EventType = 3
	EventOpen        EventType = 4
	EventMessage     EventType = 5
	EventRequest     EventType = 6
	EventClose       EventType = 7
	EventDisconnect  EventType = 8
	EventWorkerStop  EventType = 9
	EventShutdown    EventType = 10
	// EventBeforeShutdown comes first when the server stops.
	EventBeforeShutdown EventType = 11
	// EventTimer is a Swoole\Timer firing; Event.TimerID says which.
	EventTimer EventType = 12
)

// eventNames maps Swoole's event names (lower-case) to the events this
// server fires; names Swoole accepts that never fire here map to 0.
var eventNames = map[string]EventType{
	"start": EventStart, "workerstart": EventWorkerStart, "connect": EventConnect,
	"open": EventOpen, "message": EventMessage, "request": EventRequest,
	"close": EventClose, "disconnect": EventDisconnect, "workerstop": EventWorkerStop,
	"shutdown": EventShutdown, "beforeshutdown": EventBeforeShutdown,
	"beforereload": 0, "afterreload": 0, "task": 0, "finish": 0,
	"workerexit": 0, "workererror": 0, "managerstart": 0, "managerstop": 0,
	"pipemessage": 0, "receive": 0, "packet": 0, "bufferfull": 0, "bufferempty": 0,
	"handshake": 0, "beforehandshakeresponse": 0,
}

// EventOf returns the event a name registers (case-insensitive), or 0
// for names that fire nothing here or are unknown.
func EventOf(name string) EventType { return eventNames[strings.ToLower(name)] }

// Event is one thing for the PHP thread to do.
type Event struct {
	Type      EventType
	FD        int64
	ReactorID int
	WorkerID  int
	Opcode    int
	Flags     int
	Finish    bool
	Data      []byte // Message payload, Request body
	Request   *Request
	Response  uint64
	TimerID   int64
	// Release, if set, is called when the event is finished: the Go
	// memory it points to may then be forgotten (the C API unpins it).
	Release func()

	notice string // logged after the close callback
	sess   *Session
	slot   bool // holds one of sess.pending
}

// Server is one Swoole server.
type Server struct {
	kind     Kind
	host     string
	port     int
	ln       net.Listener
	serverFD int
	log      *swlog.Logger
	opts     Options
	handlers map[EventType]bool

	mu       sync.Mutex
	sessions map[int64]*Session
	lastFD   int64

	queue  queue
	state  atomic.Int32
	timers timers
	stop   chan struct{} // closed when the server stops: ends its goroutines

	// PHP thread only.
	worker    worker
	responses map[uint64]*response
	lastResp  uint64
	scratch   []byte
}

const (
	stateNew = iota
	stateRunning
	stateStopping
	stateStopped
)

// New binds host:port as Swoole's constructor does; a failure is an *Error
// with the errno as code and Swoole's message.
func New(host string, port int, kind Kind) (*Server, error) {
	s := &Server{
		kind:      kind,
		host:      host,
		log:       swlog.New(os.Stdout),
		opts:      defaultOptions,
		handlers:  map[EventType]bool{},
		sessions:  map[int64]*Session{},
		responses: map[uint64]*response{},
		serverFD:  -1,
		stop:      make(chan struct{}),
	}
	s.queue.init()
	if port < 0 || port > 65535 {
		s.log.Logf(swlog.Error, "invalid port [%d]", port)
		return nil, &Error{ErrnoServerInvalidListenPort, fmt.Sprintf("failed to listen server port[%s:%d], Error: invalid port [%d][%d]", host, port, port, ErrnoServerInvalidListenPort)}
	}
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { s.serverFD = int(fd) })
	}}
	ln, err := lc.Listen(context.Background(), "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		var errno syscall.Errno
		if !errors.As(err, &errno) {
			errno = syscall.EINVAL
		}
		s.log.Logf(swlog.Warning, "make_server_socket(): bind(%d, %s:%d, %d) failed, Error: %s[%d]", s.serverFD, host, port, backlog, strerror(errno), int(errno))
		return nil, &Error{int(errno), fmt.Sprintf("failed to listen server port[%s:%d], Error: %s[%d]", host, port, strerror(errno), int(errno))}
	}
	s.ln = ln
	s.port = ln.Addr().(*net.TCPAddr).Port
	return s, nil
}

// backlog is Swoole's default listen backlog, shown in its bind log line.
const backlog = 512

// Port is the bound port.
func (s *Server) Port() int { return s.port }

// On registers (set) or removes the callback for a Swoole event name,
// case-insensitively.
func (s *Server) On(name string, set bool) error {
	typ, ok := eventNames[strings.ToLower(name)]
	if !ok {
		return &Error{ErrnoPHPRuntimeNotice, fmt.Sprintf("unknown event types[%s]", name)}
	}
	if s.state.Load() != stateNew {
		return errRunning
	}
	if typ != 0 {
		s.handlers[typ] = set
	}
	return nil
}

// Set applies one option of set(), given in its string form.
func (s *Server) Set(key, value string) error {
	k := strings.ToLower(key)
	if !knownOptions[k] {
		return ErrInvalid(fmt.Sprintf("unsupported option [%s]", key))
	}
	if s.state.Load() != stateNew {
		return errStarted
	}
	var err error
	var n int64
	switch k {
	case "package_max_length":
		n, err = parseSize(value)
		s.opts.PackageMaxLength = n
	case "socket_buffer_size", "buffer_output_size", "output_buffer_size":
		n, err = parseSize(value)
		s.opts.SocketBufferSize = int(n)
	case "log_file":
		s.opts.LogFile = value
		err = s.log.SetFile(value)
	case "log_level":
		n, err = parseSize(value)
		s.opts.LogLevel = int(n)
		s.log.SetLevel(int(n))
	case "log_date_format":
		s.opts.LogDateFormat = value
		s.log.SetDateFormat(value)
	case "heartbeat_check_interval":
		n, err = parseSize(value)
		s.opts.HeartbeatCheckInterval = time.Duration(n) * time.Second
	case "heartbeat_idle_time":
		n, err = parseSize(value)
		s.opts.HeartbeatIdleTime = time.Duration(n) * time.Second
	case "max_connection", "max_conn":
		n, err = parseSize(value)
		s.opts.MaxConnection = int(n)
	case "open_websocket_close_frame":
		s.opts.CloseFrame, err = parseBool(value)
	case "open_websocket_ping_frame":
		s.opts.PingFrame, err = parseBool(value)
	case "open_websocket_pong_frame":
		s.opts.PongFrame, err = parseBool(value)
	}
	if err != nil {
		return ErrInvalid(fmt.Sprintf("invalid value for option [%s]: %v", key, err))
	}
	return nil
}

// Free releases the listener and every connection of a server that is
// not running (or never ran).
func (s *Server) Free() {
	if s.state.Load() == stateRunning {
		s.Shutdown()
		return
	}
	s.ln.Close()
	for _, sess := range s.liveSessions() {
		if sess.closed.CompareAndSwap(false, true) {
			sess.out.closeConn(true)
		}
	}
	s.log.Close()
}

func (s *Server) acceptLoop() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.Logf(swlog.Warning, "accept() failed, Error: %v", err)
			continue
		}
		s.mu.Lock()
		if max := s.opts.MaxConnection; max > 0 && len(s.sessions) >= max {
			s.mu.Unlock()
			conn.Close()
			s.log.Logf(swlog.Warning, "Server::accept_connection() (ERRNO %d): Too many connections [now: %d]", ErrnoServerTooManySocket, max)
			continue
		}
		s.lastFD++
		sess := newSession(s.lastFD, conn, s.opts.SocketBufferSize)
		s.sessions[sess.fd] = sess
		s.mu.Unlock()
		if s.handlers[EventConnect] {
			s.enqueue(sess, &Event{Type: EventConnect})
		}
		go s.serve(sess)
	}
}

// enqueue hands ev to the PHP thread, waiting while sess has too many
// events pending.
func (s *Server) enqueue(sess *Session, ev *Event) {
	sess.pending <- struct{}{}
	ev.FD, ev.sess, ev.slot = sess.fd, sess, true
	sess.recvQueued.Add(int64(len(ev.Data)))
	s.queue.push(ev)
}

// session returns the session of fd, open or inside its close callback.
func (s *Server) session(fd int64) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[fd]
}

// live returns the session of fd unless it is closed.
func (s *Server) live(fd int64) *Session {
	if sess := s.session(fd); sess != nil && !sess.closed.Load() {
		return sess
	}
	return nil
}

func (s *Server) liveSessions() []*Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]*Session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		if !sess.closed.Load() {
			list = append(list, sess)
		}
	}
	slices.SortFunc(list, func(a, b *Session) int { return int(a.fd - b.fd) })
	return list
}

// closeByPeer ends a session from its reader goroutine: the close callback
// runs later on the PHP thread. reactorID is -1 when the server chose to
// close (a rejected request), 0 when the peer went away; notice is logged
// after the callback.
func (s *Server) closeByPeer(sess *Session, reactorID int, notice string) {
	if !sess.closed.CompareAndSwap(false, true) {
		return
	}
	sess.out.closeConn(false)
	s.enqueue(sess, &Event{Type: EventClose, ReactorID: reactorID, notice: notice})
}

// serve reads a connection: HTTP requests, then WebSocket frames after an
// upgrade.
func (s *Server) serve(sess *Session) {
	lim := http1.Limits{MaxHeaderBytes: http1.DefaultLimits.MaxHeaderBytes, MaxBody: s.opts.PackageMaxLength}
	for {
		req, err := http1.Read(sess.br, lim)
		if err != nil {
			s.rejectRequest(sess, err)
			return
		}
		sess.touch()
		if req.Upgrade && s.kind == KindWebSocket {
			s.serveWebSocket(sess, req)
			return
		}
		if !s.handlers[EventRequest] {
			// A WebSocket server without a Request callback.
			sess.out.write([]byte(http1.BadRequestPage))
			s.closeByPeer(sess, -1, "")
			return
		}
		s.enqueueRequest(sess, req)
		if !req.KeepAlive {
			return // the PHP thread closes it after the response
		}
	}
}

// rejectRequest ends a connection whose reader failed: a malformed request
// gets Swoole's bare 400 (or 413) and, for errors its llhttp stage finds,
// the NOTICE line; anything else is the peer going away.
func (s *Server) rejectRequest(sess *Session, err error) {
	e, ok := http1.IsMalformed(err)
	if !ok {
		s.closeByPeer(sess, 0, "")
		return
	}
	notice := ""
	switch {
	case e.Status == 413:
		sess.out.write([]byte("HTTP/1.1 413 Request Entity Too Large\r\n\r\n"))
		s.log.Logf(swlog.Warning, "Request Entity Too Large: package_max_length(%d) exceeded by session#%d on %s:%d", s.opts.PackageMaxLength, sess.fd, sess.remoteIP, sess.remotePort)
	default:
		sess.out.write([]byte(http1.BareBadRequest))
		if e.Reason != "" {
			notice = fmt.Sprintf("Invalid HTTP request discarded: %d bytes unprocessed. Reason: %s", e.Unprocessed, e.Reason)
		}
	}
	s.closeByPeer(sess, -1, notice)
}

// queue is the events waiting for the PHP thread. Producers append under
// the lock; the PHP thread takes everything queued at once, so one wake-up
// serves a whole batch under load.
//
// The PHP thread sleeps in a blocking read of a pipe rather than on a Go
// channel: a goroutine locked to a foreign thread that parks on a channel
// costs several scheduler hand-offs per wake-up, a blocking system call
// one wake-up (measured: see docs/PERFORMANCE.md).
type queue struct {
	mu      sync.Mutex
	events  []*Event
	waiting bool   // the PHP thread is (about to be) asleep in take
	wake    [2]int // pipe: read end, write end
}

func (q *queue) init() {
	if err := syscall.Pipe2(q.wake[:], syscall.O_CLOEXEC); err != nil {
		panic("swoole-shim: pipe: " + err.Error())
	}
}

func (q *queue) close() {
	syscall.Close(q.wake[0])
	syscall.Close(q.wake[1])
}

func (q *queue) push(ev *Event) {
	q.mu.Lock()
	q.events = append(q.events, ev)
	wake := q.waiting
	q.waiting = false
	q.mu.Unlock()
	if wake {
		syscall.Write(q.wake[1], []byte{1})
	}
}

// take moves every queued event into buf, waiting for one if wait is set.
func (q *queue) take(buf []*Event, wait bool) []*Event {
	var b [1]byte
	for {
		q.mu.Lock()
		if len(q.events) > 0 || !wait {
			buf, q.events = q.events, buf
			q.mu.Unlock()
			return buf
		}
		q.waiting = true
		q.mu.Unlock()
		for {
			if _, err := syscall.Read(q.wake[0], b[:]); err != syscall.EINTR {
				break
			}
		}
	}
}
