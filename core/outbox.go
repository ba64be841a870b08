package core

import (
	"net"
	"sync"
	"syscall"
	"time"
)

// outbox is a connection's output. A write first tries the socket without
// blocking, from the calling thread (usually the PHP thread); what the
// socket cannot take is queued and written by a goroutine, so a slow or
// stalled client never blocks the PHP thread. The queue is capped
// (socket_buffer_size): past it a write fails, as Swoole's output buffer
// overflow does.
type outbox struct {
	mu       sync.Mutex
	conn     net.Conn
	raw      syscall.RawConn // nil when the conn has no fd (tests, TLS)
	queue    []byte
	flushing bool // a goroutine is writing queue
	closing  bool // close once queue is written
	closed   bool
	limit    int
	lastSend float64 // Unix time of the last complete write
}

func newOutbox(conn net.Conn, limit int) *outbox {
	o := &outbox{conn: conn, limit: limit}
	if sc, ok := conn.(syscall.Conn); ok {
		o.raw, _ = sc.SyscallConn()
	}
	return o
}

// write sends p or queues it; p may be reused once write returns.
func (o *outbox) write(p []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || o.closing {
		return errConnectionReset
	}
	if !o.flushing {
		n, err := o.tryWrite(p)
		if err != nil {
			return err
		}
		p = p[n:]
		if len(p) == 0 {
			o.lastSend = now()
			return nil
		}
	}
	if len(o.queue)+len(p) > o.limit {
		return errOutputOverflow
	}
	o.queue = append(o.queue, p...)
	if !o.flushing {
		o.flushing = true
		go o.flush()
	}
	return nil
}

// tryWrite writes what the socket takes now without waiting.
func (o *outbox) tryWrite(p []byte) (int, error) {
	if o.raw == nil {
		return 0, nil
	}
	var n int
	var werr error
	err := o.raw.Write(func(fd uintptr) bool {
		for len(p) > n {
			m, err := syscall.Write(int(fd), p[n:])
			if err == syscall.EINTR {
				continue
			}
			if err == syscall.EAGAIN {
				break
			}
			if err != nil {
				werr = err
				break
			}
			n += m
		}
		return true // never wait for writability here
	})
	if werr == nil {
		werr = err
	}
	if werr != nil {
		o.closed = true
		o.queue = nil
		o.conn.Close()
		return n, errConnectionReset
	}
	return n, nil
}

// flush writes the queue from its own goroutine until it is empty.
func (o *outbox) flush() {
	for {
		o.mu.Lock()
		if len(o.queue) == 0 || o.closed {
			o.flushing = false
			o.queue = nil
			if o.closing && !o.closed {
				o.closed = true
				o.conn.Close()
			}
			o.mu.Unlock()
			return
		}
		b := o.queue
		o.queue = nil
		closing := o.closing
		o.mu.Unlock()
		if closing {
			// A peer that never reads must not keep a closed session's
			// socket open for ever.
			o.conn.SetWriteDeadline(time.Now().Add(closeFlushTimeout))
		}
		if _, err := o.conn.Write(b); err != nil {
			o.mu.Lock()
			o.closed, o.queue, o.flushing = true, nil, false
			o.mu.Unlock()
			o.conn.Close()
			return
		}
		o.mu.Lock()
		o.lastSend = now()
		o.mu.Unlock()
	}
}

// closeConn closes the connection: at once if reset or nothing is queued,
// else once the queue is written.
func (o *outbox) closeConn(reset bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return
	}
	if reset || !o.flushing {
		o.closed, o.queue = true, nil
		o.conn.Close()
		return
	}
	o.closing = true
}

// queued returns the bytes waiting to be written.
func (o *outbox) queued() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.queue)
}

func (o *outbox) lastSendTime() float64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.lastSend
}

// closeFlushTimeout bounds how long a closed connection may take to drain.
const closeFlushTimeout = 5 * time.Second

func now() float64 { return float64(time.Now().UnixMicro()) / 1e6 }
