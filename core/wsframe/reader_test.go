package wsframe

import (
	"bytes"
	"testing"

	"github.com/swoole-shim/swoole-shim/core/wsframe/wsframetest"
)

// readAll feeds in to a Reader byte by byte and whole, and returns the
// messages and the first error.
func readAll(t *testing.T, in []byte) ([]Message, error) {
	t.Helper()
	var msgs []Message
	var err error
	for _, step := range []int{1, len(in)} {
		r := Reader{MaxMessage: 1 << 20}
		buf := []byte{}
		msgs, err = nil, nil
		data := bytes.Clone(in)
	feed:
		for i := 0; i < len(data); i += step {
			buf = append(buf, data[i:min(i+step, len(data))]...)
			for {
				f, n, e := r.Next(buf)
				if e != nil {
					err = e
					break feed
				}
				if n == 0 {
					break
				}
				m, ok, e := r.Add(f)
				if e != nil {
					err = e
					break feed
				}
				if ok {
					m.Payload = bytes.Clone(m.Payload)
					msgs = append(msgs, m)
				}
				buf = buf[n:]
			}
		}
	}
	return msgs, err
}

func TestReaderMessages(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 70000)
	tests := []struct {
		name string
		in   []byte
		want []Message
	}{
		{"text", wsframetest.Masked(0x81, []byte("hi")), []Message{{OpText, 33, []byte("hi")}}},
		{"empty binary", wsframetest.Masked(0x82, nil), []Message{{OpBinary, 33, []byte{}}}},
		{"64-bit length", wsframetest.Masked(0x82, big), []Message{{OpBinary, 33, big}}},
		{"fragments with a ping between", slicesConcat(wsframetest.Masked(0x01, []byte("he")), wsframetest.Masked(0x89, []byte("p")), wsframetest.Masked(0x00, []byte("ll")), wsframetest.Masked(0x80, []byte("o"))),
			[]Message{{OpPing, 33, []byte("p")}, {OpText, 33, []byte("hello")}}},
		{"close with code", wsframetest.Masked(0x88, []byte{0x03, 0xe8, 'o', 'k'}), []Message{{OpClose, 33, []byte{0x03, 0xe8, 'o', 'k'}}}},
		{"empty close", wsframetest.Masked(0x88, nil), []Message{{OpClose, 33, []byte{}}}},
	}
	for _, tt := range tests {
		got, err := readAll(t, tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %d messages, want %d", tt.name, len(got), len(tt.want))
			continue
		}
		for i := range got {
			if got[i].Opcode != tt.want[i].Opcode || got[i].Flags != tt.want[i].Flags || !bytes.Equal(got[i].Payload, tt.want[i].Payload) {
				t.Errorf("%s: message %d = %d %d %q", tt.name, i, got[i].Opcode, got[i].Flags, got[i].Payload[:min(10, len(got[i].Payload))])
			}
		}
	}
}

func slicesConcat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestReaderErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		code int
	}{
		{"unmasked", []byte{0x81, 0x01, 'a'}, CloseProtocolError},
		{"rsv1", wsframetest.Masked(0xc1, []byte("a")), CloseProtocolError},
		{"rsv3", wsframetest.Masked(0x91, []byte("a")), CloseProtocolError},
		{"opcode 3", wsframetest.Masked(0x83, nil), CloseProtocolError},
		{"opcode 11", wsframetest.Masked(0x8b, nil), CloseProtocolError},
		{"fragmented ping", wsframetest.Masked(0x09, nil), CloseProtocolError},
		{"ping over 125", wsframetest.Masked(0x89, make([]byte, 126)), CloseProtocolError},
		{"continuation first", wsframetest.Masked(0x80, []byte("a")), CloseProtocolError},
		{"text inside fragments", slicesConcat(wsframetest.Masked(0x01, []byte("a")), wsframetest.Masked(0x81, []byte("b"))), CloseProtocolError},
		{"invalid utf-8", wsframetest.Masked(0x81, []byte{0xce, 0xba, 0xe1, 0xbd}), CloseInvalidData},
		{"invalid utf-8 across fragments", slicesConcat(wsframetest.Masked(0x01, []byte{0xce}), wsframetest.Masked(0x80, []byte{0xff})), CloseInvalidData},
		{"close payload of 1", wsframetest.Masked(0x88, []byte{0x03}), CloseProtocolError},
		{"close code 1005", wsframetest.Masked(0x88, []byte{0x03, 0xed}), CloseProtocolError},
		{"close code 999", wsframetest.Masked(0x88, []byte{0x03, 0xe7}), CloseProtocolError},
		{"close code 5000", wsframetest.Masked(0x88, []byte{0x13, 0x88}), CloseProtocolError},
		{"close reason utf-8", wsframetest.Masked(0x88, []byte{0x03, 0xe8, 0xff}), CloseInvalidData},
		{"too big", wsframetest.Masked(0x82, make([]byte, 1<<20+1)), CloseTooBig},
		{"too big across fragments", slicesConcat(wsframetest.Masked(0x02, make([]byte, 1<<19)), wsframetest.Masked(0x80, make([]byte, 1<<19+1))), CloseTooBig},
		{"length msb", append([]byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0}, 1, 2, 3, 4), CloseProtocolError},
	}
	for _, tt := range tests {
		_, err := readAll(t, tt.in)
		e, ok := err.(*Error)
		if !ok || e.Code != tt.code {
			t.Errorf("%s: got %v, want close %d", tt.name, err, tt.code)
		}
	}
}

func FuzzReader(f *testing.F) {
	f.Add(wsframetest.Masked(0x81, []byte("hello")))
	f.Add(slicesConcat(wsframetest.Masked(0x01, []byte("he")), wsframetest.Masked(0x89, nil), wsframetest.Masked(0x80, []byte("llo"))))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := Reader{MaxMessage: 1 << 16}
		for len(in) > 0 {
			fr, n, err := r.Next(in)
			if err != nil || n == 0 {
				return
			}
			if n > len(in) {
				t.Fatalf("used %d of %d bytes", n, len(in))
			}
			if _, _, err := r.Add(fr); err != nil {
				return
			}
			in = in[n:]
		}
	})
}

func BenchmarkReader(b *testing.B) {
	frame := wsframetest.Masked(0x81, []byte("0123456789abcdef"))
	buf := make([]byte, len(frame))
	var r Reader
	r.MaxMessage = 1 << 20
	b.SetBytes(int64(len(frame)))
	for i := 0; i < b.N; i++ {
		copy(buf, frame) // Next unmasks in place
		f, _, err := r.Next(buf)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := r.Add(f); err != nil {
			b.Fatal(err)
		}
	}
}

func TestUnpack(t *testing.T) {
	tests := []struct {
		in      []byte
		opcode  int
		flags   int
		payload string
		n       int
	}{
		{Append(nil, OpText, FlagFin, []byte("hello")), OpText, FlagFin, "hello", 7},
		{wsframetest.Masked(0x81, []byte("masked")), OpText, FlagFin | FlagMask, "masked", 12},
		{Append(nil, OpBinary, FlagRSV1, []byte{1, 2}), OpBinary, FlagRSV1, "\x01\x02", 4},
		{append(Append(nil, OpClose, FlagFin, ClosePayload(1000, "x")), 'z'), OpClose, FlagFin, "\x03\xe8x", 5},
		{[]byte{0x81, 0x05, 'h'}, 0, 0, "", 0},
		{[]byte{0x81}, 0, 0, "", 0},
	}
	for _, tt := range tests {
		f, n := Unpack(tt.in)
		if n != tt.n || (n > 0 && (f.Opcode != tt.opcode || f.Flags != tt.flags || string(f.Payload) != tt.payload)) {
			t.Errorf("Unpack(% x) = %d %d %q, %d", tt.in[:min(8, len(tt.in))], f.Opcode, f.Flags, f.Payload, n)
		}
	}
}

func TestDeflate(t *testing.T) {
	msg := bytes.Repeat([]byte("compress me "), 100)
	frame := AppendMessage(nil, OpText, FlagFin|FlagCompress, msg)
	if frame[0] != 0xc1 || len(frame) >= len(msg) {
		t.Fatalf("compressed frame starts % x, %d bytes for %d", frame[:2], len(frame), len(msg))
	}
	// As a client would send it: masked.
	f, _ := Unpack(bytes.Clone(frame))
	in := wsframetest.Masked(0xc1, f.Payload)
	r := Reader{MaxMessage: 1 << 20, Deflate: true}
	got, n, err := r.Next(in)
	if err != nil || n != len(in) {
		t.Fatal(n, err)
	}
	m, ok, err := r.Add(got)
	if err != nil || !ok || !bytes.Equal(m.Payload, msg) || m.Flags != FlagFin|FlagMask|FlagRSV1|FlagCompress {
		t.Fatalf("inflated: %v %v flags %d %q", ok, err, m.Flags, m.Payload[:min(20, len(m.Payload))])
	}

	for _, tt := range []struct {
		name string
		r    Reader
		in   []byte
		code int
	}{
		{"RSV1 without the extension", Reader{MaxMessage: 1 << 20}, in, CloseProtocolError},
		{"RSV1 on a continuation", Reader{MaxMessage: 1 << 20, Deflate: true}, slicesConcat(wsframetest.Masked(0x01, []byte("a")), wsframetest.Masked(0xc0, []byte("b"))), CloseProtocolError},
		{"RSV1 on a ping", Reader{MaxMessage: 1 << 20, Deflate: true}, wsframetest.Masked(0xc9, nil), CloseProtocolError},
		{"inflates past the limit", Reader{MaxMessage: 1000, Deflate: true}, wsframetest.Masked(0xc2, deflate(make([]byte, 5000))), CloseTooBig},
		{"not deflate data", Reader{MaxMessage: 1000, Deflate: true}, wsframetest.Masked(0xc2, []byte{0xff, 0xff, 0xff}), CloseInvalidData},
	} {
		r := tt.r
		var err error
		buf := bytes.Clone(tt.in)
		for len(buf) > 0 && err == nil {
			var f Frame
			var n int
			if f, n, err = r.Next(buf); err == nil && n > 0 {
				_, _, err = r.Add(f)
				buf = buf[n:]
			} else if n == 0 && err == nil {
				break
			}
		}
		if e, ok := err.(*Error); !ok || e.Code != tt.code {
			t.Errorf("%s: %v, want close %d", tt.name, err, tt.code)
		}
	}
	// No compression for what ends no message, or is a control frame.
	for _, f := range [][]byte{
		AppendMessage(nil, OpText, FlagCompress, msg),
		AppendMessage(nil, OpPing, FlagFin|FlagCompress, []byte("p")),
		AppendMessage(nil, OpText, FlagFin|FlagCompress, nil),
	} {
		if f[0]&0x40 != 0 {
			t.Errorf("RSV1 set on % x", f[:2])
		}
	}
}

// TestUnmask: the word-at-a-time unmasking gives the bytes Masked masked,
// for every length around the 8-byte steps.
func TestUnmask(t *testing.T) {
	for n := 0; n <= 40; n++ {
		payload := make([]byte, n)
		for i := range payload {
			payload[i] = byte(i*7 + 1)
		}
		f, _ := Unpack(wsframetest.Masked(0x82, payload))
		if !bytes.Equal(f.Payload, payload) {
			t.Fatalf("%d bytes: %x, want %x", n, f.Payload, payload)
		}
	}
}
