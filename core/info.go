package core

import (
	"os"

	"github.com/swoole-shim/swoole-shim/core/swlog"
)

// ClientInfo is getClientInfo()'s array, field for field.
type ClientInfo struct {
	WebsocketStatus  int // only meaningful on a WebSocket server
	ServerPort       int
	ServerFD         int
	SocketFD         int
	SocketType       int
	RemotePort       int
	RemoteIP         string
	ReactorID        int
	ConnectTime      int64
	LastTime         int64
	LastRecvTime     float64
	LastSendTime     float64
	LastDispatchTime float64
	CloseErrno       int
	RecvQueuedBytes  int64
	SendQueuedBytes  int64
	UID              int64 // bind(); shown when not 0
}

// socketTypeTCP is Swoole's SW_SOCK_TCP.
const socketTypeTCP = 1

// ClientInfo describes fd, also inside its close callback; ok is false
// for an unknown fd.
func (s *Server) ClientInfo(fd int64) (info ClientInfo, ok bool) {
	sess := s.session(fd)
	if sess == nil {
		return info, false
	}
	recv := sess.lastRecv
	return ClientInfo{
		WebsocketStatus:  sess.status,
		ServerPort:       sess.listener.port,
		ServerFD:         sess.listener.fd,
		SocketFD:         sess.conn.FD(),
		SocketType:       socketTypeTCP,
		RemotePort:       sess.remotePort,
		RemoteIP:         sess.remoteIP,
		ConnectTime:      int64(sess.connectTime),
		LastTime:         int64(recv),
		LastRecvTime:     recv,
		LastSendTime:     unixTime(sess.conn.LastSend()),
		LastDispatchTime: sess.lastDispatch,
		CloseErrno:       int(sess.closeErrno),
		RecvQueuedBytes:  int64(len(sess.in)),
		SendQueuedBytes:  int64(sess.conn.Queued()),
		UID:              sess.uid,
	}, true
}

// ClientList returns up to count open fds greater than start, ascending.
func (s *Server) ClientList(start int64, count int) []int64 {
	if s.owners != nil {
		return s.ownedFDs(start, count)
	}
	var fds []int64
	for _, sess := range s.liveSessions() {
		if len(fds) == count {
			break
		}
		if sess.fd > start {
			fds = append(fds, sess.fd)
		}
	}
	return fds
}

// IsWebSocket reports whether the server is a WebSocket server.
func (s *Server) IsWebSocket() bool { return s.kind == KindWebSocket }

// ConnectionCount is the number of open connections: every worker's when
// several share s.shared, as count($server->connections) in Swoole's
// BASE mode.
func (s *Server) ConnectionCount() int { return int(s.shared.connections()) }

// Stats are stats()'s counters (Swoole's keys for one worker in BASE mode).
type Stats struct {
	StartTime     int64
	Connections   int
	AcceptCount   int64
	CloseCount    int64
	DispatchCount int64 // events handed to callbacks
	RequestCount  int64 // requests and messages received
	ResponseCount int64 // responses ended and messages pushed
	RecvBytes     int64
	SendBytes     int64
	SessionRound  int64 // the last fd given
	MinFD, MaxFD  int   // OS sockets of the open connections
}

// Stats returns the server's counters.
func (s *Server) Stats() Stats {
	st := s.stats
	st.StartTime = s.startTime
	st.SessionRound = s.shared.LastFD.Load()
	st.SendBytes = s.reactor.Sent()
	for _, sess := range s.liveSessions() {
		st.Connections++
		if st.MinFD == 0 || sess.conn.FD() < st.MinFD {
			st.MinFD = sess.conn.FD()
		}
		st.MaxFD = max(st.MaxFD, sess.conn.FD())
	}
	return st
}

// defaultLog is the log of a process without a server: stdout, level
// INFO, "%pid.0", as Swoole's logger before any server starts.
var defaultLog = swlog.New(os.Stdout)

// Log writes msg as one of Swoole's log lines, for what the PHP layer
// reports there: to the server's log (log_file, log_level, the worker's
// prefix), or, on a nil server, to the default log.
func (s *Server) Log(level int, msg string) {
	l := defaultLog
	if s != nil {
		l = s.log
	}
	l.Logf(level, "%s", msg)
}
