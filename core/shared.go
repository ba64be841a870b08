package core

import (
	"math/rand/v2"
	"sync/atomic"
	"unsafe"
)

// Shared is what the workers of one server share (part of Swoole's gs):
// session ids are global, and count($server->connections) counts every
// worker's connections. A server alone keeps its own; the workers of a
// server with several map one Shared in memory they all see (the process
// that forks them maps it) and change it with atomic instructions.
//
// Each worker counts its own connections in its slot, so that the manager
// can zero the slot of a worker that died without closing them.
type Shared struct {
	LastFD  atomic.Int64 // the last session id given
	Workers atomic.Int64 // how many slots of Conns are in use
	_       [6]int64
	Conns   [MaxWorkers]atomic.Int64 // open connections, by worker id
	Status  [MaxWorkers]struct {     // WorkerBusy while a callback runs, else WorkerIdle
		atomic.Int32
		_ [60]byte // a cache line each: workers write their own often
	}
}

// Worker statuses, as Swoole's SWOOLE_WORKER_* constants.
const (
	WorkerBusy = 1
	WorkerIdle = 2
)

// setBusy records whether this worker runs a callback, for the other
// processes (getWorkerStatus(), stats()); a store only when it changes.
func (s *Server) setBusy(busy bool) {
	if busy == s.busy {
		return
	}
	s.busy = busy
	st := int32(WorkerIdle)
	if busy {
		st = WorkerBusy
	}
	s.shared.Status[s.workerID].Store(st)
}

// MaxWorkers bounds the workers that can share one Shared.
const MaxWorkers = 1024

// connections counts every worker's open connections.
func (sh *Shared) connections() int64 {
	var n int64
	for i := range min(max(sh.Workers.Load(), 1), MaxWorkers) {
		n += sh.Conns[i].Load()
	}
	return n
}

// SharedAt views memory mapped by the caller, at least SharedSize bytes
// and 8-aligned, as a Shared. The memory is not Go's: the caller keeps it
// mapped for as long as the server lives.
func SharedAt(p unsafe.Pointer) *Shared { return (*Shared)(p) }

// SharedSize is the size of a Shared in memory.
const SharedSize = int(unsafe.Sizeof(Shared{}))

// AsWorker makes the server worker id of several that share sh: its
// session ids and connection count are sh's, its log lines and
// WorkerStart/WorkerStop carry the id.
func (s *Server) AsWorker(id int, sh *Shared) error {
	if s.state.Load() != stateNew {
		return errStarted
	}
	if id < 0 || id >= MaxWorkers || sh == nil {
		return ErrInvalid("invalid worker id or shared memory")
	}
	s.workerID, s.shared, s.conns = id, sh, &sh.Conns[id]
	sh.Status[id].Store(WorkerIdle)
	s.asWorker = true
	for n := sh.Workers.Load(); n <= int64(id) && !sh.Workers.CompareAndSwap(n, int64(id)+1); n = sh.Workers.Load() {
	}
	return nil
}

// requestLimit is the number of requests after which a worker of several
// stops, to be replaced (max_request, plus Swoole's random grace of up to
// max_request_grace more, max_request / 2 by default); 0: no limit.
func (s *Server) requestLimit() int64 {
	o := s.opts
	if !s.asWorker || o.MaxRequest <= 0 {
		return 0
	}
	grace := o.MaxRequestGrace
	if grace < 0 {
		grace = o.MaxRequest / 2
	}
	if grace > 0 {
		return o.MaxRequest + 1 + rand.Int64N(grace)
	}
	return o.MaxRequest
}
