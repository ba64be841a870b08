package core

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"syscall"
	"time"

	"github.com/swoole-shim/swoole-shim/core/internal/reactor"
	"github.com/swoole-shim/swoole-shim/core/swlog"
	"github.com/swoole-shim/swoole-shim/core/wsframe"
)

// The loop's Swoole side: what the reactor (core/internal/reactor)
// reports ready is accepted, read and parsed here, on the PHP thread
// itself, as Swoole's reactor runs in its worker, and the callbacks run
// from the same thread: no thread hop between a socket and PHP. An idle
// connection costs a Session and nothing else: no goroutine, no buffer.

// poll waits for sockets, timers and the cross-thread queue until at least
// one event is ready, then returns with them in the worker's batch.
func (s *Server) poll() {
	w := &s.worker
	s.setBusy(false)
	for len(w.batch) == 0 && s.state.Load() == stateRunning {
		s.writeHeld()
		s.wrote = nil // no callback is running
		timeout := -1
		if len(s.bySock) > 0 {
			timeout = 1000 // sweep's timeouts
		}
		for _, e := range s.reactor.Poll(timeout) {
			fd := e.FD()
			if l := s.listenerOf(fd); l != nil {
				s.accept(l)
				continue
			}
			if s.reactor.Woken(e) {
				w.batch = s.queue.take(w.batch)
				continue
			}
			sess := s.bySock[fd]
			if sess == nil {
				if s.pipes[fd] {
					s.receive(fd)
				}
				continue
			}
			switch {
			case e.Writable() && !sess.conn.Flush():
				s.lostPeer(sess)
			case e.Readable():
				s.readable(sess)
			}
			s.forgetSock(sess) // if its socket is closed now
		}
		s.sweep()
	}
}

// emit hands an event to the PHP thread's batch.
func (s *Server) emit(sess *Session, ev *Event) {
	ev.FD, ev.sess, ev.ServerPort = sess.fd, sess, sess.listener.port
	s.worker.batch = append(s.worker.batch, ev)
}

// emitWrite has p written in its turn among the connection's events.
func (s *Server) emitWrite(sess *Session, p []byte) {
	s.emit(sess, &Event{Type: eventWrite, Data: p})
}

// listenerOf returns the listener whose socket fd is, if any.
func (s *Server) listenerOf(fd int) *listener {
	for _, l := range s.listeners {
		if l.fd == fd {
			return l
		}
	}
	return nil
}

func (s *Server) accept(l *listener) {
	for {
		sock, ip, port, err := s.reactor.Accept(l.fd)
		switch {
		case err != nil:
			s.acceptFailed(err)
			return
		case sock < 0:
			return
		}
		if max := s.opts.MaxConnection; max > 0 && len(s.bySock)-s.closing >= max {
			s.log.Logf(swlog.Warning, "Server::accept_connection() (ERRNO %d): Too many connections [now: %d]", ErrnoServerTooManySocket, max)
			reactor.CloseFD(sock)
			continue
		}
		if l.ssl {
			if sock, err = s.terminateTLS(sock); err != nil {
				if reactor.OutOfDescriptors(err) {
					// The relay's descriptors are the accept's too.
					s.reactor.PauseAccepting()
					s.acceptFailed(err)
					return
				}
				s.log.Logf(swlog.Warning, "accept(): cannot set up TLS: %v", err)
				continue
			}
		}
		s.stats.AcceptCount++
		sess := s.addSession(l, sock)
		sess.remoteIP, sess.remotePort = ip, port
		if err := s.reactor.Attach(&sess.conn, sock, s.opts.SocketBufferSize); err != nil {
			s.lostPeer(sess)
			continue
		}
		if s.handlers[EventConnect] {
			s.emit(sess, &Event{Type: EventConnect})
		}
	}
}

// acceptFailed logs a failed accept as Swoole does, once per
// reactor.AcceptRetry: when descriptors run out, accepting pauses for that
// long or until a connection closes, and each close lets one more accept
// fail while the backlog lasts.
func (s *Server) acceptFailed(err error) {
	if t := time.Now(); t.Sub(s.lastAcceptLog) >= reactor.AcceptRetry {
		s.lastAcceptLog = t
		var errno syscall.Errno
		errors.As(err, &errno)
		s.log.Logf(swlog.Warning, "Server::accept_connection(): accept() failed, Error: %s[%d]", strerror(errno), int(errno))
	}
}

// addSession gives a connection on socket sock its session id, global
// to the workers that share s.shared.
func (s *Server) addSession(l *listener, sock int) *Session {
	sess := &Session{fd: s.shared.LastFD.Add(1), listener: l, connectTime: now()}
	s.conns.Add(1)
	sess.waitingSince = sess.connectTime
	s.sessions[sess.fd] = sess
	sess.touch()
	s.bySock[sock] = sess
	s.own(sess, false)
	return sess
}

// idleSessions are the connections that have sent nothing for
// heartbeat_idle_time (two heartbeat_check_interval by default).
func (s *Server) idleSessions() []*Session {
	idle := s.opts.HeartbeatIdleTime
	if idle <= 0 {
		idle = 2 * s.opts.HeartbeatCheckInterval
	}
	deadline := now() - idle.Seconds()
	var list []*Session
	for _, sess := range s.liveSessions() {
		if sess.lastRecv < deadline {
			list = append(list, sess)
		}
	}
	return list
}

// Idle lists the connections the heartbeat would close now (heartbeat()),
// or fails when heartbeat_check_interval is not set.
func (s *Server) Idle() ([]int64, error) {
	if s.opts.HeartbeatCheckInterval <= 0 {
		return nil, ErrInvalid("heartbeat_check_interval is not set")
	}
	var fds []int64
	for _, sess := range s.idleSessions() {
		fds = append(fds, sess.fd)
	}
	return fds, nil
}

// readable reads what a connection sent and parses what is complete.
func (s *Server) readable(sess *Session) {
	data, err := sess.conn.Read()
	switch {
	case err != nil:
		s.lostPeer(sess)
	case len(data) > 0:
		s.received(sess, data)
	}
}

// received parses what a read brought, after what is left of earlier
// reads, and keeps what is still incomplete.
func (s *Server) received(sess *Session, data []byte) {
	sess.touch()
	s.stats.RecvBytes += int64(len(data))
	if len(sess.in) > 0 {
		if cap(sess.in)-len(sess.in) < len(data) {
			// Doubled: a frame in many pieces is copied about once.
			sess.in = slices.Grow(sess.in, max(len(sess.in), len(data)))
		}
		sess.in = append(sess.in, data...)
		data = sess.in
	}
	used := s.consume(sess, data)
	if sess.ending || sess.closed {
		sess.in = nil
		return
	}
	rest := data[used:]
	if len(rest) > 0 && sess.waitingSince == 0 {
		sess.waitingSince = now()
	}
	switch {
	case len(rest) == 0:
		sess.in = nil
	case used == 0 && len(sess.in) > 0: // kept where it is
	case len(sess.in) > 0:
		sess.in = append(sess.in[:0], rest...)
	default:
		sess.in = bytes.Clone(rest)
	}
}

// consume parses requests or frames from data and returns the bytes used.
func (s *Server) consume(sess *Session, data []byte) int {
	used := 0
	for used < len(data) && !sess.ending && !sess.upgrading && !sess.closed {
		var n int
		if sess.ws != nil {
			n = s.consumeFrame(sess, data[used:])
		} else {
			n = s.consumeRequest(sess, data[used:])
		}
		if n == 0 {
			break
		}
		used += n
	}
	return used
}

// consumeFrame parses one WebSocket frame and acts on the message it
// completes.
func (s *Server) consumeFrame(sess *Session, data []byte) int {
	f, n, err := sess.ws.Next(data)
	if err == nil && n > 0 {
		var m wsframe.Message
		var ok bool
		if m, ok, err = sess.ws.Add(f); err == nil && ok {
			s.message(sess, m)
		}
	}
	if e, bad := err.(*wsframe.Error); bad {
		if e.Code == wsframe.CloseTooBig {
			s.log.Logf(swlog.Warning, "websocket message of session#%d exceeds package_max_length(%d)", sess.fd, s.opts.PackageMaxLength)
		}
		s.closeByPeer(sess, 0, "", wsframe.Append(nil, wsframe.OpClose, wsframe.FlagFin, wsframe.ClosePayload(e.Code, "")))
		return len(data)
	}
	return n
}

// message handles a complete message or control frame.
func (s *Server) message(sess *Session, m wsframe.Message) {
	deliver := func() {
		s.emit(sess, &Event{Type: EventMessage, Opcode: m.Opcode, Flags: m.Flags, Finish: true, Data: bytes.Clone(m.Payload)})
	}
	switch m.Opcode {
	case wsframe.OpPing:
		if s.opts.PingFrame {
			deliver() // the script answers it, if it wants
		} else {
			s.emitWrite(sess, wsframe.Append(nil, wsframe.OpPong, wsframe.FlagFin, m.Payload))
		}
	case wsframe.OpPong:
		if s.opts.PongFrame {
			deliver()
		}
	case wsframe.OpClose:
		if s.opts.CloseFrame {
			deliver()
		}
		// Swoole echoes the client's close payload, then closes.
		sess.closeErrno = closeFrameErrno
		sess.closeEcho = wsframe.Append(nil, wsframe.OpClose, wsframe.FlagFin, m.Payload)
		s.closeByPeer(sess, 0, "", sess.closeEcho)
	default:
		deliver()
	}
}

// send writes to a connection; a peer found gone is closed, an output
// overflow logged as Swoole logs it.
//
// Output is held, and written with the batch's when the loop polls again
// (writeHeld), while other events are ready to run, or when the callback
// has already written to another connection (a broadcast). Over loopback a
// write also runs the receiving side's TCP path and wakes the client,
// which may take the PHP thread's CPU: done once the ready work is, it
// costs the loop less (measured: +10 % msg/s at 50 connections, +20 % at
// 1,000), and a long list of writes can be shared with a second thread.
// The only event ready, writing to one connection (ping-pong, a stream of
// write() calls), is written at once.
func (s *Server) send(sess *Session, p []byte) error {
	if w := &s.worker; w.next < len(w.batch) || s.wrote != nil && s.wrote != sess {
		if held, full := s.reactor.Hold(&sess.conn, p); held {
			if full {
				s.writeHeld()
			}
			return nil
		}
	}
	err := sess.conn.Write(p)
	s.wrote = sess
	if len(p) > maxScratch && cap(s.scratch) > maxScratch {
		s.scratch = nil // a large message's buffer is not kept
	}
	return s.sent(sess, err)
}

// maxScratch bounds the encoding buffer the server keeps between
// messages.
const maxScratch = 1 << 20

// sent turns a write's error into the server's, ending a session whose
// peer is gone and logging an output overflow as Swoole logs it.
func (s *Server) sent(sess *Session, err error) error {
	switch {
	case err == nil:
		return nil
	case sess.conn.Closed() && !sess.closed:
		s.lostPeer(sess)
	case err == reactor.ErrOverflow:
		s.log.Logf(swlog.Warning, "Server::send_to_connection() (ERRNO %d): connection#%d output buffer overflow", ErrnoOutputBufferOverflow, sess.conn.FD())
		return errOutputOverflow
	}
	return errConnectionReset
}

// fileBody is a response body sent from a file, bytes off to end, with
// sendfile(2): it is never read into memory.
type fileBody struct {
	name     string
	off, end int64
}

func (b *fileBody) len() int {
	if b == nil {
		return 0
	}
	return int(b.end - b.off)
}

// readableFile checks that name is a file the server can open, for an
// answer before the head is sent; the connection opens it again when its
// turn comes (Conn.SendFile).
func readableFile(name string) (os.FileInfo, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err == nil && info.IsDir() {
		err = syscall.EISDIR
	}
	return info, err
}

// sendFile sends a file body after the connection's other output.
func (s *Server) sendFile(sess *Session, b *fileBody) error {
	return s.sent(sess, sess.conn.SendFile(b.name, b.off, b.end))
}

// writeHeld writes the output that send held, and ends the sessions
// whose socket the writes found broken.
func (s *Server) writeHeld() {
	for _, c := range s.reactor.FlushHeld() {
		sess := s.bySock[c.FD()]
		if sess == nil || &sess.conn != c {
			continue // forgotten already
		}
		if !sess.closed {
			s.lostPeer(sess)
		}
		s.forgetSock(sess)
	}
}

// sendFrame writes one frame.
func (s *Server) sendFrame(sess *Session, opcode, flags int, payload []byte) error {
	s.scratch = wsframe.Append(s.scratch[:0], opcode, flags, payload)
	return s.send(sess, s.scratch)
}

// lostPeer ends a connection the peer closed or broke.
func (s *Server) lostPeer(sess *Session) { s.closeByPeer(sess, 0, "", nil) }

// sweep runs once per loop: the heartbeat, requests that never complete,
// and connections whose closing output stalls past closeFlushTimeout.
func (s *Server) sweep() {
	t := time.Now()
	if t.Sub(s.lastRequestSweep) >= time.Second {
		s.lastRequestSweep = t
		deadline := now() - s.requestTimeout.Seconds()
		for _, sess := range s.bySock {
			if sess.ws == nil && !sess.ending && sess.waitingSince > 0 && sess.waitingSince < deadline {
				s.closeByPeer(sess, -1, "", nil)
			}
		}
	}
	if every := s.opts.HeartbeatCheckInterval; every > 0 && t.Sub(s.lastSweep) >= every {
		s.lastSweep = t
		for _, sess := range s.idleSessions() {
			s.closeByPeer(sess, 0, "", nil)
		}
	}
	if s.closing == 0 {
		return
	}
	s.closing = 0
	for _, sess := range s.bySock {
		if sess.conn.Draining() {
			if sess.conn.Expire(t) {
				delete(s.bySock, sess.conn.FD())
				continue
			}
			s.closing++
		}
	}
}
