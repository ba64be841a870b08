package http1

import (
	"bytes"
	"slices"
	"strings"
)

// Parser reads the requests of one connection from its bytes as they
// arrive, without blocking. It keeps what it has parsed between reads, so
// however a request is split each byte is looked at and copied once: the
// head is parsed when its empty line arrives, then the body is appended to
// the request's buffer (and decoded as it comes when chunked). Its memory
// follows the bytes received, never a length the client only declared.
type Parser struct {
	buf  []byte   // the request as received so far
	req  *Request // its head, once parsed
	head int      // the head's length, once parsed
	// total is head plus Content-Length for a body of known length; the
	// offset of the trailer section in a chunked one.
	total int64
	// A chunked body: what is decoded so far, the state, the bytes of the
	// current chunk still to come, and where the current line began in buf.
	body      []byte
	state     chunkState
	left      int64
	lineStart int
	continued bool // Continue reported true for this request
}

type chunkState int

const (
	chunkSize    chunkState = iota // the chunk-size line
	chunkData                      // a chunk's data
	chunkCR                        // the CRLF after it
	chunkTrailer                   // trailer lines, up to the empty one
	chunkEnd                       // the body is whole
)

// Longest chunk-size line (extensions included) and trailer section.
const (
	maxChunkLine = 4 << 10
	maxTrailer   = 64 << 10
)

// Parse takes the bytes a read brought. When they complete a request it
// returns it and the bytes of data it used (the rest belongs to the next
// request); otherwise it keeps them all and returns a nil request and
// len(data). An error is a request to reject: the connection is to be
// closed, and the parser not used again.
func (p *Parser) Parse(data []byte, lim Limits) (*Request, int, error) {
	used := 0
	if p.req == nil {
		used = p.skipEmptyLines(data)
		end := headEnd(p.buf, data[used:])
		if end < 0 {
			if len(p.buf)+len(data)-used > lim.MaxHeaderBytes {
				return nil, 0, &Error{Status: 400}
			}
			p.buf = append(p.buf, data[used:]...)
			return nil, len(data), nil
		}
		if len(p.buf)+end > lim.MaxHeaderBytes {
			return nil, 0, &Error{Status: 400}
		}
		p.buf = append(p.buf, data[used:used+end]...)
		used += end
		if err := p.parseHead(lim); err != nil {
			return nil, 0, err
		}
	}
	var err error
	if p.req.chunked {
		used, err = p.chunked(data, used, lim)
	} else {
		take := int(min(p.total-int64(len(p.buf)), int64(len(data)-used)))
		p.buf = appendCapped(p.buf, data[used:used+take], p.total)
		used += take
	}
	switch {
	case err != nil:
		return nil, 0, err
	case !p.done():
		return nil, len(data), nil
	}
	req := p.req
	req.Raw = p.buf
	if req.chunked {
		req.Body = p.body
	} else if len(p.buf) > p.head {
		req.Body = p.buf[p.head:]
	}
	*p = Parser{}
	return req, used, nil
}

// skipEmptyLines skips the empty lines a client may send before a
// request line, and returns the bytes of data they took.
func (p *Parser) skipEmptyLines(data []byte) int {
	used := 0
	for len(p.buf) <= 1 && used < len(data) {
		switch c := data[used]; {
		case c == '\n' && (len(p.buf) == 0 || p.buf[0] == '\r'):
			p.buf = p.buf[:0]
		case c == '\r' && len(p.buf) == 0:
			p.buf = append(p.buf, c) // an empty line, if LF follows
		default:
			return used
		}
		used++
	}
	return used
}

// headEnd returns how many bytes of data complete the head whose first
// bytes are prev: through the first empty line ("\n\n" or "\n\r\n"), or
// -1 when data does not complete it.
func headEnd(prev, data []byte) int {
	at := func(i int) byte { // byte i of data; negative i reaches into prev
		switch {
		case i >= 0:
			return data[i]
		case len(prev)+i >= 0:
			return prev[len(prev)+i]
		}
		return 0
	}
	for i := 0; i < len(data); i++ {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j
		if at(i-1) == '\n' || at(i-1) == '\r' && at(i-2) == '\n' {
			return i + 1
		}
	}
	return -1
}

// parseHead parses the head now whole in buf, and checks the length it
// declares against MaxLength as Swoole does: head plus Content-Length.
func (p *Parser) parseHead(lim Limits) error {
	req, err := parseHead(p.buf)
	if err != nil {
		if e, ok := err.(*Error); ok && e.Reason != "" {
			e.Unprocessed = len(p.buf) + naiveContentLength(p.buf) - e.Unprocessed
		}
		return err
	}
	p.req, p.head = req, len(p.buf)
	p.total = int64(p.head)
	if cl := req.contentLength; cl > 0 {
		if cl > lim.MaxLength-int64(p.head) {
			return &Error{Status: 413, HeadLength: int64(p.head), ContentLength: cl}
		}
		p.total += cl
	}
	p.lineStart = p.head
	return nil
}

// done reports whether the request in buf is whole.
func (p *Parser) done() bool {
	if p.req.chunked {
		return p.state == chunkEnd
	}
	return int64(len(p.buf)) == p.total
}

// chunked decodes the chunked body in data from used on, appending it to
// buf as received and to body decoded, and returns the bytes used: up to
// the end of the body, or all of data.
func (p *Parser) chunked(data []byte, used int, lim Limits) (int, error) {
	for used < len(data) && p.state != chunkEnd {
		if p.state == chunkData {
			take := int(min(p.left, int64(len(data)-used)))
			p.buf = appendCapped(p.buf, data[used:used+take], lim.MaxLength)
			p.body = appendCapped(p.body, data[used:used+take], lim.MaxLength)
			used += take
			if p.left -= int64(take); p.left == 0 {
				p.state, p.lineStart = chunkCR, len(p.buf)
			}
			continue
		}
		// A line: the chunk size, the CRLF after the data, or a trailer.
		// It is taken up to one byte past the first limit it would pass,
		// so that the answer does not depend on how the bytes came.
		room := lim.MaxLength - int64(len(p.buf))
		switch p.state {
		case chunkSize:
			room = min(room, int64(maxChunkLine-(len(p.buf)-p.lineStart)))
		case chunkCR:
			room = min(room, int64(2-(len(p.buf)-p.lineStart)))
		case chunkTrailer:
			room = min(room, int64(maxTrailer-(len(p.buf)-int(p.total))))
		}
		end := used + int(max(0, min(room+1, int64(len(data)-used))))
		j := bytes.IndexByte(data[used:end], '\n')
		if j >= 0 {
			end = used + j + 1
		}
		p.buf = appendCapped(p.buf, data[used:end], lim.MaxLength)
		used = end
		line := p.buf[p.lineStart:]
		switch {
		case int64(len(p.buf)) > lim.MaxLength:
			return 0, &Error{Status: 413, Chunked: true}
		case p.state == chunkCR && !bytes.HasPrefix([]byte("\r\n"), line):
			return 0, llhttpError(0, "Expected LF after chunk data")
		case p.state == chunkSize && len(line) > maxChunkLine,
			p.state == chunkTrailer && len(p.buf)-int(p.total) > maxTrailer:
			return 0, &Error{Status: 400}
		case j < 0:
			continue
		case len(line) < 2 || line[len(line)-2] != '\r':
			return 0, &Error{Status: 400} // a bare LF
		}
		p.lineStart = len(p.buf)
		switch p.state {
		case chunkCR:
			p.state = chunkSize
		case chunkTrailer:
			if len(line) == 2 {
				p.state = chunkEnd
			}
		case chunkSize:
			size, ok := chunkSizeOf(line[:len(line)-2])
			switch {
			case !ok:
				return 0, &Error{Status: 400}
			case size > lim.MaxLength-int64(len(p.buf))-2:
				return 0, &Error{Status: 413, Chunked: true}
			case size == 0:
				p.state, p.total = chunkTrailer, int64(len(p.buf))
			default:
				p.state, p.left = chunkData, size
			}
		}
	}
	return used, nil
}

// chunkSizeOf reads a chunk-size line without its CRLF: hex digits, then
// optional whitespace and extensions, which are ignored but must hold no
// control character (RFC 9112 §7.1.1). A size needs at most 15 digits.
func chunkSizeOf(line []byte) (int64, bool) {
	var size int64
	i := 0
	for ; i < len(line); i++ {
		c := line[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			goto rest
		}
		if i == 15 {
			return 0, false
		}
		size = size<<4 | int64(d)
	}
rest:
	if i == 0 {
		return 0, false
	}
	ext := bytes.TrimLeft(line[i:], " \t")
	if len(ext) > 0 && ext[0] != ';' {
		return 0, false
	}
	for _, c := range ext {
		if c < ' ' && c != '\t' || c == 0x7f {
			return 0, false
		}
	}
	return size, true
}

// appendCapped appends p to buf, doubling its capacity as append does but
// never past limit: a buffer follows what arrived, up to the request's size.
func appendCapped(buf, p []byte, limit int64) []byte {
	if n := len(buf) + len(p); n > cap(buf) {
		c := max(min(int64(max(2*cap(buf), n, 512)), limit), int64(n))
		buf = slices.Grow(buf, int(c)-len(buf))
	}
	return append(buf, p...)
}

// Continue reports, once per request, that the head of the request being
// received asks for "Expect: 100-continue" and its body is still to come.
func (p *Parser) Continue() bool {
	if p.req == nil || p.continued {
		return false
	}
	p.continued = true
	v, _ := p.req.Get("expect")
	return strings.EqualFold(v, "100-continue")
}
