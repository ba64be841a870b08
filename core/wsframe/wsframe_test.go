package wsframe

import (
	"bytes"
	"testing"
)

func TestAppend(t *testing.T) {
	long := bytes.Repeat([]byte{'a'}, 126)
	huge := bytes.Repeat([]byte{'b'}, 65536)
	tests := []struct {
		name    string
		opcode  int
		flags   int
		payload []byte
		want    []byte
	}{
		{"text fin", OpText, FlagFin, []byte("hi"), []byte{0x81, 2, 'h', 'i'}},
		{"binary no fin", OpBinary, 0, []byte{1}, []byte{0x02, 1, 1}},
		{"continuation fin", OpContinuation, FlagFin, nil, []byte{0x80, 0}},
		{"rsv bits", OpText, FlagFin | FlagRSV1 | FlagRSV2 | FlagRSV3, nil, []byte{0xf1, 0}},
		{"mask flag ignored", OpText, FlagFin | FlagMask, nil, []byte{0x81, 0}},
		{"close", OpClose, FlagFin, ClosePayload(1000, "ok"), []byte{0x88, 4, 0x03, 0xe8, 'o', 'k'}},
		{"16-bit length", OpText, FlagFin, long, append([]byte{0x81, 126, 0, 126}, long...)},
		{"64-bit length", OpBinary, FlagFin, huge, append([]byte{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}, huge...)},
	}
	for _, tt := range tests {
		got := Append(nil, tt.opcode, tt.flags, tt.payload)
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%s: got % x, want % x", tt.name, got[:min(len(got), 12)], tt.want[:min(len(tt.want), 12)])
		}
	}
}

func TestValidOpcode(t *testing.T) {
	for op := 0; op < 16; op++ {
		want := op <= 2 || (op >= 8 && op <= 10)
		if ValidOpcode(op) != want {
			t.Errorf("ValidOpcode(%d) = %v", op, !want)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	buf := make([]byte, 0, 64)
	payload := []byte("server: hello world")
	for i := 0; i < b.N; i++ {
		buf = Append(buf[:0], OpText, FlagFin, payload)
	}
}
