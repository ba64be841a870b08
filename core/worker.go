package core

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/swoole-shim/swoole-shim/core/swlog"
)

// worker is the PHP thread's side of the server: the events it has taken
// from the queue, and those it has handed out and not yet finished.
//
// The thread pulls events with Next and runs each callback itself, so
// PHP's exceptions and exit() never cross a C frame. A call that closes a
// connection from inside a callback (Close, Disconnect, ResponseEnd on a
// connection that is not kept alive, ResponseClose) queues the close event
// as synchronous: the caller runs it before returning, with Next(false),
// which is how Swoole runs the close callback inside those calls. Start is
// the same loop for callers that pass a dispatch function (the C API).
type worker struct {
	batch    []*Event          // taken from the queue, not yet handed out
	next     int               // index of the next event in batch
	sync     []*Event          // close events of the last call, for Next(false)
	final    []*Event          // the shutdown sequence
	inFlight []flight          // handed out by Next, innermost last
	held     map[uint64]*Event // by Hold: finished by Release
	lastHeld uint64
	dispatch func(*Event)
	stopped  bool
}

type flight struct {
	ev   *Event
	sync bool
}

// Hold keeps the event Next last handed out from being finished by the
// next Next: its callback has suspended (a coroutine) and still needs it,
// its response above all. Release finishes it. Returns 0 if no event is
// in flight.
func (s *Server) Hold() uint64 {
	w := &s.worker
	n := len(w.inFlight)
	if n == 0 {
		return 0
	}
	if w.held == nil {
		w.held = map[uint64]*Event{}
	}
	w.lastHeld++
	w.held[w.lastHeld] = w.inFlight[n-1].ev
	w.inFlight[n-1].ev = nil
	return w.lastHeld
}

// Release finishes an event kept by Hold.
func (s *Server) Release(token uint64) error {
	ev := s.worker.held[token]
	if ev == nil {
		return ErrInvalid(fmt.Sprintf("no held event #%d", token))
	}
	delete(s.worker.held, token)
	s.finish(ev)
	return nil
}

// Begin starts a server whose events the caller takes with Next.
func (s *Server) Begin() error {
	if s.kind == KindWebSocket && !s.handlers[EventMessage] {
		return errRequireOnMsg
	}
	if s.kind == KindHTTP && !s.handlers[EventRequest] {
		return errRequireOnReq
	}
	if s.state.Load() != stateNew {
		return errStarted
	}
	if s.opts.TaskWorkerNum > 0 && !s.handlers[EventTask] {
		reason := fmt.Sprintf("Server::start_check() (ERRNO %d): require 'onTask' callback", ErrnoServerInvalidCallback)
		s.log.Logf(swlog.Warning, "%s", reason)
		return &Error{ErrnoServerInvalidCallback, "failed to start server. Error: " + reason}
	}
	if err := s.loadTLS(); err != nil {
		return err
	}
	if !s.state.CompareAndSwap(stateNew, stateRunning) {
		return errStarted
	}
	if s.opts.PidFile != "" {
		if err := os.WriteFile(s.opts.PidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
			s.log.Logf(swlog.Warning, "Server::start(): cannot write pid_file %s: %v", s.opts.PidFile, err)
		}
	}
	s.log.SetWorker(s.workerID)
	s.maxReq = s.requestLimit()
	s.startTime = time.Now().Unix()
	s.worker.batch = append(s.worker.batch, &Event{Type: EventStart}, &Event{Type: EventWorkerStart, WorkerID: s.workerID})
	s.lastSweep = time.Now()
	go s.shutdownOnSignal()
	return nil
}

// shutdownOnSignal makes SIGINT and SIGTERM shut the server down
// gracefully (close callbacks, WorkerStop, Shutdown, start() returns),
// where PHP's default would kill the process. A second signal while it
// stops changes nothing (a worker gets one from its manager and one more
// when a whole process group is signalled).
func (s *Server) shutdownOnSignal() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	for {
		select {
		case <-sigs:
			s.Shutdown()
		case <-s.stop:
			return
		}
	}
}

// Start runs the server until Shutdown, calling dispatch on this thread
// for every event that has a callback, synchronous close events included.
func (s *Server) Start(dispatch func(*Event)) error {
	if err := s.Begin(); err != nil {
		return err
	}
	s.worker.dispatch = dispatch
	for ev := s.Next(true); ev != nil; ev = s.Next(true) {
		dispatch(ev)
	}
	return nil
}

// Next finishes the event Next last returned at this level (block: the
// main loop; !block: the synchronous events of a call) and returns the
// next one that has a callback. With block it waits, and returns nil once
// the server has stopped; without, it returns nil when no synchronous
// event is left.
func (s *Server) Next(block bool) *Event {
	w := &s.worker
	if n := len(w.inFlight); n > 0 && w.inFlight[n-1].sync == !block {
		if ev := w.inFlight[n-1].ev; ev != nil {
			s.finish(ev)
		}
		w.inFlight = w.inFlight[:n-1]
	}
	for {
		var ev *Event
		switch {
		case len(w.sync) > 0:
			ev, w.sync = w.sync[0], w.sync[1:]
		case !block:
			return nil
		default:
			ev = s.take()
		}
		if ev == nil {
			return nil
		}
		if s.prepare(ev) {
			s.wrote = nil
			s.setBusy(true)
			w.inFlight = append(w.inFlight, flight{ev, !block})
			return ev
		}
		s.finish(ev)
	}
}

// take returns the next queued event, waiting for one; after Shutdown it
// returns the shutdown sequence, then nil.
func (s *Server) take() *Event {
	w := &s.worker
	for {
		if w.next < len(w.batch) {
			ev := w.batch[w.next]
			w.batch[w.next] = nil
			w.next++
			return ev
		}
		if s.state.Load() != stateRunning {
			return s.takeFinal()
		}
		w.batch, w.next = w.batch[:0], 0
		s.poll()
	}
}

// takeFinal returns, one by one: a close event for every open connection,
// WorkerStop, Shutdown; then nil.
func (s *Server) takeFinal() *Event {
	w := &s.worker
	if !w.stopped {
		w.stopped = true
		close(s.stop)
		s.reactor.Stop()
		s.TimerClearAll()
		w.final = append(w.final, &Event{Type: EventBeforeShutdown})
		for _, sess := range s.liveSessions() {
			if !sess.closed {
				sess.closed = true
				s.closeSocket(sess, false)
				w.final = append(w.final, &Event{Type: EventClose, FD: sess.fd, ReactorID: -1, sess: sess})
			}
		}
		w.final = append(w.final, &Event{Type: EventWorkerStop, WorkerID: s.workerID}, &Event{Type: EventShutdown})
	}
	if len(w.final) == 0 {
		// Coroutines still suspended at the end never resume.
		for token := range w.held {
			s.Release(token)
		}
		s.state.Store(stateStopped)
		if s.opts.PidFile != "" {
			os.Remove(s.opts.PidFile)
		}
		return nil
	}
	ev := w.final[0]
	w.final = w.final[1:]
	return ev
}

// prepare readies ev for its callback and reports whether it has one.
func (s *Server) prepare(ev *Event) bool {
	sess := ev.sess
	switch {
	case ev.Type == 0: // a wake-up
		return false
	case ev.Type == EventTimer:
		return s.takeTimer(ev)
	case ev.Type == eventWrite:
		if !sess.closed && s.send(sess, ev.Data) == nil && ev.body != nil {
			s.sendFile(sess, ev.body)
		}
		return false
	case ev.Type == EventClose:
		if ev.deferred {
			if sess.closed {
				ev.Type = 0 // the script closed it meanwhile: nothing to finish
				return false
			}
			sess.closed = true
			if ev.last != nil {
				sess.conn.Write(ev.last)
			}
			s.closeSocket(sess, false)
		}
		// The rule of reference §2: Close, or Disconnect for a connection
		// that is not an established WebSocket when one is set.
		if sess.status != StatusActive && s.handlers[EventDisconnect] {
			ev.Type = EventDisconnect
		}
	case sess != nil:
		if s.session(sess.fd) != sess {
			return false // closed by the server meanwhile: drop what it sent
		}
		sess.lastDispatch = sess.lastRecv
		switch ev.Type {
		case EventRequest, EventHandShake, EventBeforeHandshakeResponse:
			s.newResponse(ev)
		}
	}
	if !s.handlers[ev.Type] {
		return false
	}
	s.stats.DispatchCount++
	switch ev.Type {
	case EventMessage, EventRequest:
		s.stats.RequestCount++
	}
	return true
}

// finish does what follows an event's callback: a response the callback
// left open is sent, a closed session is forgotten.
func (s *Server) finish(ev *Event) {
	if s.maxReq > 0 && s.stats.RequestCount >= s.maxReq {
		s.maxReq = 0
		s.Shutdown() // max_request: the manager forks a new worker
	}
	switch ev.Type {
	case EventRequest, EventHandShake, EventBeforeHandshakeResponse:
		s.finishResponse(ev.Response)
		if ev.Request != nil && !ev.Request.opened {
			removeUploads(ev.Request.Uploads)
		}
	case EventOpen:
		if ev.Request != nil {
			removeUploads(ev.Request.Uploads)
		}
	case EventClose, EventDisconnect:
		s.forget(ev.sess)
		if ev.notice != "" {
			s.log.Logf(swlog.Notice, "%s", ev.notice)
		}
	}
	if ev.Release != nil {
		ev.Release()
	}
}

// forget drops a closed session after its close callback.
func (s *Server) forget(sess *Session) {
	s.stats.CloseCount++
	delete(s.sessions, sess.fd)
	for id, r := range s.responses {
		if r.sess == sess {
			delete(s.responses, id)
		}
	}
}

// Shutdown stops a running server: the loop closes every connection
// (running its close callback), runs WorkerStop and Shutdown, and ends.
func (s *Server) Shutdown() error {
	if !s.state.CompareAndSwap(stateRunning, stateStopping) {
		return errNotRunning
	}
	s.queue.push(&Event{}) // wakes the loop
	return nil
}

// closeByServer ends a session from the PHP thread. Its close callback
// runs before the caller returns: here when Start dispatches, else by the
// caller through Next(false).
func (s *Server) closeByServer(sess *Session, reset bool) bool {
	if sess.closed {
		return false
	}
	sess.closed = true
	s.closeSocket(sess, reset)
	w := &s.worker
	w.sync = append(w.sync, &Event{Type: EventClose, FD: sess.fd, ReactorID: -1, sess: sess})
	if w.dispatch != nil {
		for ev := s.Next(false); ev != nil; ev = s.Next(false) {
			w.dispatch(ev)
		}
	}
	return true
}
