// Package wsframetest builds WebSocket frames as a client sends them, for
// tests that talk to the server byte by byte.
package wsframetest

import "encoding/binary"

// Masked returns a frame as a client sends it: the first byte b0 as
// given (FIN, RSV bits and opcode, invalid ones included), then the
// length with the mask bit set, a mask key and the masked payload.
func Masked(b0 byte, payload []byte) []byte {
	f := []byte{b0}
	switch n := len(payload); {
	case n < 126:
		f = append(f, 0x80|byte(n))
	case n < 65536:
		f = binary.BigEndian.AppendUint16(append(f, 0x80|126), uint16(n))
	default:
		f = binary.BigEndian.AppendUint64(append(f, 0x80|127), uint64(n))
	}
	key := []byte{0x37, 0xfa, 0x21, 0x3d}
	f = append(f, key...)
	for i, c := range payload {
		f = append(f, c^key[i%4])
	}
	return f
}
