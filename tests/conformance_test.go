package tests

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/swoole-shim/swoole-shim/core/wsframe/wsframetest"
)

// The RFC 6455 conformance suite, modelled on the Autobahn|Testsuite
// sections 1-7 and 9-10 (the real fuzzing client cannot be installed
// here): raw frames to tests/scripts/echo.php under bin/php-swoole, and
// exactly the frames RFC 6455 requires back. Swoole itself fails many of
// these (no UTF-8 validation, lax framing; see docs/COMPATIBILITY.md).

// reply is a frame the server sends: FIN, opcode, payload.
type reply struct {
	op      byte
	payload string
}

func (r reply) String() string {
	return fmt.Sprintf("op %d %q", r.op, r.payload[:min(len(r.payload), 40)])
}

func closeWith(code int) reply {
	return reply{8, string(binary.BigEndian.AppendUint16(nil, uint16(code)))}
}

// exchange sends frames on a fresh connection, then a text message
// marking the end, and returns the frames the server sends until it closes
// the connection or echoes that marker.
func exchange(t *testing.T, port int, frames ...[]byte) []reply {
	t.Helper()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	br := bufio.NewReader(c)
	c.SetDeadline(time.Now().Add(10 * time.Second))
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		if line == "\r\n" {
			break
		}
	}
	for _, f := range append(frames, wsframetest.Masked(0x81, []byte(endMarker))) {
		c.Write(f)
	}
	var got []reply
	for {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		var h [2]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			return got // closed or quiet
		}
		n := int(h[1] & 0x7f)
		switch n {
		case 126:
			var l [2]byte
			io.ReadFull(br, l[:])
			n = int(binary.BigEndian.Uint16(l[:]))
		case 127:
			var l [8]byte
			io.ReadFull(br, l[:])
			n = int(binary.BigEndian.Uint64(l[:]))
		}
		if h[0]&0x80 == 0 || h[1]&0x80 != 0 {
			t.Fatalf("server frame % x: want FIN and no mask", h)
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(br, p); err != nil {
			t.Fatalf("frame payload: %v", err)
		}
		if r := (reply{h[0] & 0x0f, string(p)}); r != (reply{1, endMarker}) {
			got = append(got, r)
			continue
		}
		return got
	}
}

const endMarker = "end of case"

func TestConformance(t *testing.T) {
	_, port := serve(t, filepath.Join(root, "tests/scripts/echo.php"))

	text := func(s string) reply { return reply{1, s} }
	bin := func(s string) reply { return reply{2, s} }
	rep := func(n int) string { return strings.Repeat("*", n) }
	cases := []struct {
		id     string
		frames [][]byte
		want   []reply
	}{
		// 1: framing, text and binary of every length class.
		{"1.1.1 empty text", [][]byte{wsframetest.Masked(0x81, nil)}, []reply{text("")}},
		{"1.1.2 text 125", [][]byte{wsframetest.Masked(0x81, []byte(rep(125)))}, []reply{text(rep(125))}},
		{"1.1.3 text 126", [][]byte{wsframetest.Masked(0x81, []byte(rep(126)))}, []reply{text(rep(126))}},
		{"1.1.4 text 127", [][]byte{wsframetest.Masked(0x81, []byte(rep(127)))}, []reply{text(rep(127))}},
		{"1.1.5 text 65535", [][]byte{wsframetest.Masked(0x81, []byte(rep(65535)))}, []reply{text(rep(65535))}},
		{"1.1.6 text 65536", [][]byte{wsframetest.Masked(0x81, []byte(rep(65536)))}, []reply{text(rep(65536))}},
		{"1.2.1 empty binary", [][]byte{wsframetest.Masked(0x82, nil)}, []reply{bin("")}},
		{"1.2.2 binary 65536", [][]byte{wsframetest.Masked(0x82, bytes.Repeat([]byte{0xfe}, 65536))}, []reply{bin(string(bytes.Repeat([]byte{0xfe}, 65536)))}},
		// 2: ping and pong.
		{"2.1 ping without payload", [][]byte{wsframetest.Masked(0x89, nil)}, []reply{{10, ""}}},
		{"2.2 ping with payload", [][]byte{wsframetest.Masked(0x89, []byte("Hello"))}, []reply{{10, "Hello"}}},
		{"2.3 ping with binary payload", [][]byte{wsframetest.Masked(0x89, []byte{0, 0xff, 0xfe})}, []reply{{10, "\x00\xff\xfe"}}},
		{"2.4 ping of 125", [][]byte{wsframetest.Masked(0x89, []byte(rep(125)))}, []reply{{10, rep(125)}}},
		{"2.5 ping of 126", [][]byte{wsframetest.Masked(0x89, []byte(rep(126)))}, []reply{closeWith(1002)}},
		{"2.6 unsolicited pong", [][]byte{wsframetest.Masked(0x8a, []byte("x")), wsframetest.Masked(0x81, []byte("after"))}, []reply{text("after")}},
		{"2.10 ten pings", bytes10(wsframetest.Masked(0x89, []byte("p"))), repeatReply(reply{10, "p"}, 10)},
		// 3: reserved bits.
		{"3.1 RSV1", [][]byte{wsframetest.Masked(0xc1, []byte("x"))}, []reply{closeWith(1002)}},
		{"3.2 RSV2 after a valid message", [][]byte{wsframetest.Masked(0x81, []byte("ok")), wsframetest.Masked(0xa1, []byte("x"))}, []reply{text("ok"), closeWith(1002)}},
		{"3.3 RSV3", [][]byte{wsframetest.Masked(0x91, []byte("x"))}, []reply{closeWith(1002)}},
		{"3.7 RSV on a ping", [][]byte{wsframetest.Masked(0xf9, nil)}, []reply{closeWith(1002)}},
		// 4: opcodes.
		{"4.1.1 opcode 3", [][]byte{wsframetest.Masked(0x83, nil)}, []reply{closeWith(1002)}},
		{"4.1.5 opcode 7", [][]byte{wsframetest.Masked(0x87, []byte("x"))}, []reply{closeWith(1002)}},
		{"4.2.1 opcode 11", [][]byte{wsframetest.Masked(0x8b, nil)}, []reply{closeWith(1002)}},
		{"4.2.5 opcode 15 after a valid message", [][]byte{wsframetest.Masked(0x81, []byte("ok")), wsframetest.Masked(0x8f, nil)}, []reply{text("ok"), closeWith(1002)}},
		// 5: fragmentation.
		{"5.1 fragmented ping", [][]byte{wsframetest.Masked(0x09, []byte("a")), wsframetest.Masked(0x80, []byte("b"))}, []reply{closeWith(1002)}},
		{"5.3 text in two fragments", [][]byte{wsframetest.Masked(0x01, []byte("frag")), wsframetest.Masked(0x80, []byte("ment"))}, []reply{text("fragment")}},
		{"5.6 ping between fragments", [][]byte{wsframetest.Masked(0x01, []byte("a")), wsframetest.Masked(0x89, []byte("p")), wsframetest.Masked(0x80, []byte("b"))}, []reply{{10, "p"}, text("ab")}},
		{"5.9 continuation without a message", [][]byte{wsframetest.Masked(0x80, []byte("x")), wsframetest.Masked(0x81, []byte("y"))}, []reply{closeWith(1002)}},
		{"5.15 text inside a fragmented message", [][]byte{wsframetest.Masked(0x01, []byte("a")), wsframetest.Masked(0x81, []byte("b"))}, []reply{closeWith(1002)}},
		{"5.19 many fragments", [][]byte{wsframetest.Masked(0x01, []byte("1")), wsframetest.Masked(0x00, []byte("2")), wsframetest.Masked(0x00, []byte("3")), wsframetest.Masked(0x80, []byte("4"))}, []reply{text("1234")}},
		{"5.20 empty fragments", [][]byte{wsframetest.Masked(0x01, nil), wsframetest.Masked(0x00, nil), wsframetest.Masked(0x80, nil)}, []reply{text("")}},
		// 6: UTF-8.
		{"6.2 valid multi-byte", [][]byte{wsframetest.Masked(0x81, []byte("Hello-µ@ßöäüàá-UTF-8!!"))}, []reply{text("Hello-µ@ßöäüàá-UTF-8!!")}},
		{"6.2.3 valid, split mid-character", [][]byte{wsframetest.Masked(0x01, []byte{0xce}), wsframetest.Masked(0x80, []byte{0xba})}, []reply{text("κ")}},
		{"6.3 invalid", [][]byte{wsframetest.Masked(0x81, []byte{0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64})}, []reply{closeWith(1007)}},
		{"6.4 invalid across fragments", [][]byte{wsframetest.Masked(0x01, []byte{0xce, 0xba}), wsframetest.Masked(0x80, []byte{0xf4, 0x90, 0x80, 0x80})}, []reply{closeWith(1007)}},
		{"6.6 overlong", [][]byte{wsframetest.Masked(0x81, []byte{0xc0, 0xaf})}, []reply{closeWith(1007)}},
		{"6.7 surrogate", [][]byte{wsframetest.Masked(0x81, []byte{0xed, 0xa0, 0x80})}, []reply{closeWith(1007)}},
		{"6.x binary is not checked", [][]byte{wsframetest.Masked(0x82, []byte{0xc0, 0xaf})}, []reply{bin("\xc0\xaf")}},
		// 7: closing.
		{"7.1.1 close without payload", [][]byte{wsframetest.Masked(0x88, nil)}, []reply{{8, ""}}},
		{"7.1.3 data after close is ignored", [][]byte{wsframetest.Masked(0x88, nil), wsframetest.Masked(0x81, []byte("late"))}, []reply{{8, ""}}},
		{"7.3.2 close payload of 1 byte", [][]byte{wsframetest.Masked(0x88, []byte{0x03})}, []reply{closeWith(1002)}},
		{"7.3.3 close 1000", [][]byte{wsframetest.Masked(0x88, []byte{0x03, 0xe8})}, []reply{{8, "\x03\xe8"}}},
		{"7.3.4 close 1000 with reason", [][]byte{wsframetest.Masked(0x88, []byte("\x03\xe8Hello World!"))}, []reply{{8, "\x03\xe8Hello World!"}}},
		{"7.3.5 close reason of 123", [][]byte{wsframetest.Masked(0x88, append([]byte{0x03, 0xe8}, rep(123)...))}, []reply{{8, "\x03\xe8" + rep(123)}}},
		{"7.3.6 close reason too long", [][]byte{wsframetest.Masked(0x88, append([]byte{0x03, 0xe8}, rep(124)...))}, []reply{closeWith(1002)}},
		{"7.5.1 close reason not UTF-8", [][]byte{wsframetest.Masked(0x88, []byte{0x03, 0xe8, 0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80})}, []reply{closeWith(1007)}},
		// 9: limits (package_max_length is 1 MiB in echo.php).
		{"9.x message at the limit", [][]byte{wsframetest.Masked(0x82, bytes.Repeat([]byte{1}, 1<<20))}, []reply{bin(string(bytes.Repeat([]byte{1}, 1<<20)))}},
		{"9.x message over the limit", [][]byte{wsframetest.Masked(0x82, bytes.Repeat([]byte{1}, 1<<20+1))}, []reply{closeWith(1009)}},
		{"9.x fragments over the limit", [][]byte{wsframetest.Masked(0x02, bytes.Repeat([]byte{1}, 1<<19)), wsframetest.Masked(0x80, bytes.Repeat([]byte{1}, 1<<19+1))}, []reply{closeWith(1009)}},
		// 10: messages of several frames both ways.
		{"10.1 text of 64 KiB in 64 fragments", fragments(64, 1024), []reply{text(rep(64 * 1024))}},
		// unmasked client frames (RFC 6455 §5.1).
		{"5.1 unmasked frame", [][]byte{{0x81, 0x02, 'h', 'i'}}, []reply{closeWith(1002)}},
	}
	// Valid close codes are echoed; invalid ones get 1002 (7.7 and 7.9).
	for _, code := range []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999} {
		payload := binary.BigEndian.AppendUint16(nil, uint16(code))
		cases = append(cases, struct {
			id     string
			frames [][]byte
			want   []reply
		}{fmt.Sprintf("7.7 close %d", code), [][]byte{wsframetest.Masked(0x88, payload)}, []reply{{8, string(payload)}}})
	}
	for _, code := range []int{0, 999, 1004, 1005, 1006, 1012, 1015, 1016, 1100, 2000, 2999, 5000, 65535} {
		payload := binary.BigEndian.AppendUint16(nil, uint16(code))
		cases = append(cases, struct {
			id     string
			frames [][]byte
			want   []reply
		}{fmt.Sprintf("7.9 close %d", code), [][]byte{wsframetest.Masked(0x88, payload)}, []reply{closeWith(1002)}})
	}
	for _, tt := range cases {
		got := exchange(t, port, tt.frames...)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.id, got, tt.want)
		}
	}
}

func bytes10(f []byte) [][]byte {
	out := make([][]byte, 10)
	for i := range out {
		out[i] = f
	}
	return out
}

func repeatReply(r reply, n int) []reply {
	out := make([]reply, n)
	for i := range out {
		out[i] = r
	}
	return out
}

// fragments is a text message of n fragments of size bytes each.
func fragments(n, size int) [][]byte {
	var out [][]byte
	for i := 0; i < n; i++ {
		b0 := byte(0x00)
		if i == 0 {
			b0 = 0x01
		}
		if i == n-1 {
			b0 |= 0x80
		}
		out = append(out, wsframetest.Masked(b0, bytes.Repeat([]byte("*"), size)))
	}
	return out
}
