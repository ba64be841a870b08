package core

import (
	"bytes"
	"slices"
	"syscall"
	"time"

	"github.com/swoole-shim/swoole-shim/core/swlog"
	"github.com/swoole-shim/swoole-shim/core/wsframe"
)

// The reactor is the I/O driver: an epoll loop on the PHP thread itself,
// as Swoole's reactor runs in its worker. When the PHP thread asks for an
// event and none is ready, it waits in epoll_wait, then accepts, reads and
// parses on the spot and runs the callbacks: no thread hop between a
// socket and PHP. An idle connection costs a Session and nothing else: no
// goroutine, no buffer.

// readSize is the size of the PHP thread's read buffer, shared by all
// connections; a connection keeps only the bytes of an incomplete request
// or frame.
const readSize = 64 << 10

// poll waits for sockets, timers and the cross-thread queue until at least
// one event is ready, then returns with them in the worker's batch.
func (s *Server) poll() {
	w := &s.worker
	for len(w.batch) == 0 && s.state.Load() == stateRunning {
		s.writeHeld()
		s.wrote = nil // no callback is running
		timeout := -1
		if len(s.bySock) > 0 {
			timeout = 1000 // sweep's timeouts
		}
		events := s.poller.spin(spinFor)
		if len(events) == 0 {
			events = s.poller.wait(timeout)
		}
		for _, e := range events {
			fd := int(e.Fd)
			if l := s.listenerOf(fd); l != nil {
				s.accept(l)
				continue
			}
			switch fd {
			case s.queue.wake[0]:
				s.queue.drain()
				w.batch = s.queue.take(w.batch)
			default:
				sess := s.bySock[fd]
				if sess == nil {
					continue
				}
				switch {
				case e.Events&syscall.EPOLLOUT != 0 && !sess.out.flush():
					s.lostPeer(sess)
				case e.Events&(syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLHUP|syscall.EPOLLERR) != 0:
					s.readable(sess)
				}
				s.forgetSock(sess) // if its socket is closed now
			}
		}
		s.sweep()
	}
}

// spinFor is how long the PHP thread polls without blocking before it
// sleeps in epoll_wait: long enough to catch a ping-pong client's next
// message (measured: 1 connection goes from 12k to 21k messages/s), short
// enough to cost an idle server nothing.
const spinFor = 50 * time.Microsecond

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
		sock, sa, err := syscall.Accept4(l.fd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		switch err {
		case nil:
		case syscall.EINTR, syscall.ECONNABORTED:
			continue
		case syscall.EAGAIN:
			return
		default:
			s.log.Logf(swlog.Warning, "accept() failed, Error: %s[%d]", strerror(err.(syscall.Errno)), int(err.(syscall.Errno)))
			return
		}
		if max := s.opts.MaxConnection; max > 0 && len(s.bySock)-s.closing >= max {
			s.log.Logf(swlog.Warning, "Server::accept_connection() (ERRNO %d): Too many connections [now: %d]", ErrnoServerTooManySocket, max)
			syscall.Close(sock)
			continue
		}
		syscall.SetsockoptInt(sock, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
		if l.ssl {
			if sock, err = s.terminateTLS(sock); err != nil {
				s.log.Logf(swlog.Warning, "accept(): cannot set up TLS: %v", err)
				continue
			}
		}
		s.mu.Lock()
		s.lastFD++
		s.stats.AcceptCount++
		sess := &Session{fd: s.lastFD, sock: sock, listener: l, connectTime: now()}
		sess.waitingSince = sess.connectTime
		s.sessions[sess.fd] = sess
		s.mu.Unlock()
		sess.out = outbox{fd: sock, poll: s.poller, limit: s.opts.SocketBufferSize, sent: &s.sent}
		sess.remoteIP, sess.remotePort = peer(sa)
		sess.touch()
		s.bySock[sock] = sess
		if err := s.poller.add(sock, pollIn); err != nil {
			s.lostPeer(sess)
			continue
		}
		if s.handlers[EventConnect] {
			s.emit(sess, &Event{Type: EventConnect})
		}
	}
}

// readable reads what a connection sent and parses what is complete.
func (s *Server) readable(sess *Session) {
	n, err := rawRead(sess.sock, s.readBuf)
	switch {
	case err == syscall.EAGAIN || err == syscall.EINTR:
		return
	case err != nil || n == 0:
		s.lostPeer(sess)
		return
	}
	s.received(sess, s.readBuf[:n])
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
	if sess.ending || sess.closed.Load() {
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
	for used < len(data) && !sess.ending && !sess.upgrading && !sess.closed.Load() {
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
		sess.closeErrno.Store(closeFrameErrno)
		s.closeByPeer(sess, 0, "", wsframe.Append(nil, wsframe.OpClose, wsframe.FlagFin, m.Payload))
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
		if sess.out.hold(p) {
			// Listed once: the two halves of writeHeld must not share one.
			if !sess.out.listed {
				sess.out.listed = true
				if s.held = append(s.held, sess); len(s.held) == heldMax {
					s.writeHeld()
				}
			}
			return nil
		}
	}
	err := sess.out.write(p)
	s.wrote = sess
	switch {
	case sess.out.closed && !sess.closed.Load():
		s.lostPeer(sess)
	case err == errOutputOverflow:
		s.log.Logf(swlog.Warning, "Server::send_to_connection() (ERRNO %d): connection#%d output buffer overflow", ErrnoOutputBufferOverflow, sess.sock)
	}
	return err
}

// heldMax bounds how many connections' output send holds: a broadcast is
// written in slices of this many.
const heldMax = 1024

// writeHeld writes the output that send held. A long list is split with
// the writer thread, each connection written by one of the two.
func (s *Server) writeHeld() {
	held := s.held
	if len(held) >= parallelMin && s.state.Load() == stateRunning { // s.stop is still open
		if s.writer == nil {
			s.writer = newWriter(s.stop)
		}
		half := len(held) / 2
		s.writer.jobs <- held[:half]
		releaseAll(held[half:])
		<-s.writer.done
	} else {
		releaseAll(held)
	}
	for i, sess := range held {
		held[i] = nil
		sess.out.listed = false
		if sess.out.closed && !sess.closed.Load() {
			s.lostPeer(sess)
		}
		s.forgetSock(sess)
	}
	s.held = held[:0]
}

// parallelMin is the shortest held list worth the hand-off to the writer:
// waking it costs about what a few dozen loopback writes do.
const parallelMin = 64

func releaseAll(list []*Session) {
	for _, sess := range list {
		sess.out.release()
	}
}

// writer is a goroutine that writes held output while the PHP thread
// writes the rest and waits for it.
type writer struct {
	jobs chan []*Session
	done chan struct{}
}

func newWriter(stop <-chan struct{}) *writer {
	wr := &writer{jobs: make(chan []*Session), done: make(chan struct{})}
	go func() {
		for {
			select {
			case list := <-wr.jobs:
				releaseAll(list)
				wr.done <- struct{}{}
			case <-stop:
				return
			}
		}
	}()
	return wr
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
		idle := s.opts.HeartbeatIdleTime
		if idle <= 0 {
			idle = 2 * every
		}
		deadline := now() - idle.Seconds()
		for _, sess := range s.liveSessions() {
			if sess.lastRecvTime() < deadline {
				s.closeByPeer(sess, 0, "", nil)
			}
		}
	}
	if s.closing == 0 {
		return
	}
	s.closing = 0
	for _, sess := range s.bySock {
		if sess.out.closing && !sess.out.closed {
			if t.Sub(sess.out.since) > closeFlushTimeout {
				sess.out.shut()
				delete(s.bySock, sess.sock)
				continue
			}
			s.closing++
		}
	}
}
