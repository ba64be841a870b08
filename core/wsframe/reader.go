package wsframe

import (
	"encoding/binary"
	"unicode/utf8"
)

// Close codes the reader answers protocol violations with (RFC 6455 §7.4).
const (
	CloseProtocolError = 1002
	CloseInvalidData   = 1007
	CloseTooBig        = 1009
)

// Frame is one frame a client sent, its payload unmasked.
type Frame struct {
	Opcode  int
	Fin     bool
	Flags   int    // Swoole's flag bits: FIN, RSV1-3, MASK
	Payload []byte // unmasked in place, inside the buffer given to Next
}

// Error is a violation of RFC 6455: the connection is to be closed with
// Code (and Reason as the close reason).
type Error struct {
	Code   int
	Reason string
}

func (e *Error) Error() string { return e.Reason }

// Reader reads the frames clients send, without blocking: it is given the
// bytes received so far and takes complete frames from them, so a
// connection waiting for the rest of a frame holds no goroutine. It checks
// what RFC 6455 requires of a server (masking, reserved bits, opcodes,
// control frame rules, fragment order, close codes, UTF-8 of text) and
// reassembles fragmented messages up to a size limit.
type Reader struct {
	// MaxMessage is the largest message (reassembled) accepted.
	MaxMessage int

	msg    []byte // the fragments of a message received so far
	msgOp  int    // its opcode; 0 when no fragmented message is open
	msgRSV int
}

// Next takes one frame from the start of buf. It returns the frame and
// the bytes it used; n == 0 means buf does not hold a whole frame yet.
func (r *Reader) Next(buf []byte) (f Frame, n int, err error) {
	if len(buf) < 2 {
		return f, 0, nil
	}
	b0, b1 := buf[0], buf[1]
	f.Opcode = int(b0 & 0x0f)
	f.Fin = b0&0x80 != 0
	if f.Fin {
		f.Flags |= FlagFin
	}
	if b0&0x40 != 0 {
		f.Flags |= FlagRSV1
	}
	if b0&0x20 != 0 {
		f.Flags |= FlagRSV2
	}
	if b0&0x10 != 0 {
		f.Flags |= FlagRSV3
	}
	masked := b1&0x80 != 0
	if masked {
		f.Flags |= FlagMask
	}
	switch {
	case b0&0x70 != 0:
		return f, 0, &Error{CloseProtocolError, "reserved bits set"}
	case !ValidOpcode(f.Opcode):
		return f, 0, &Error{CloseProtocolError, "unknown opcode"}
	case !masked:
		return f, 0, &Error{CloseProtocolError, "client frame not masked"}
	}
	control := f.Opcode >= OpClose
	length := uint64(b1 & 0x7f)
	pos := 2
	switch length {
	case 126:
		if len(buf) < 4 {
			return f, 0, nil
		}
		length, pos = uint64(binary.BigEndian.Uint16(buf[2:])), 4
	case 127:
		if len(buf) < 10 {
			return f, 0, nil
		}
		length, pos = binary.BigEndian.Uint64(buf[2:]), 10
		if length>>63 != 0 {
			return f, 0, &Error{CloseProtocolError, "invalid payload length"}
		}
	}
	switch {
	case control && (length > 125 || !f.Fin):
		return f, 0, &Error{CloseProtocolError, "invalid control frame"}
	case !control && length+uint64(len(r.msg)) > uint64(r.MaxMessage):
		return f, 0, &Error{CloseTooBig, "message too big"}
	}
	end := pos + 4 + int(length)
	if len(buf) < end {
		return f, 0, nil
	}
	key := buf[pos : pos+4]
	f.Payload = buf[pos+4 : end]
	for i := range f.Payload {
		f.Payload[i] ^= key[i&3]
	}
	return f, end, nil
}

// Message is what a frame completes: a data message (reassembled), or a
// control frame, which may come between fragments.
type Message struct {
	Opcode  int
	Flags   int
	Payload []byte
}

// Add takes a frame from Next and returns the message it completes, if
// any (ok). Text messages and close reasons must be valid UTF-8; a close
// frame must carry a valid code or nothing.
func (r *Reader) Add(f Frame) (m Message, ok bool, err error) {
	switch {
	case f.Opcode >= OpClose:
		if f.Opcode == OpClose {
			if err := checkClose(f.Payload); err != nil {
				return m, false, err
			}
		}
		return Message{f.Opcode, f.Flags, f.Payload}, true, nil
	case f.Opcode == OpContinuation && r.msgOp == 0:
		return m, false, &Error{CloseProtocolError, "continuation without a message"}
	case f.Opcode != OpContinuation && r.msgOp != 0:
		return m, false, &Error{CloseProtocolError, "new message inside a fragmented one"}
	case f.Fin && f.Opcode != OpContinuation:
		m = Message{f.Opcode, f.Flags, f.Payload}
	case f.Opcode != OpContinuation:
		r.msgOp, r.msgRSV = f.Opcode, f.Flags&(FlagRSV1|FlagRSV2|FlagRSV3)
		r.msg = append(r.msg[:0], f.Payload...)
		return m, false, nil
	default:
		r.msg = append(r.msg, f.Payload...)
		if !f.Fin {
			return m, false, nil
		}
		m = Message{r.msgOp, FlagFin | FlagMask | r.msgRSV, r.msg}
		r.msg, r.msgOp = nil, 0
	}
	if m.Opcode == OpText && !utf8.Valid(m.Payload) {
		return m, false, &Error{CloseInvalidData, "invalid UTF-8 in text message"}
	}
	return m, true, nil
}

func checkClose(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	if len(p) == 1 {
		return &Error{CloseProtocolError, "invalid close payload"}
	}
	code := int(binary.BigEndian.Uint16(p))
	valid := code >= 1000 && code <= 1011 && code != 1004 && code != 1005 && code != 1006 || code >= 3000 && code <= 4999
	if !valid {
		return &Error{CloseProtocolError, "invalid close code"}
	}
	if !utf8.Valid(p[2:]) {
		return &Error{CloseInvalidData, "invalid UTF-8 in close reason"}
	}
	return nil
}
