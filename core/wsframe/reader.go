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
	// MaxMessage is the largest message (reassembled, inflated) accepted.
	MaxMessage int
	// Deflate is set once permessage-deflate is negotiated: the first
	// frame of a data message may then carry RSV1 (compressed).
	Deflate bool

	msg    []byte // the fragments of a message received so far
	msgOp  int    // its opcode; 0 when no fragmented message is open
	msgRSV int
}

// header is a frame's first bytes, decoded.
type header struct {
	opcode, flags int
	fin, masked   bool
	length        uint64
	size          int // bytes of the header, mask key included
}

// parseHeader decodes the header at the start of buf; ok is false when buf
// does not hold all of it.
func parseHeader(buf []byte) (h header, ok bool) {
	if len(buf) < 2 {
		return h, false
	}
	b0, b1 := buf[0], buf[1]
	h.opcode = int(b0 & 0x0f)
	h.fin = b0&0x80 != 0
	h.masked = b1&0x80 != 0
	for _, bit := range []struct {
		mask byte
		flag int
	}{{0x80, FlagFin}, {0x40, FlagRSV1}, {0x20, FlagRSV2}, {0x10, FlagRSV3}} {
		if b0&bit.mask != 0 {
			h.flags |= bit.flag
		}
	}
	if h.masked {
		h.flags |= FlagMask
	}
	h.length, h.size = uint64(b1&0x7f), 2
	switch h.length {
	case 126:
		if len(buf) < 4 {
			return h, false
		}
		h.length, h.size = uint64(binary.BigEndian.Uint16(buf[2:])), 4
	case 127:
		if len(buf) < 10 {
			return h, false
		}
		h.length, h.size = binary.BigEndian.Uint64(buf[2:]), 10
	}
	if h.masked {
		h.size += 4
	}
	return h, len(buf) >= h.size
}

// payload returns the payload of a frame whose header is h, unmasked in
// place, and the frame's size; ok is false when buf does not hold it all.
func (h header) payload(buf []byte) (p []byte, n int, ok bool) {
	if h.length > uint64(len(buf)-h.size) {
		return nil, 0, false
	}
	n = h.size + int(h.length)
	p = buf[h.size:n]
	if h.masked {
		unmask(p, buf[h.size-4:h.size])
	}
	return p, n, true
}

// unmask XORs p in place with the 4-byte masking key, eight bytes at a
// time.
func unmask(p, key []byte) {
	k := uint64(binary.LittleEndian.Uint32(key))
	k |= k << 32
	i := 0
	for ; i+8 <= len(p); i += 8 {
		binary.LittleEndian.PutUint64(p[i:], binary.LittleEndian.Uint64(p[i:])^k)
	}
	for ; i < len(p); i++ {
		p[i] ^= key[i&3]
	}
}

// Unpack decodes the frame at the start of buf as Swoole's unpack() does:
// any frame, masked or not, checked for nothing. n == 0 means buf does not
// hold a whole frame. A masked payload is unmasked in place.
func Unpack(buf []byte) (f Frame, n int) {
	h, ok := parseHeader(buf)
	if !ok {
		return f, 0
	}
	p, n, ok := h.payload(buf)
	if !ok {
		return f, 0
	}
	return Frame{Opcode: h.opcode, Fin: h.fin, Flags: h.flags, Payload: p}, n
}

// Next takes one frame from the start of buf. It returns the frame and
// the bytes it used; n == 0 means buf does not hold a whole frame yet.
func (r *Reader) Next(buf []byte) (f Frame, n int, err error) {
	h, ok := parseHeader(buf)
	if len(buf) < 2 {
		return f, 0, nil
	}
	compressed := r.Deflate && h.flags&FlagRSV1 != 0 && (h.opcode == OpText || h.opcode == OpBinary)
	switch {
	case h.flags&(FlagRSV2|FlagRSV3) != 0 || h.flags&FlagRSV1 != 0 && !compressed:
		return f, 0, &Error{CloseProtocolError, "reserved bits set"}
	case !ValidOpcode(h.opcode):
		return f, 0, &Error{CloseProtocolError, "unknown opcode"}
	case !h.masked:
		return f, 0, &Error{CloseProtocolError, "client frame not masked"}
	case !ok:
		return f, 0, nil
	case h.length>>63 != 0:
		return f, 0, &Error{CloseProtocolError, "invalid payload length"}
	case h.opcode >= OpClose && (h.length > 125 || !h.fin):
		return f, 0, &Error{CloseProtocolError, "invalid control frame"}
	case h.opcode < OpClose && h.length+uint64(len(r.msg)) > uint64(r.MaxMessage):
		return f, 0, &Error{CloseTooBig, "message too big"}
	}
	p, n, ok := h.payload(buf)
	if !ok {
		return f, 0, nil
	}
	return Frame{Opcode: h.opcode, Fin: h.fin, Flags: h.flags, Payload: p}, n, nil
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
	if m.Flags&FlagRSV1 != 0 {
		p, err := inflate(m.Payload, r.MaxMessage)
		if err != nil {
			return m, false, err
		}
		m.Payload = p
		m.Flags |= FlagCompress // as Swoole marks a compressed message
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
