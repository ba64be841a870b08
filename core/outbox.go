package core

import (
	"sync/atomic"
	"syscall"
	"time"
)

// outbox is a connection's output, written from the PHP thread only. A
// write goes to the socket at once, without blocking; what the socket
// cannot take is queued and written when epoll says the socket is
// writable again, so a slow or stalled client never blocks the PHP thread.
// The queue is capped (socket_buffer_size): past it a write fails, as
// Swoole's output buffer overflow does. While a quarter of the cap is
// queued the connection is not read: a client that sends but does not
// read cannot make the server work for it (TCP pushes back instead).
//
// Output can also be held for a moment (hold), to be written by release
// after the other events that were ready have run: see Server.send.
type outbox struct {
	fd       int
	poll     *poller
	held     []byte // not yet tried; never set while queue is
	listed   bool   // in the server's list of connections with output held
	queue    []byte
	limit    int
	closing  bool // close once the queue is written
	closed   bool
	paused   bool          // not read while its output backs up
	noRead   bool          // never read again: a close is on its way
	since    time.Time     // when closing began
	lastSend float64       // Unix time of the last complete write
	sent     *atomic.Int64 // the server's count of bytes written
}

// holdMax bounds the output held per connection; more is written at once.
const holdMax = 64 << 10

// hold keeps a copy of p for release, unless the connection is closing,
// has output queued or would hold too much; it reports whether it did.
// What it holds fits the queue's cap, so release cannot overflow.
func (o *outbox) hold(p []byte) bool {
	if o.closed || o.closing || len(o.queue) > 0 || len(o.held)+len(p) > min(holdMax, o.limit) {
		return false
	}
	o.held = append(o.held, p...)
	return true
}

// release writes what hold kept.
func (o *outbox) release() error {
	p := o.held
	o.held = nil
	if len(p) == 0 {
		return nil
	}
	return o.write(p)
}

// write sends p or queues what the socket does not take; p may be reused
// once write returns.
func (o *outbox) write(p []byte) error {
	if len(o.held) > 0 {
		if err := o.release(); err != nil {
			return err
		}
	}
	if o.closed || o.closing {
		return errConnectionReset
	}
	if len(o.queue) == 0 {
		n, err := o.send(p)
		if err != nil {
			return err
		}
		p = p[n:]
		if len(p) == 0 {
			o.lastSend = now()
			return nil
		}
		o.poll.mod(o.fd, o.interest(true))
	}
	if len(o.queue)+len(p) > o.limit {
		return errOutputOverflow
	}
	o.queue = append(o.queue, p...)
	if !o.paused && len(o.queue) >= o.limit/4 {
		o.paused = true
		o.poll.mod(o.fd, pollOut)
	}
	return nil
}

// send writes what the socket takes now.
func (o *outbox) send(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := rawWrite(o.fd, p[n:])
		switch err {
		case nil:
			n += m
			o.sent.Add(int64(m))
			continue
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return n, nil
		}
		o.shut()
		return n, errConnectionReset
	}
	return n, nil
}

// flush writes the queue when the socket is writable; it reports false
// once the connection is closed.
func (o *outbox) flush() bool {
	if o.closed {
		return false
	}
	n, err := o.send(o.queue)
	if err != nil {
		return false
	}
	o.queue = o.queue[n:]
	if o.paused && len(o.queue) < o.limit/8 && !o.closing {
		o.paused = false
		o.poll.mod(o.fd, o.interest(true))
	}
	if len(o.queue) > 0 {
		return true
	}
	o.queue = nil
	o.lastSend = now()
	if o.closing {
		o.shut()
		return false
	}
	o.paused = false
	o.poll.mod(o.fd, o.interest(false))
	return true
}

// interest is what epoll watches: writability while output is queued,
// input unless reading is paused or over.
func (o *outbox) interest(out bool) uint32 {
	var ev uint32
	if out {
		ev = pollOut
	}
	if !o.paused && !o.noRead {
		ev |= pollIn
	}
	return ev
}

// stopReading stops watching the connection's input for good.
func (o *outbox) stopReading() {
	if !o.noRead && !o.closed {
		o.noRead = true
		o.poll.mod(o.fd, o.interest(len(o.queue) > 0))
	}
}

// closeConn closes the connection: at once if reset or nothing is queued,
// else once the queue is written (or closeFlushTimeout has passed).
func (o *outbox) closeConn(reset bool) {
	if !reset {
		o.release()
	}
	if o.closed {
		return
	}
	if reset || len(o.queue) == 0 {
		o.shut()
		return
	}
	o.closing, o.since = true, time.Now()
	o.poll.mod(o.fd, pollOut)
}

func (o *outbox) shut() {
	if !o.closed {
		o.closed, o.queue = true, nil
		o.poll.del(o.fd)
		syscall.Close(o.fd)
	}
}

// closeFlushTimeout bounds how long a closed connection may take to drain.
const closeFlushTimeout = 5 * time.Second

func now() float64 { return float64(time.Now().UnixMicro()) / 1e6 }
