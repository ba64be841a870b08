package wsframe

import (
	"bytes"
	"compress/flate"
	"io"
	"sync"
)

// permessage-deflate (RFC 7692) without context takeover, as Swoole
// negotiates it: every message is compressed on its own.

// ExtensionDeflate is the Sec-WebSocket-Extensions value Swoole answers.
const ExtensionDeflate = "permessage-deflate; client_no_context_takeover; server_no_context_takeover"

// The flate sync marker that ends a flushed block; RFC 7692 §7.2.1 drops
// it from the frame, the reader puts it back.
var syncTail = []byte{0x00, 0x00, 0xff, 0xff}

var (
	writers = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(nil, flate.DefaultCompression)
		return w
	}}
	readers = sync.Pool{New: func() any { return flate.NewReader(nil) }}
)

// deflate compresses a message's payload.
func deflate(p []byte) []byte {
	var buf bytes.Buffer
	w := writers.Get().(*flate.Writer)
	defer writers.Put(w)
	w.Reset(&buf)
	w.Write(p)
	w.Flush()
	return bytes.TrimSuffix(buf.Bytes(), syncTail)
}

// inflate decompresses a message's payload, failing with CloseTooBig past
// max bytes (a small frame can inflate to gigabytes).
func inflate(p []byte, max int) ([]byte, error) {
	r := readers.Get().(io.ReadCloser)
	defer readers.Put(r)
	// The final empty stored block ends the stream after the sync marker.
	src := io.MultiReader(bytes.NewReader(p), bytes.NewReader(syncTail), bytes.NewReader([]byte{0x01, 0x00, 0x00, 0xff, 0xff}))
	r.(flate.Resetter).Reset(src, nil)
	out, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	switch {
	case err != nil:
		return nil, &Error{CloseInvalidData, "invalid compressed data"}
	case len(out) > max:
		return nil, &Error{CloseTooBig, "message too big"}
	}
	return out, nil
}

// AppendMessage appends a frame as push() and pack() send it: with
// FlagCompress, a data frame that ends a message (FIN, not a
// continuation) and is not empty is compressed and gets RSV1, as in
// Swoole; FlagCompress is dropped otherwise.
func AppendMessage(dst []byte, opcode, flags int, payload []byte) []byte {
	compress := flags&FlagCompress != 0 && flags&FlagFin != 0 && len(payload) > 0 &&
		(opcode == OpText || opcode == OpBinary)
	flags &^= FlagCompress
	if compress {
		payload = deflate(payload)
		flags |= FlagRSV1
	}
	return Append(dst, opcode, flags, payload)
}
