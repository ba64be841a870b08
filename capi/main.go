// Command capi is libswoole_shim, the C API of the core, built with
// -buildmode=c-shared. It owns the handles given to C and converts
// arguments; the behaviour is core's. See swoole_shim.h.
//
// Handles are github.com/mattn/go-pointer pointers rather than
// runtime/cgo.Handle values: they are real C pointers (the opaque
// swoole_server* of the header) and an unknown one is looked up as nil
// instead of panicking, so C API misuse returns an error.
package main

/*
// See stackbound.c.
#cgo LDFLAGS: -Wl,--wrap=pthread_getattr_np
#define SWOOLE_SHIM_NO_PROTOTYPES
#include <stdlib.h>
#include <string.h>
#include "swoole_shim.h"

// cgo cannot call a C function pointer directly.
static inline void call_callback(swoole_callback cb, swoole_server *srv, const swoole_event *ev, void *user) {
	cb(srv, ev, user);
}
*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	pointer "github.com/mattn/go-pointer"
	"github.com/swoole-shim/swoole-shim/core"
	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/mimetype"
	"github.com/swoole-shim/swoole-shim/core/wsframe"
)

func main() {}

// server is what a swoole_server* handle stands for.
type server struct {
	core      *core.Server
	self      *C.swoole_server
	callbacks map[core.EventType]callback
}

type callback struct {
	fn   C.swoole_callback
	user unsafe.Pointer
}

var lastError struct {
	sync.Mutex
	code int
	msg  string
}

func setError(err error) {
	lastError.Lock()
	lastError.code, lastError.msg = core.Code(err), err.Error()
	lastError.Unlock()
}

// A handleUse says what call does with an export's server handle.
type handleUse bool

const (
	needServer  handleUse = true  // NULL, unknown or freed: SWOOLE_SHIM_EBADHANDLE
	maybeServer handleUse = false // NULL is no server (server_log, and the exports without a handle)
)

// void is the result of exports that return nothing.
type void = struct{}

// call runs the body of every export. It looks up the server of h, runs fn
// with it (nil for a NULL h with maybeServer), and turns a bad handle, fn's
// error or a Go panic into the C convention: the export returns fail and
// the last error is set. A panic must not cross into C, where it would
// abort the process; the call fails with SWOOLE_SHIM_EINVAL instead. fn
// returns fail with a nil error for a failure that sets no error.
//
// fn does not escape (go build -gcflags=-m), so the closure each export
// passes lives on its stack: no allocation on the hot paths.
func call[T any](h *C.swoole_server, use handleUse, fail T, fn func(*server) (T, error)) (ret T) {
	defer func() {
		if r := recover(); r != nil {
			setError(core.ErrInvalid(fmt.Sprintf("internal error: %v", r)))
			ret = fail
		}
	}()
	var s *server
	if h != nil || use == needServer {
		if s, _ = pointer.Restore(unsafe.Pointer(h)).(*server); s == nil {
			setError(core.ErrBadHandle)
			return fail
		}
	}
	ret, err := fn(s)
	if err != nil {
		setError(err)
		return fail
	}
	return ret
}

// warned reports a call that did its work with warnings (core.Warnings)
// as success: their count, their text, one a line, in the last error.
func warned(err error) (C.int, error) {
	var w core.Warnings
	if errors.As(err, &w) {
		setError(&core.Error{Code: core.ErrnoPHPRuntimeNotice, Msg: w.Error()})
		return C.int(len(w)), nil
	}
	return 0, err
}

func errNull(what string) error { return core.ErrInvalid(what + " is NULL") }

func errNoSession(fd C.int64_t) error {
	return &core.Error{Code: core.ErrnoSessionNotExist, Msg: fmt.Sprintf("session#%d does not exists", int64(fd))}
}

func errNoTimer(id C.int64_t) error {
	return core.ErrInvalid(fmt.Sprintf("timer#%d does not exist", int64(id)))
}

func goString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

func goStringN(p *C.char, n C.size_t) string {
	if p == nil {
		return ""
	}
	return C.GoStringN(p, C.int(n))
}

// goBytes views C memory as a slice for the length of a call; the core
// copies what it keeps.
func goBytes(p *C.uint8_t, n C.size_t) []byte {
	if p == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

func boolInt(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

//export swoole_last_error
func swoole_last_error() C.int {
	return call(nil, maybeServer, -1, func(*server) (C.int, error) {
		lastError.Lock()
		defer lastError.Unlock()
		return C.int(lastError.code), nil
	})
}

//export swoole_set_last_error
func swoole_set_last_error(code C.int) {
	call(nil, maybeServer, void{}, func(*server) (void, error) {
		lastError.Lock()
		lastError.code, lastError.msg = int(code), ""
		lastError.Unlock()
		return void{}, nil
	})
}

//export swoole_last_error_msg
func swoole_last_error_msg(buf *C.char, capacity C.size_t) C.size_t {
	return call(nil, maybeServer, 0, func(*server) (C.size_t, error) {
		lastError.Lock()
		msg := lastError.msg
		lastError.Unlock()
		if buf != nil && capacity > 0 {
			n := min(len(msg), int(capacity)-1)
			dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(capacity))
			copy(dst, msg[:n])
			dst[n] = 0
		}
		return C.size_t(len(msg)), nil
	})
}

//export server_new
func server_new(host *C.char, port, mode, sockType, kind C.int) *C.swoole_server {
	return call(nil, maybeServer, nil, func(*server) (*C.swoole_server, error) {
		if host == nil {
			return nil, errNull("host")
		}
		return newServer(sockType, kind, func(k core.Kind) (*core.Server, error) {
			return core.New(C.GoString(host), int(port), k)
		})
	})
}

//export server_new_fd
func server_new_fd(fd C.int, host *C.char, sockType, kind C.int) *C.swoole_server {
	return call(nil, maybeServer, nil, func(*server) (*C.swoole_server, error) {
		return newServer(sockType, kind, func(k core.Kind) (*core.Server, error) {
			return core.NewFromFD(int(fd), goString(host), k)
		})
	})
}

// newServer makes the server of server_new() and server_new_fd() and its handle.
func newServer(sockType, kind C.int, make func(core.Kind) (*core.Server, error)) (*C.swoole_server, error) {
	if kind != C.SWOOLE_SHIM_HTTP && kind != C.SWOOLE_SHIM_WEBSOCKET {
		return nil, core.ErrInvalid("kind must be SWOOLE_SHIM_HTTP or SWOOLE_SHIM_WEBSOCKET")
	}
	cs, err := make(core.Kind(kind))
	if err != nil {
		return nil, err
	}
	if sockType&C.SWOOLE_SHIM_SSL != 0 {
		cs.EnableTLS()
	}
	s := &server{core: cs, callbacks: map[core.EventType]callback{}}
	s.self = (*C.swoole_server)(pointer.Save(s))
	return s.self, nil
}

//export server_free
func server_free(h *C.swoole_server) {
	call(h, needServer, void{}, func(s *server) (void, error) {
		s.core.Free()
		pointer.Unref(unsafe.Pointer(h))
		return void{}, nil
	})
}

//export server_port
func server_port(h *C.swoole_server) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return C.int(s.core.Port()), nil
	})
}

//export server_listen
func server_listen(h *C.swoole_server, host *C.char, port, sockType C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if host == nil {
			return 0, errNull("host")
		}
		l, err := s.core.Listen(C.GoString(host), int(port), sockType&C.SWOOLE_SHIM_SSL != 0)
		if err != nil {
			return 0, err
		}
		return C.int(l.Port()), nil
	})
}

//export server_listen_fd
func server_listen_fd(h *C.swoole_server, fd C.int, host *C.char, sockType C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		l, err := s.core.ListenFD(int(fd), goString(host), sockType&C.SWOOLE_SHIM_SSL != 0)
		if err != nil {
			return 0, err
		}
		return C.int(l.Port()), nil
	})
}

//export server_owners
func server_owners(h *C.swoole_server, table unsafe.Pointer, slots C.size_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if table == nil {
			return 0, errNull("table")
		}
		return 0, s.core.ShareOwners(core.OwnersAt(table, int(slots)))
	})
}

//export server_watch
func server_watch(h *C.swoole_server, fd C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return 0, s.core.Watch(int(fd))
	})
}

// The header's layout of the shared memory is the core's.
const (
	_ = uint(C.SWOOLE_SHIM_SHARED_SIZE - core.SharedSize)
	_ = uint(core.SharedSize - C.SWOOLE_SHIM_SHARED_SIZE)
	_ = uint(C.SWOOLE_SHIM_SHARED_CONNS - unsafe.Offsetof(core.Shared{}.Conns))
	_ = uint(unsafe.Offsetof(core.Shared{}.Conns) - C.SWOOLE_SHIM_SHARED_CONNS)
	_ = uint(C.SWOOLE_SHIM_SHARED_STATUS - unsafe.Offsetof(core.Shared{}.Status))
	_ = uint(unsafe.Offsetof(core.Shared{}.Status) - C.SWOOLE_SHIM_SHARED_STATUS)
)

//export server_worker
func server_worker(h *C.swoole_server, workerID C.int, shared unsafe.Pointer) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if shared == nil {
			return 0, errNull("shared")
		}
		return 0, s.core.AsWorker(int(workerID), core.SharedAt(shared))
	})
}

//export server_set
func server_set(h *C.swoole_server, key, value *C.char) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if key == nil {
			return 0, errNull("key")
		}
		return 0, s.core.Set(C.GoString(key), goString(value))
	})
}

//export server_set_max_input_vars
func server_set_max_input_vars(h *C.swoole_server, max C.int64_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		s.core.SetMaxInputVars(int(max))
		return 0, nil
	})
}

//export on
func on(h *C.swoole_server, event *C.char, cb C.swoole_callback, user unsafe.Pointer) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if event == nil {
			return 0, errNull("event name")
		}
		name := C.GoString(event)
		typ := core.EventOf(name)
		if strings.EqualFold(name, "timer") {
			typ = core.EventTimer // C only: Swoole gives timers their own callbacks
		} else if err := s.core.On(name, cb != nil); err != nil {
			return 0, err
		}
		if typ != 0 {
			if cb == nil {
				delete(s.callbacks, typ)
			} else {
				s.callbacks[typ] = callback{cb, user}
			}
		}
		return 0, nil
	})
}

//export start
func start(h *C.swoole_server) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return 0, s.core.Start(s.dispatch)
	})
}

// dispatch calls the C callback of ev on the thread inside start().
func (s *server) dispatch(ev *core.Event) {
	cb, ok := s.callbacks[ev.Type]
	if !ok {
		return
	}
	var pin runtime.Pinner
	defer pin.Unpin()
	cev := &C.swoole_event{}
	pin.Pin(cev)
	fillEvent(cev, ev, &pin)
	C.call_callback(cb.fn, s.self, cev, cb.user)
}

//export server_handle
func server_handle(h *C.swoole_server, event *C.char, enabled C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if event == nil {
			return 0, errNull("event name")
		}
		return 0, s.core.On(C.GoString(event), enabled != 0)
	})
}

//export server_begin
func server_begin(h *C.swoole_server) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return 0, s.core.Begin()
	})
}

//export server_next
func server_next(h *C.swoole_server, out *C.swoole_event, block C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if out == nil {
			return 0, errNull("event")
		}
		ev := s.core.Next(block != 0)
		if ev == nil {
			return 0, nil
		}
		// The Go memory the event points to stays pinned until the core
		// finishes the event, at the next server_next() of this level.
		pin := new(runtime.Pinner)
		ev.Release = pin.Unpin
		*out = C.swoole_event{}
		fillEvent(out, ev, pin)
		return 1, nil
	})
}

// fillEvent copies ev into cev, pinning the Go memory cev points to.
func fillEvent(cev *C.swoole_event, ev *core.Event, pin *runtime.Pinner) {
	cev._type = C.int32_t(ev.Type)
	cev.reactor_id = C.int32_t(ev.ReactorID)
	cev.fd = C.int64_t(ev.FD)
	cev.worker_id = C.int32_t(ev.WorkerID)
	cev.opcode = C.int32_t(ev.Opcode)
	cev.flags = C.int32_t(ev.Flags)
	cev.response = C.uint64_t(ev.Response)
	cev.timer_id = C.int64_t(ev.TimerID)
	cev.server_port = C.int32_t(ev.ServerPort)
	if ev.Finish {
		cev.finish = 1
	}
	cev.data, cev.data_len = pinBytes[C.uint8_t](pin, ev.Data)
	if r := ev.Request; r != nil {
		cev.method, cev.method_len = pinString(pin, r.Method)
		cev.path, cev.path_len = pinString(pin, r.Path)
		cev.query, cev.query_len = pinString(pin, r.Query)
		cev.protocol, cev.protocol_len = pinString(pin, r.Proto)
		cev.headers, cev.headers_len = pinBytes[C.char](pin, r.Headers)
		cev.php, cev.php_len = pinBytes[C.char](pin, r.PHP)
		cev.raw, cev.raw_len = pinBytes[C.uint8_t](pin, r.Raw)
	}
}

func pinString(pin *runtime.Pinner, v string) (*C.char, C.size_t) {
	if v == "" {
		return nil, 0
	}
	p := unsafe.StringData(v)
	pin.Pin(p)
	return (*C.char)(unsafe.Pointer(p)), C.size_t(len(v))
}

func pinBytes[T C.char | C.uint8_t](pin *runtime.Pinner, v []byte) (*T, C.size_t) {
	if len(v) == 0 {
		return nil, 0
	}
	pin.Pin(&v[0])
	return (*T)(unsafe.Pointer(&v[0])), C.size_t(len(v))
}

//export server_hold
func server_hold(h *C.swoole_server) C.int64_t {
	return call(h, needServer, -1, func(s *server) (C.int64_t, error) {
		return C.int64_t(s.core.Hold()), nil
	})
}

//export server_release
func server_release(h *C.swoole_server, token C.int64_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return 0, s.core.Release(uint64(token))
	})
}

//export server_shutdown
func server_shutdown(h *C.swoole_server) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return 0, s.core.Shutdown()
	})
}

//export push
func push(h *C.swoole_server, fd C.int64_t, data *C.uint8_t, n C.size_t, opcode, flags C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if data == nil && n > 0 {
			return 0, errNull("data")
		}
		return 0, s.core.Push(int64(fd), goBytes(data, n), int(opcode), int(flags))
	})
}

//export get_client_info
func get_client_info(h *C.swoole_server, fd C.int64_t, out *C.swoole_client_info) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if out == nil {
			return 0, errNull("info")
		}
		info, ok := s.core.ClientInfo(int64(fd))
		if !ok {
			return 0, errNoSession(fd)
		}
		*out = C.swoole_client_info{
			websocket_status:   C.int32_t(info.WebsocketStatus),
			server_port:        C.int32_t(info.ServerPort),
			server_fd:          C.int32_t(info.ServerFD),
			socket_fd:          C.int32_t(info.SocketFD),
			socket_type:        C.int32_t(info.SocketType),
			remote_port:        C.int32_t(info.RemotePort),
			reactor_id:         C.int32_t(info.ReactorID),
			connect_time:       C.int64_t(info.ConnectTime),
			last_time:          C.int64_t(info.LastTime),
			last_recv_time:     C.double(info.LastRecvTime),
			last_send_time:     C.double(info.LastSendTime),
			last_dispatch_time: C.double(info.LastDispatchTime),
			close_errno:        C.int32_t(info.CloseErrno),
			recv_queued_bytes:  C.int64_t(info.RecvQueuedBytes),
			send_queued_bytes:  C.int64_t(info.SendQueuedBytes),
			uid:                C.int64_t(info.UID),
		}
		ip := unsafe.Slice((*byte)(unsafe.Pointer(&out.remote_ip[0])), len(out.remote_ip))
		ip[copy(ip[:len(ip)-1], info.RemoteIP)] = 0
		return 0, nil
	})
}

//export server_exist
func server_exist(h *C.swoole_server, fd C.int64_t) C.int {
	return call(h, needServer, 0, func(s *server) (C.int, error) {
		return boolInt(s.core.Exist(int64(fd))), nil
	})
}

//export server_is_established
func server_is_established(h *C.swoole_server, fd C.int64_t) C.int {
	return call(h, needServer, 0, func(s *server) (C.int, error) {
		return boolInt(s.core.IsEstablished(int64(fd))), nil
	})
}

//export server_disconnect
func server_disconnect(h *C.swoole_server, fd C.int64_t, code C.int, reason *C.char, n C.size_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return 0, s.core.Disconnect(int64(fd), int(code), goStringN(reason, n))
	})
}

//export server_close
func server_close(h *C.swoole_server, fd C.int64_t, reset C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if !s.core.Close(int64(fd), reset != 0) {
			return 0, errNoSession(fd)
		}
		return 0, nil
	})
}

//export server_send
func server_send(h *C.swoole_server, fd C.int64_t, data *C.uint8_t, n C.size_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if data == nil && n > 0 {
			return 0, errNull("data")
		}
		return 0, s.core.Send(int64(fd), goBytes(data, n))
	})
}

//export server_bind
func server_bind(h *C.swoole_server, fd, uid C.int64_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return 0, s.core.Bind(int64(fd), int64(uid))
	})
}

//export server_client_list
func server_client_list(h *C.swoole_server, startFD C.int64_t, out *C.int64_t, capacity C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if out == nil || capacity <= 0 {
			return 0, core.ErrInvalid("out is NULL or capacity is not positive")
		}
		fds := s.core.ClientList(int64(startFD), int(capacity))
		dst := unsafe.Slice((*int64)(unsafe.Pointer(out)), int(capacity))
		return C.int(copy(dst, fds)), nil
	})
}

//export server_idle
func server_idle(h *C.swoole_server, out *C.int64_t, capacity C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if out == nil && capacity > 0 || capacity < 0 {
			return 0, core.ErrInvalid("out is NULL or capacity is negative")
		}
		fds, err := s.core.Idle()
		if err != nil {
			return 0, err
		}
		copy(unsafe.Slice((*int64)(unsafe.Pointer(out)), int(capacity)), fds)
		return C.int(len(fds)), nil
	})
}

//export server_connection_count
func server_connection_count(h *C.swoole_server) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return C.int(s.core.ConnectionCount()), nil
	})
}

//export server_log
func server_log(h *C.swoole_server, level C.int, msg *C.char, n C.size_t) C.int {
	return call(h, maybeServer, -1, func(s *server) (C.int, error) {
		var c *core.Server // nil: Swoole's logger before a server exists
		if s != nil {
			c = s.core
		}
		c.Log(int(level), goStringN(msg, n))
		return 0, nil
	})
}

//export server_stats
func server_stats(h *C.swoole_server, out *C.swoole_stats) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if out == nil {
			return 0, errNull("stats")
		}
		st := s.core.Stats()
		*out = C.swoole_stats{
			start_time:       C.int64_t(st.StartTime),
			connection_num:   C.int64_t(st.Connections),
			accept_count:     C.int64_t(st.AcceptCount),
			close_count:      C.int64_t(st.CloseCount),
			dispatch_count:   C.int64_t(st.DispatchCount),
			request_count:    C.int64_t(st.RequestCount),
			response_count:   C.int64_t(st.ResponseCount),
			total_recv_bytes: C.int64_t(st.RecvBytes),
			total_send_bytes: C.int64_t(st.SendBytes),
			session_round:    C.int64_t(st.SessionRound),
			min_fd:           C.int64_t(st.MinFD),
			max_fd:           C.int64_t(st.MaxFD),
		}
		return 0, nil
	})
}

//export timer_add
func timer_add(h *C.swoole_server, ms C.int64_t, tick C.int) C.int64_t {
	return call(h, needServer, -1, func(s *server) (C.int64_t, error) {
		id, err := s.core.TimerAdd(int64(ms), tick != 0)
		return C.int64_t(id), err
	})
}

//export timer_clear
func timer_clear(h *C.swoole_server, id C.int64_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if !s.core.TimerClear(int64(id)) {
			return 0, errNoTimer(id)
		}
		return 0, nil
	})
}

//export timer_info
func timer_info(h *C.swoole_server, id C.int64_t, intervalMS *C.int64_t, tick *C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		interval, repeat, ok := s.core.TimerInfo(int64(id))
		if !ok {
			return 0, errNoTimer(id)
		}
		if intervalMS != nil {
			*intervalMS = C.int64_t(interval.Milliseconds())
		}
		if tick != nil {
			*tick = boolInt(repeat)
		}
		return 0, nil
	})
}

//export timer_list
func timer_list(h *C.swoole_server, out *C.int64_t, capacity C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		ids := s.core.TimerList()
		if out != nil && capacity > 0 {
			copy(unsafe.Slice((*int64)(unsafe.Pointer(out)), int(capacity)), ids)
		}
		return C.int(len(ids)), nil
	})
}

//export frame_pack
func frame_pack(data *C.uint8_t, n C.size_t, opcode, flags C.int, out *C.uint8_t, capacity C.size_t) C.size_t {
	return call(nil, maybeServer, 0, func(*server) (C.size_t, error) {
		frame := wsframe.AppendMessage(nil, int(opcode), int(flags), goBytes(data, n))
		if out != nil && int(capacity) >= len(frame) {
			copy(unsafe.Slice((*byte)(unsafe.Pointer(out)), int(capacity)), frame)
		}
		return C.size_t(len(frame)), nil
	})
}

//export frame_unpack
func frame_unpack(data *C.uint8_t, n C.size_t, opcode, flags *C.int, payload *C.uint8_t, capacity C.size_t) C.int64_t {
	return call(nil, maybeServer, -1, func(*server) (C.int64_t, error) {
		if data == nil || opcode == nil || flags == nil {
			return 0, core.ErrInvalid("NULL argument")
		}
		buf := bytes.Clone(goBytes(data, n)) // unmasked in place: not the caller's
		f, used := wsframe.Unpack(buf)
		if used == 0 {
			return -1, nil // not a whole frame: no error, as Swoole's unpack()
		}
		*opcode, *flags = C.int(f.Opcode), C.int(f.Flags)
		if payload != nil && int(capacity) >= len(f.Payload) {
			copy(unsafe.Slice((*byte)(unsafe.Pointer(payload)), int(capacity)), f.Payload)
		}
		return C.int64_t(len(f.Payload)), nil
	})
}

//export mime_type_set
func mime_type_set(suffix, mimeType *C.char) C.int {
	return call(nil, maybeServer, -1, func(*server) (C.int, error) {
		if suffix == nil {
			return 0, errNull("suffix")
		}
		if mimeType == nil {
			return boolInt(mimetype.Delete(C.GoString(suffix))), nil
		}
		mimetype.Set(C.GoString(suffix), C.GoString(mimeType))
		return 1, nil
	})
}

//export response_status
func response_status(h *C.swoole_server, id C.uint64_t, code C.int, reason *C.char, n C.size_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return warned(s.core.ResponseStatus(uint64(id), int(code), goStringN(reason, n)))
	})
}

//export response_header
func response_header(h *C.swoole_server, id C.uint64_t, name *C.char, nameLen C.size_t, value *C.char, valueLen C.size_t, flags C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if name == nil {
			return 0, errNull("name")
		}
		if value == nil {
			return 0, s.core.ResponseDelHeader(uint64(id), goStringN(name, nameLen))
		}
		return 0, s.core.ResponseHeader(uint64(id), goStringN(name, nameLen), goStringN(value, valueLen),
			flags&C.SWOOLE_SHIM_HEADER_FORMAT != 0, flags&C.SWOOLE_SHIM_HEADER_APPEND != 0)
	})
}

//export response_cookie
func response_cookie(h *C.swoole_server, id C.uint64_t, name, value *C.char, expires C.int64_t, path, domain *C.char,
	secure, httponly C.int, samesite, priority *C.char, partitioned, raw C.int) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if name == nil {
			return 0, errNull("name")
		}
		return 0, s.core.ResponseCookie(uint64(id), &http1.Cookie{
			Name: C.GoString(name), Value: goString(value), Expires: int64(expires),
			Path: goString(path), Domain: goString(domain), Secure: secure != 0, HTTPOnly: httponly != 0,
			SameSite: goString(samesite), Priority: goString(priority), Partitioned: partitioned != 0, Raw: raw != 0,
		})
	})
}

//export response_write
func response_write(h *C.swoole_server, id C.uint64_t, data *C.uint8_t, n C.size_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return warned(s.core.ResponseWrite(uint64(id), goBytes(data, n)))
	})
}

//export response_end
func response_end(h *C.swoole_server, id C.uint64_t, data *C.uint8_t, n C.size_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return warned(s.core.ResponseEnd(uint64(id), goBytes(data, n)))
	})
}

//export response_close
func response_close(h *C.swoole_server, id C.uint64_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return 0, s.core.ResponseClose(uint64(id))
	})
}

//export response_sendfile
func response_sendfile(h *C.swoole_server, id C.uint64_t, filename *C.char, offset, n C.int64_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if filename == nil {
			return 0, errNull("filename")
		}
		return warned(s.core.ResponseSendfile(uint64(id), C.GoString(filename), int64(offset), int64(n)))
	})
}

//export response_trailer
func response_trailer(h *C.swoole_server, id C.uint64_t, name *C.char, nameLen C.size_t, value *C.char, valueLen C.size_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		if name == nil {
			return 0, errNull("name")
		}
		return 0, s.core.ResponseTrailer(uint64(id), goStringN(name, nameLen), goStringN(value, valueLen))
	})
}

//export response_detach
func response_detach(h *C.swoole_server, id C.uint64_t) C.int {
	return call(h, needServer, -1, func(s *server) (C.int, error) {
		return 0, s.core.ResponseDetach(uint64(id))
	})
}

//export response_create
func response_create(h *C.swoole_server, fd C.int64_t) C.uint64_t {
	return call(h, needServer, 0, func(s *server) (C.uint64_t, error) {
		id, err := s.core.ResponseCreate(int64(fd))
		return C.uint64_t(id), err
	})
}

//export response_writable
func response_writable(h *C.swoole_server, id C.uint64_t) C.int {
	return call(h, needServer, 0, func(s *server) (C.int, error) {
		return boolInt(s.core.ResponseWritable(uint64(id))), nil
	})
}
