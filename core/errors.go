package core

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// Error is a failure with Swoole's error code (swoole_last_error()) and
// the message Swoole shows for it.
type Error struct {
	Code int
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Warnings is what a call that did its work has to say, as the PHP
// warnings Swoole raises in that call, one per element (a header line
// left out of a response). The C API reports success with their count.
type Warnings []string

func (w Warnings) Error() string { return strings.Join(w, "\n") }

// Swoole's error codes (swoole_errno.h), and the library's own for what
// Swoole has no code for.
const (
	ErrnoSessionNotExist          = 1005
	ErrnoOutputBufferOverflow     = 1009
	ErrnoHTTPConflictHeader       = 7105
	ErrnoHTTPContextUnavailable   = 7106
	ErrnoPHPRuntimeNotice         = 510
	ErrnoPHPFatalError            = 503
	ErrnoWebsocketUnconnected     = 8503
	ErrnoServerInvalidListenPort  = 9004
	ErrnoBadHandle                = 9001
	ErrnoInvalidArgument          = 9002
	ErrnoInvalidState             = 9003
	ErrnoServerInvalidRequestCode = 9010
	ErrnoServerTooManySocket      = 9012
	ErrnoServerInvalidCallback    = 9015
)

func errSessionNotExist(fd int64) error {
	return &Error{ErrnoSessionNotExist, fmt.Sprintf("session#%d does not exists", fd)}
}

func errNotWebsocket(fd int64) error {
	return &Error{ErrnoWebsocketUnconnected, fmt.Sprintf("the connected client of connection[%d] is not a websocket client or closed", fd)}
}

var (
	errResponseDone    = &Error{ErrnoHTTPContextUnavailable, "http context is unavailable (maybe it has been ended or detached)"}
	errRequireOnMsg    = &Error{ErrnoInvalidState, "require onMessage callback"}
	errRequireOnReq    = &Error{ErrnoInvalidState, "require onRequest callback"}
	errRunning         = &Error{ErrnoInvalidState, "server is running, unable to register event callback function"}
	errStarted         = &Error{ErrnoInvalidState, "server is already started"}
	errNotRunning      = &Error{ErrnoInvalidState, "server is not running"}
	errOutputOverflow  = &Error{ErrnoOutputBufferOverflow, "output buffer overflow"}
	errHeaderName      = &Error{ErrnoInvalidArgument, "header name is empty or contains CR or LF"}
	errBadCloseReason  = &Error{ErrnoInvalidArgument, "the max length of close reason is 125"}
	errConnectionReset = &Error{ErrnoSessionNotExist, "connection closed"}
)

// ErrBadHandle is what the C API reports for a NULL or unknown handle.
var ErrBadHandle = &Error{ErrnoBadHandle, "invalid server handle"}

// ErrInvalid builds a bad-argument error.
func ErrInvalid(msg string) error { return &Error{ErrnoInvalidArgument, msg} }

// Code returns the Swoole error code of err.
func Code(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return int(errno)
	}
	return ErrnoInvalidState
}

// strerror is C's wording of errno (Go's is the same, lower-cased).
func strerror(errno syscall.Errno) string {
	s := errno.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
