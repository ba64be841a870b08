package reactor

import (
	"io"
	"time"
)

// Conn is an accepted socket and its output, used from the loop's thread
// only. A write goes to the socket at once, without blocking; what the
// socket cannot take is queued and written when the poller says the
// socket is writable again, so a slow or stalled peer never blocks the
// loop. The queue is capped: past it a write fails (ErrOverflow). While a
// quarter of the cap is queued the socket is not read: a peer that sends
// but does not read cannot make the server work for it (TCP pushes back
// instead).
//
// Output can also be held for a moment (Reactor.Hold), to be written with
// the other connections' by Reactor.FlushHeld.
type Conn struct {
	r        *Reactor
	fd       int
	held     []byte // not yet tried; never set while queue is
	listed   bool   // in the reactor's list of connections with output held
	queue    []byte
	limit    int
	closing  bool // close once the queue is written
	closed   bool
	paused   bool      // not read while its output backs up
	noRead   bool      // never read again: a close is on its way
	since    time.Time // when closing began
	lastSend time.Time // of the last complete write
}

// Attach sets c up for the accepted socket fd, its queued output capped
// at limit bytes, and watches its input.
func (r *Reactor) Attach(c *Conn, fd, limit int) error {
	*c = Conn{r: r, fd: fd, limit: limit}
	return r.add(fd, pollIn)
}

// FD is the OS socket; it keeps its number once closed.
func (c *Conn) FD() int { return c.fd }

// Closed reports whether the socket is closed.
func (c *Conn) Closed() bool { return c.closed }

// Queued is the number of bytes waiting for the socket.
func (c *Conn) Queued() int { return len(c.queue) }

// LastSend is when the socket last took a write whole (zero: never).
func (c *Conn) LastSend() time.Time { return c.lastSend }

// Read reads what arrived into the reactor's buffer, which all
// connections share: the bytes are valid until the next Read. It returns
// nothing if nothing arrived, io.EOF once the peer has closed.
func (c *Conn) Read() ([]byte, error) {
	n, err := rawRead(c.fd, c.r.buf)
	switch {
	case err == errAgain || err == errIntr:
		return nil, nil
	case err != nil:
		return nil, err
	case n == 0:
		return nil, io.EOF
	}
	return c.r.buf[:n], nil
}

// MaxHeldBytes bounds the output held per connection; more is written at
// once.
const MaxHeldBytes = 64 << 10

// hold keeps a copy of p for release, unless the connection is closing,
// has output queued or would hold too much; it reports whether it did.
// What it holds fits the queue's cap, so release cannot overflow.
func (c *Conn) hold(p []byte) bool {
	if c.closed || c.closing || len(c.queue) > 0 || len(c.held)+len(p) > min(MaxHeldBytes, c.limit) {
		return false
	}
	c.held = append(c.held, p...)
	return true
}

// release writes what hold kept.
func (c *Conn) release() error {
	p := c.held
	c.held = nil
	if len(p) == 0 {
		return nil
	}
	return c.Write(p)
}

// Write sends p, after any output held, or queues what the socket does
// not take; p may be reused once Write returns. A socket found broken is
// closed (ErrClosed).
func (c *Conn) Write(p []byte) error {
	if len(c.held) > 0 {
		if err := c.release(); err != nil {
			return err
		}
	}
	if c.closed || c.closing {
		return ErrClosed
	}
	if len(c.queue) == 0 {
		n, err := c.send(p)
		if err != nil {
			return err
		}
		p = p[n:]
		if len(p) == 0 {
			c.lastSend = time.Now()
			return nil
		}
		c.r.mod(c.fd, c.interest(true))
	}
	if len(c.queue)+len(p) > c.limit {
		return ErrOverflow
	}
	c.queue = append(c.queue, p...)
	if !c.paused && len(c.queue) >= c.limit/4 {
		c.paused = true
		c.r.mod(c.fd, pollOut)
	}
	return nil
}

// send writes what the socket takes now.
func (c *Conn) send(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := rawWrite(c.fd, p[n:])
		switch err {
		case nil:
			n += m
			c.r.sent.Add(int64(m))
			continue
		case errIntr:
			continue
		case errAgain:
			return n, nil
		}
		c.shut()
		return n, ErrClosed
	}
	return n, nil
}

// Flush writes the queue when the socket is writable; it reports false
// once the connection is closed.
func (c *Conn) Flush() bool {
	if c.closed {
		return false
	}
	n, err := c.send(c.queue)
	if err != nil {
		return false
	}
	c.queue = c.queue[n:]
	if c.paused && len(c.queue) < c.limit/8 && !c.closing {
		c.paused = false
		c.r.mod(c.fd, c.interest(true))
	}
	if len(c.queue) > 0 {
		return true
	}
	c.queue = nil
	c.lastSend = time.Now()
	if c.closing {
		c.shut()
		return false
	}
	c.paused = false
	c.r.mod(c.fd, c.interest(false))
	return true
}

// interest is what the poller watches: writability while output is
// queued, input unless reading is paused or over.
func (c *Conn) interest(out bool) uint32 {
	var ev uint32
	if out {
		ev = pollOut
	}
	if !c.paused && !c.noRead {
		ev |= pollIn
	}
	return ev
}

// StopReading stops watching the connection's input for good.
func (c *Conn) StopReading() {
	if !c.noRead && !c.closed {
		c.noRead = true
		c.r.mod(c.fd, c.interest(len(c.queue) > 0))
	}
}

// Close closes the connection: at once if reset or nothing is queued
// (held output is written first unless reset), else once the queue is
// written; Expire ends a drain that stalls.
func (c *Conn) Close(reset bool) {
	if !reset {
		c.release()
	}
	if c.closed {
		return
	}
	if reset || len(c.queue) == 0 {
		c.shut()
		return
	}
	c.closing, c.since = true, time.Now()
	c.r.mod(c.fd, pollOut)
}

// Draining reports whether the connection is closing and still writing
// its queue.
func (c *Conn) Draining() bool { return c.closing && !c.closed }

// Expire closes a draining connection whose queue has not been written
// closeFlushTimeout after its close began, and reports whether it did.
func (c *Conn) Expire(t time.Time) bool {
	if !c.Draining() || t.Sub(c.since) <= closeFlushTimeout {
		return false
	}
	c.shut()
	return true
}

// closeFlushTimeout bounds how long a closed connection may take to drain.
const closeFlushTimeout = 5 * time.Second

func (c *Conn) shut() {
	if !c.closed {
		c.closed, c.queue = true, nil
		c.r.del(c.fd)
		closeFD(c.fd)
		c.r.shuts.Add(1) // a descriptor is free: accepting may resume
	}
}
