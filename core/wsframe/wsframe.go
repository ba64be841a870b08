// Package wsframe writes and reads WebSocket frames (RFC 6455). Writing
// uses Swoole's flag bits, since Swoole lets a script choose FIN and the
// RSV bits of every frame (push() with flags, fragments sent across
// several calls). Reading (Reader) takes the bytes received so far and
// never blocks, so the server's event loop can read every connection from
// one thread.
package wsframe

import "encoding/binary"

// Opcodes (RFC 6455 §5.2), named as Swoole's WEBSOCKET_OPCODE_* constants.
const (
	OpContinuation = 0
	OpText         = 1
	OpBinary       = 2
	OpClose        = 8
	OpPing         = 9
	OpPong         = 10
)

// Swoole's SWOOLE_WEBSOCKET_FLAG_* bits.
const (
	FlagFin      = 1
	FlagCompress = 2
	FlagRSV1     = 4
	FlagRSV2     = 8
	FlagRSV3     = 16
	FlagMask     = 32
)

// MaxHeaderLen is the longest header an unmasked frame can have.
const MaxHeaderLen = 10

// ValidOpcode reports whether op is an opcode RFC 6455 defines.
func ValidOpcode(op int) bool {
	switch op {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
		return true
	}
	return false
}

// AppendHeader appends the header of an unmasked frame carrying n payload
// bytes.
func AppendHeader(dst []byte, opcode, flags int, n int) []byte {
	b0 := byte(opcode & 0x0f)
	if flags&FlagFin != 0 {
		b0 |= 0x80
	}
	if flags&FlagRSV1 != 0 {
		b0 |= 0x40
	}
	if flags&FlagRSV2 != 0 {
		b0 |= 0x20
	}
	if flags&FlagRSV3 != 0 {
		b0 |= 0x10
	}
	switch {
	case n < 126:
		return append(dst, b0, byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(dst, b0, 126), uint16(n))
	default:
		return binary.BigEndian.AppendUint64(append(dst, b0, 127), uint64(n))
	}
}

// Append appends a whole unmasked frame.
func Append(dst []byte, opcode, flags int, payload []byte) []byte {
	return append(AppendHeader(dst, opcode, flags, len(payload)), payload...)
}

// ClosePayload is the payload of a close frame: the code, big-endian, then
// the reason.
func ClosePayload(code int, reason string) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...)
}
