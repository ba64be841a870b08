package core

import (
	"github.com/swoole-shim/swoole-shim/core/internal/reactor"
	"github.com/swoole-shim/swoole-shim/core/swlog"
)

// maxDatagram is the largest datagram receive takes whole: a Unix
// datagram cannot be larger than a socket's send buffer (212,992 bytes by
// default on Linux; larger messages travel another way, e.g. a file).
const maxDatagram = 256 << 10

// Watch makes the loop read the datagrams that arrive on socket fd, each
// an EventPipe with the datagram as Data. Swoole's processes talk over
// such sockets (sendMessage(), tasks); what a datagram means is the
// caller's: the core only carries it.
func (s *Server) Watch(fd int) error {
	if err := s.reactor.Watch(fd); err != nil {
		return ErrInvalid("cannot watch fd: " + err.Error())
	}
	if s.pipes == nil {
		s.pipes, s.pipeBuf = map[int]bool{}, make([]byte, maxDatagram)
	}
	s.pipes[fd] = true
	return nil
}

// receive turns the datagrams waiting on a watched socket into events.
func (s *Server) receive(fd int) {
	for {
		n, err := reactor.Receive(fd, s.pipeBuf)
		if err != nil {
			s.log.Logf(swlog.Warning, "pipe read failed on fd %d: %v", fd, err)
			return
		}
		if n < 0 {
			return
		}
		ev := &Event{Type: EventPipe, Data: append([]byte(nil), s.pipeBuf[:n]...)}
		s.worker.batch = append(s.worker.batch, ev)
	}
}
