// Package core is the Swoole server without PHP: HTTP/1.1 and the
// WebSocket protocol over the reactor's sockets (core/internal/reactor),
// sessions and their fds, websocket_status, the close-or-disconnect rule,
// options, timers and logs.
//
// Threads: the thread that calls Start or Next (the PHP thread) runs the
// event loop itself (reactor.go): it polls, reads and parses, and
// runs every callback, one at a time, as Swoole's single worker does. The
// methods that act on connections (Push, Close, ResponseEnd, ...) are called
// from that thread, usually from inside a callback. Other goroutines
// (timers, signals, Shutdown) only queue events for it.
package core

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/internal/reactor"
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
	// EventHandShake replaces the built-in handshake: the callback
	// answers with the response (101 to accept).
	EventHandShake EventType = 13
	// EventBeforeHandshakeResponse lets the script add to the built-in
	// 101 before it is sent.
	EventBeforeHandshakeResponse EventType = 14

	// EventPipe is a datagram on a socket of Watch: in Swoole's terms a
	// pipe message, or a task or its result; the PHP layer decodes it.
	EventPipe EventType = 16

	// EventTask is never fired by the core: task workers run in the PHP
	// layer. Registering it satisfies start()'s check for task_worker_num.
	EventTask EventType = 15

	// eventWrite writes Data in its turn among the connection's events:
	// a pong, as Swoole's worker answers a ping, or a static file's
	// response, which must not pass the responses of requests pipelined
	// before it. No callback sees it.
	eventWrite EventType = 100
)

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
	// ServerPort is the port the connection came in on (listen() adds
	// ports whose callbacks may differ).
	ServerPort int
	// Release, if set, is called when the event is finished: the Go
	// memory it points to may then be forgotten (the C API unpins it).
	Release func()

	upgrade  *http1.Response // BeforeHandshakeResponse: the 101 to send after
	notice   string          // logged after the close callback
	last     []byte          // sent before closing (deferred close events)
	body     *fileBody       // eventWrite: sent after Data
	deferred bool            // a closeByPeer event: the session closes at its turn
	slot     bool            // holds one of sess.pending
	sess     *Session
}

// Server is one Swoole server.
type Server struct {
	kind      Kind
	host      string
	port      int
	listeners []*listener // the constructor's first, then listen()'s
	log       *swlog.Logger
	opts      Options
	handlers  map[EventType]bool

	queue  queue
	state  atomic.Int32 // Shutdown may come from another thread
	timers timers
	stop   chan struct{} // closed when the server stops: ends its goroutines

	// PHP thread only.
	sessions  map[int64]*Session
	pipes     map[int]bool  // datagram sockets of Watch
	pipeBuf   []byte        // what receive reads a datagram into
	shared    *Shared       // session ids and connection counts, maybe shared by several workers
	conns     *atomic.Int64 // this worker's count in shared
	workerID  int
	asWorker  bool   // one of several workers (AsWorker)
	owners    Owners // every worker's connections (ShareOwners), or nil
	busy      bool   // a callback runs (setBusy)
	maxReq    int64  // requests after which this worker stops (requestLimit); 0: never
	worker    worker
	reactor   *reactor.Reactor
	bySock    map[int]*Session // by OS socket
	closing   int              // connections draining their output before closing
	wrote     *Session         // written to at once by the event's callback (send)
	lastSweep time.Time
	// The last failed accept's log line (acceptFailed).
	lastAcceptLog time.Time
	// A connection that has not sent a whole request (or WebSocket
	// handshake) this long after it began one is closed: slow-loris
	// clients cannot hold connections open for ever.
	requestTimeout   time.Duration
	lastRequestSweep time.Time
	responses        map[uint64]*response
	lastResp         uint64
	scratch          []byte
	stats            Stats
	tlsConfig        *tls.Config
	startTime        int64
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
	return newServer(kind, func(s *Server) (*listener, error) { return s.Listen(host, port, false) })
}

// NewFromFD makes a server whose first port is a listening socket made
// before this process started Go (see ListenFD).
func NewFromFD(fd int, host string, kind Kind) (*Server, error) {
	return newServer(kind, func(s *Server) (*listener, error) { return s.ListenFD(fd, host, false) })
}

func newServer(kind Kind, listen func(*Server) (*listener, error)) (*Server, error) {
	s := &Server{
		kind:           kind,
		log:            swlog.New(os.Stdout),
		opts:           defaultOptions,
		handlers:       map[EventType]bool{},
		sessions:       map[int64]*Session{},
		responses:      map[uint64]*response{},
		bySock:         map[int]*Session{},
		requestTimeout: defaultRequestTimeout,
		stop:           make(chan struct{}),
	}
	s.shared = &Shared{} // worker 0 of one
	s.conns = &s.shared.Conns[0]
	var err error
	if s.reactor, err = reactor.New(); err != nil {
		return nil, &Error{ErrnoInvalidState, "cannot set up the event loop: " + err.Error()}
	}
	s.queue.reactor = s.reactor
	l, err := listen(s)
	if err != nil {
		s.reactor.Close()
		return nil, err
	}
	s.host, s.port = l.host, l.port
	return s, nil
}

// listener is one listening socket: the constructor's, or listen()'s.
type listener struct {
	fd   int
	host string
	port int
	ssl  bool
}

// Listen binds one more address before start, as listen()/addlistener()
// do; connections on it share the server's callbacks and options.
func (s *Server) Listen(host string, port int, ssl bool) (*listener, error) {
	if s.state.Load() != stateNew {
		return nil, errStarted
	}
	if port < 0 || port > 65535 {
		s.log.Logf(swlog.Error, "invalid port [%d]", port)
		return nil, &Error{ErrnoServerInvalidListenPort, fmt.Sprintf("failed to listen server port[%s:%d], Error: invalid port [%d][%d]", host, port, port, ErrnoServerInvalidListenPort)}
	}
	fd, bound, err := s.reactor.Listen(host, port, backlog)
	if err != nil {
		errno, ok := err.(syscall.Errno)
		if !ok {
			errno = syscall.EINVAL
		}
		s.log.Logf(swlog.Warning, "make_server_socket(): bind(%d, %s:%d, %d) failed, Error: %s[%d]", fd, host, port, backlog, strerror(errno), int(errno))
		return nil, &Error{int(errno), fmt.Sprintf("failed to listen server port[%s:%d], Error: %s[%d]", host, port, strerror(errno), int(errno))}
	}
	l := &listener{fd: fd, host: host, port: bound, ssl: ssl}
	s.listeners = append(s.listeners, l)
	return l, nil
}

// ListenFD adds a port whose listening socket was made elsewhere: by the
// process that forked this worker, before any Go ran in it (a Go runtime
// does not survive fork). The socket is the server's from then on.
func (s *Server) ListenFD(fd int, host string, ssl bool) (*listener, error) {
	if s.state.Load() != stateNew {
		return nil, errStarted
	}
	bound, err := s.reactor.Adopt(fd)
	if err != nil {
		return nil, ErrInvalid(fmt.Sprintf("fd %d is not a listening socket: %v", fd, err))
	}
	l := &listener{fd: fd, host: host, port: bound, ssl: ssl}
	s.listeners = append(s.listeners, l)
	return l, nil
}

// Port of a listener.
func (l *listener) Port() int { return l.port }

// defaultRequestTimeout bounds how long a request may take to arrive.
const defaultRequestTimeout = 30 * time.Second

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
	case "task_worker_num":
		n, err = parseSize(value)
		s.opts.TaskWorkerNum = int(n)
	case "max_request":
		s.opts.MaxRequest, err = parseSize(value)
	case "max_request_grace":
		s.opts.MaxRequestGrace, err = parseSize(value)
	case "open_websocket_close_frame":
		s.opts.CloseFrame, err = parseBool(value)
	case "open_websocket_ping_frame":
		s.opts.PingFrame, err = parseBool(value)
	case "open_websocket_pong_frame":
		s.opts.PongFrame, err = parseBool(value)
	case "websocket_subprotocol":
		s.opts.Subprotocol = value
	case "websocket_compression":
		s.opts.Compression, err = parseBool(value)
	case "pid_file":
		s.opts.PidFile = value
	case "ssl_cert_file":
		s.opts.SSLCertFile = value
	case "ssl_key_file":
		s.opts.SSLKeyFile = value
	case "http_compression":
		s.opts.HTTPCompression, err = parseBool(value)
	case "http_compression_level", "compression_level", "http_gzip_level":
		n, err = parseSize(value)
		s.opts.CompressionLevel = int(n)
	case "http_compression_min_length", "compression_min_length":
		n, err = parseSize(value)
		s.opts.CompressionMinLength = int(n)
	case "http_compression_types", "compression_types":
		// The PHP layer passes an array as JSON.
		err = json.Unmarshal([]byte(value), &s.opts.CompressionTypes)
	case "enable_static_handler":
		s.opts.StaticHandler, err = parseBool(value)
	case "document_root":
		s.opts.DocumentRoot = value
	case "static_handler_locations":
		err = json.Unmarshal([]byte(value), &s.opts.StaticLocations)
	case "http_index_files":
		err = json.Unmarshal([]byte(value), &s.opts.IndexFiles)
	case "http_autoindex":
		s.opts.AutoIndex, err = parseBool(value)
	case "upload_tmp_dir":
		s.opts.UploadTmpDir = value
	case "upload_max_filesize":
		n, err = parseSize(value)
		s.opts.UploadMaxFilesize = n
	}
	if err != nil {
		return ErrInvalid(fmt.Sprintf("invalid value for option [%s]: %v", key, err))
	}
	return nil
}

// Free releases the listener and every connection of a server that is
// not running (or never ran); a running one is shut down.
func (s *Server) Free() {
	if s.state.Load() == stateRunning {
		s.Shutdown()
		return
	}
	for _, sess := range s.bySock {
		if !sess.closed {
			sess.closed = true
			sess.conn.Close(true)
		}
	}
	s.reactor.Close()
	s.log.Close()
}

// session returns the session of fd, open or inside its close callback.
func (s *Server) session(fd int64) *Session { return s.sessions[fd] }

// live returns the session of fd unless it is closed.
func (s *Server) live(fd int64) *Session {
	if sess := s.session(fd); sess != nil && !sess.closed {
		return sess
	}
	return nil
}

func (s *Server) liveSessions() []*Session {
	list := make([]*Session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		if !sess.closed {
			list = append(list, sess)
		}
	}
	slices.SortFunc(list, func(a, b *Session) int { return int(a.fd - b.fd) })
	return list
}

// closeByPeer ends a session for a reason of the peer's or of the
// protocol's, found while reading. The connection is no longer read, but
// stays open until the close event's turn: the events read before it are
// served first (their pushes still work), then last is sent (a 400, a
// close frame) and the socket closed, then the close callback runs.
// reactorID is -1 when the server chose to close (a rejected request), 0
// when the peer went away; notice is logged after the callback.
func (s *Server) closeByPeer(sess *Session, reactorID int, notice string, last []byte) {
	if sess.ending || sess.closed {
		return
	}
	sess.ending = true
	sess.conn.StopReading()
	s.emit(sess, &Event{Type: EventClose, ReactorID: reactorID, notice: notice, last: last, deferred: true})
}

// closeSocket closes a session's socket, after its queued output unless
// reset.
func (s *Server) closeSocket(sess *Session, reset bool) {
	s.conns.Add(-1)
	s.own(sess, true)
	sess.conn.Close(reset)
	if sess.conn.Draining() {
		s.closing++
	}
	s.forgetSock(sess)
}

// forgetSock drops a closed socket from bySock; the number
// may already belong to a newer connection.
func (s *Server) forgetSock(sess *Session) {
	if sess.conn.Closed() && s.bySock[sess.conn.FD()] == sess {
		delete(s.bySock, sess.conn.FD())
	}
}

// queue carries events from other goroutines (timers, Shutdown) to the
// PHP thread, waking its poll.
type queue struct {
	mu      sync.Mutex
	events  []*Event
	reactor *reactor.Reactor
}

func (q *queue) push(ev *Event) {
	q.mu.Lock()
	q.events = append(q.events, ev)
	first := len(q.events) == 1
	q.mu.Unlock()
	if first {
		q.reactor.Wake()
	}
}

// take appends every queued event to buf.
func (q *queue) take(buf []*Event) []*Event {
	q.mu.Lock()
	buf = append(buf, q.events...)
	clear(q.events)
	q.events = q.events[:0]
	q.mu.Unlock()
	return buf
}
