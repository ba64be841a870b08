package reactor

import (
	"io"
	"os"
	"time"
)

// Conn is an accepted socket and its output, used from the loop's thread
// only. A write goes to the socket at once, without blocking; what the
// socket cannot take is queued and written when the poller says the
// socket is writable again, so a slow or stalled peer never blocks the
// loop. The queue is capped as Swoole caps it: a write is taken whole
// while less than the cap is queued, and refused (ErrOverflow) once the
// cap is reached, so a write is never cut and the queue never holds more
// than the cap plus one write. While a quarter of the cap is queued, or a
// file is being sent, the socket is not read: a peer that sends but does
// not read cannot make the server work for it (TCP pushes back instead).
//
// A file (SendFile) is output too, sent from the page cache with
// sendfile(2) as the socket takes it: it costs no memory.
//
// Output can also be held for a moment (Reactor.Hold), to be written with
// the other connections' by Reactor.FlushHeld.
type Conn struct {
	r        *Reactor
	fd       int
	held     []byte // not yet tried; never set while queue is
	listed   bool   // in the reactor's list of connections with output held
	queue    []byte
	files    []fileOut // after queue, in order
	limit    int
	closing  bool // close once the queue is written
	closed   bool
	paused   bool      // not read while its output backs up
	noRead   bool      // never read again: a close is on its way
	since    time.Time // when closing began, or last made progress
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
func (c *Conn) Queued() int {
	n := len(c.queue)
	for _, o := range c.files {
		n += len(o.after)
	}
	return n
}

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
// has output queued (bytes or a file) or would hold too much; it reports
// whether it did. Nothing is queued, so release cannot overflow.
func (c *Conn) hold(p []byte) bool {
	if c.closed || c.closing || len(c.queue) > 0 || len(c.files) > 0 || len(c.held)+len(p) > min(MaxHeldBytes, c.limit) {
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
// not take; p may be reused once Write returns. It fails without sending
// a byte of p once the cap is queued (ErrOverflow). A socket found broken
// is closed (ErrClosed).
func (c *Conn) Write(p []byte) error {
	if len(c.held) > 0 {
		if err := c.release(); err != nil {
			return err
		}
	}
	if c.closed || c.closing {
		return ErrClosed
	}
	if n := len(c.files); n > 0 {
		// Behind a file: kept in its tail.
		if c.Queued() >= c.limit {
			return ErrOverflow
		}
		c.files[n-1].after = append(c.files[n-1].after, p...)
		return nil
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
	} else if len(c.queue) >= c.limit {
		return ErrOverflow
	}
	c.queue = append(c.queue, p...)
	if !c.paused && len(c.queue) >= c.limit/4 {
		c.pause()
	}
	return nil
}

// pause stops reading until the output drains.
func (c *Conn) pause() {
	c.paused = true
	c.r.mod(c.fd, pollOut)
}

// fileOut is a file to send, and the bytes written after it.
type fileOut struct {
	name     string
	f        *os.File // opened when its turn comes
	off, end int64
	after    []byte
}

// SendFile sends the bytes of the file name from off to end (exclusive),
// after the output before them. Only what the socket takes is read, a
// few pages at a time, so a peer that reads slowly or not at all costs
// nothing; the file is opened when its turn comes and closed once sent,
// so a connection holds one file open however many responses are
// pipelined. A file that cannot be opened then, or is a symbolic link by
// then (swapped after the server checked the path), or ends early closes
// the connection: the head announcing its length is gone already.
func (c *Conn) SendFile(name string, off, end int64) error {
	if len(c.held) > 0 {
		if err := c.release(); err != nil {
			return err
		}
	}
	if c.closed || c.closing {
		return ErrClosed
	}
	c.files = append(c.files, fileOut{name: name, off: off, end: end})
	if !c.Flush() {
		return ErrClosed
	}
	return nil
}

// sendFileMax bounds what one Flush sends of a file, so that a fast reader
// of a large file takes its turn with the loop's other work.
const sendFileMax = 4 << 20

// sendFile sends what the socket takes of the first file, and reports
// whether the file is done.
func (c *Conn) sendFile() (bool, error) {
	o := &c.files[0]
	if o.f == nil {
		f, err := openFile(o.name)
		if err != nil {
			c.shut()
			return false, ErrClosed
		}
		o.f = f
	}
	budget := int64(sendFileMax)
	for o.off < o.end && budget > 0 {
		m, err := sendfile(c.fd, o.f, &o.off, min(o.end-o.off, budget))
		switch {
		case err == errIntr:
			continue
		case err == errAgain:
			return false, nil
		case err != nil || m == 0: // the file shrank
			c.shut()
			return false, ErrClosed
		}
		budget -= int64(m)
		c.r.sent.Add(int64(m))
	}
	if o.off < o.end {
		return false, nil
	}
	o.f.Close()
	c.queue = append(c.queue, o.after...)
	c.files[0] = fileOut{}
	c.files = c.files[1:]
	if len(c.files) == 0 {
		c.files = nil
	}
	return true, nil
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

// Flush writes the queue, then the files, when the socket is writable; it
// reports false once the connection is closed.
func (c *Conn) Flush() bool {
	if c.closed {
		return false
	}
	moved := false
	for {
		n, err := c.send(c.queue)
		if err != nil {
			return false
		}
		moved = moved || n > 0
		c.queue = c.queue[n:]
		if len(c.queue) > 0 || len(c.files) == 0 {
			break
		}
		c.queue = nil
		done, err := c.sendFile()
		if err != nil {
			return false
		}
		moved = true
		if !done {
			break
		}
	}
	if moved && c.closing {
		c.since = time.Now() // the drain goes on: Expire waits
	}
	switch {
	case len(c.files) > 0:
		if !c.paused {
			c.pause()
		}
		return true
	case len(c.queue) > 0:
		if c.paused && len(c.queue) < c.limit/8 && !c.closing {
			c.paused = false
			c.r.mod(c.fd, c.interest(true))
		}
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
		c.r.mod(c.fd, c.interest(len(c.queue) > 0 || len(c.files) > 0))
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
	if reset || len(c.queue) == 0 && len(c.files) == 0 {
		c.shut()
		return
	}
	c.closing, c.since = true, time.Now()
	c.r.mod(c.fd, pollOut)
}

// Draining reports whether the connection is closing and still writing
// its queue.
func (c *Conn) Draining() bool { return c.closing && !c.closed }

// Expire closes a draining connection whose output has not moved for
// closeFlushTimeout, and reports whether it did.
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
		for _, o := range c.files {
			if o.f != nil {
				o.f.Close()
			}
		}
		c.files = nil
		c.r.del(c.fd)
		closeFD(c.fd)
		c.r.shuts.Add(1) // a descriptor is free: accepting may resume
	}
}
