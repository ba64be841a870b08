// Package reactor is the event loop's I/O, below the protocol: an epoll
// poller run by the thread that calls Poll, non-blocking sockets (listen,
// accept, read) and their output (Conn), and a pipe that wakes Poll from
// other goroutines. It knows nothing of HTTP, WebSocket or Swoole: the
// server above decides what to read, what to write and when to close.
//
// Everything runs on the loop's thread but Wake, which any goroutine may
// call, and the second half of a long FlushHeld, which a goroutine of the
// reactor's own writes while the loop's thread writes the first.
package reactor

import (
	"errors"
	"sync/atomic"
	"time"
)

// The errors of Conn.Write.
var (
	ErrClosed   = errors.New("reactor: connection closed")
	ErrOverflow = errors.New("reactor: output buffer overflow")
)

// readSize is the size of the read buffer shared by all connections; a
// connection keeps none of its own.
const readSize = 64 << 10

// Reactor is one event loop's poller and what it watches.
type Reactor struct {
	poller
	wake      [2]int // pipe: read end (in the poll set), write end
	listeners []int
	buf       []byte        // Conn.Read's
	held      []*Conn       // whose output Hold kept
	lost      []*Conn       // FlushHeld's answer
	writer    *writer       // writes half of a long held list
	stop      chan struct{} // ends the writer
	stopped   bool
	sent      atomic.Int64 // bytes written by all connections
	misses    int          // spins in a row that found nothing (Poll)

	// Accepting pauses while descriptors are out (PauseAccepting).
	paused       bool
	resumeAt     time.Time
	shuts        atomic.Int64 // connections closed, by either thread
	shutsAtPause int64
}

// New makes a reactor: its poller and its wake-up pipe.
func New() (*Reactor, error) {
	startRuntimePoller()
	r := &Reactor{wake: [2]int{-1, -1}, stop: make(chan struct{})}
	err := r.poller.open()
	if err == nil {
		err = pipe(&r.wake)
	}
	if err == nil {
		err = r.add(r.wake[0], pollRead)
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	r.buf = make([]byte, readSize)
	return r, nil
}

// Close ends the writer and closes the listening sockets, the poller and
// the pipe. The connections are the caller's to close first.
func (r *Reactor) Close() {
	r.Stop()
	for _, fd := range r.listeners {
		closeFD(fd)
	}
	r.listeners = nil
	r.poller.close()
	closeFD(r.wake[0])
	closeFD(r.wake[1])
}

// Stop ends accepting (the listening sockets leave the poll set) and the
// writer goroutine: from then on FlushHeld writes everything itself.
func (r *Reactor) Stop() {
	if r.stopped {
		return
	}
	r.stopped = true
	close(r.stop)
	for _, fd := range r.listeners {
		r.del(fd)
	}
}

// startRuntimePoller has the Go runtime make its own poller (an epoll and
// an eventfd) now, while descriptors are free. The runtime makes it the
// first time a goroutine waits on a timer, its memory scavenger's sleep
// included, and dies ("runtime: netpollinit failed") if descriptors have
// run out by then.
func startRuntimePoller() { time.AfterFunc(time.Hour, func() {}).Stop() }

// AcceptRetry is how long accepting pauses when descriptors run out,
// unless a connection closes first: Swoole's SW_ACCEPT_RETRY_TIME.
const AcceptRetry = time.Second

// PauseAccepting takes the listening sockets out of the poll set, as
// Accept does when descriptors run out: a listening socket stays ready
// while connections wait on it, so every poll would fail the same accept
// again. Poll puts them back once a connection has closed or AcceptRetry
// has passed; meanwhile new connections wait in the kernel's backlog.
func (r *Reactor) PauseAccepting() {
	if r.paused || r.stopped {
		return
	}
	r.paused, r.resumeAt, r.shutsAtPause = true, time.Now().Add(AcceptRetry), r.shuts.Load()
	for _, fd := range r.listeners {
		r.del(fd)
	}
}

// acceptPaused resumes accepting if a connection has closed since the
// pause or its time is up; else it returns msec shortened to the pause's
// end.
func (r *Reactor) acceptPaused(msec int) int {
	left := time.Until(r.resumeAt)
	if r.shuts.Load() == r.shutsAtPause && left > 0 {
		if wait := int((left + time.Millisecond - 1) / time.Millisecond); msec < 0 || wait < msec {
			return wait
		}
		return msec
	}
	r.paused = false
	if !r.stopped {
		for _, fd := range r.listeners {
			r.add(fd, pollRead)
		}
	}
	return msec
}

// Sent is the number of bytes all connections have written.
func (r *Reactor) Sent() int64 { return r.sent.Load() }

// Woken reports whether e is the wake-up pipe, which it then empties:
// Wake was called since the last time.
func (r *Reactor) Woken(e Ready) bool {
	if e.FD() != r.wake[0] {
		return false
	}
	r.drainWake()
	return true
}

// MaxHeldConns bounds how many connections' output Hold keeps: Hold
// reports the list full at this many, and a broadcast is written in
// slices of this many.
const MaxHeldConns = 1024

// Hold keeps a copy of p to be written by FlushHeld, unless c cannot take
// it (Conn.hold); it reports whether it did, and whether the list of
// connections with output held is full (FlushHeld is then due).
func (r *Reactor) Hold(c *Conn, p []byte) (held, full bool) {
	if !c.hold(p) {
		return false, false
	}
	// Listed once: the two halves of FlushHeld must not share one.
	if !c.listed {
		c.listed = true
		r.held = append(r.held, c)
	}
	return true, len(r.held) >= MaxHeldConns
}

// FlushHeld writes the output Hold kept and returns the connections of
// the list that are closed now (by a failed write, or before), in the
// order they were listed; the slice is valid until the next call. A long
// list is split with the writer goroutine, each connection written by one
// of the two.
func (r *Reactor) FlushHeld() []*Conn {
	clear(r.lost)
	r.lost = r.lost[:0]
	held := r.held
	if len(held) >= parallelMin && !r.stopped {
		if r.writer == nil {
			r.writer = newWriter(r.stop)
		}
		half := len(held) / 2
		r.writer.jobs <- held[:half]
		releaseAll(held[half:])
		<-r.writer.done
	} else {
		releaseAll(held)
	}
	for i, c := range held {
		held[i] = nil
		c.listed = false
		if c.closed {
			r.lost = append(r.lost, c)
		}
	}
	r.held = held[:0]
	return r.lost
}

// parallelMin is the shortest held list worth the hand-off to the writer:
// waking it costs about what a few dozen loopback writes do.
const parallelMin = 64

func releaseAll(list []*Conn) {
	for _, c := range list {
		c.release()
	}
}

// writer is a goroutine that writes held output while the loop's thread
// writes the rest and waits for it.
type writer struct {
	jobs chan []*Conn
	done chan struct{}
}

func newWriter(stop <-chan struct{}) *writer {
	wr := &writer{jobs: make(chan []*Conn), done: make(chan struct{})}
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
