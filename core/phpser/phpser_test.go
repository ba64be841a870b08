package phpser

import "testing"

func TestEncoder(t *testing.T) {
	tests := []struct {
		name string
		fn   func(e *Encoder)
		want string
	}{
		{"null", func(e *Encoder) { e.Null() }, `N;`},
		{"int", func(e *Encoder) { e.Int(-42) }, `i:-42;`},
		{"float", func(e *Encoder) { e.Float(1764110790.25) }, `d:1.76411079025e+09;`},
		{"binary string", func(e *Encoder) { e.String("a\"\x00b") }, "s:4:\"a\"\x00b\";"},
		{"empty pairs", func(e *Encoder) { e.StringArray(nil) }, `N;`},
		{"pairs", func(e *Encoder) {
			e.StringArray(Pairs{{"host", "x"}, {"a", "1"}, {"7", "n"}, {"a", "2"}})
		}, `a:3:{s:4:"host";s:1:"x";s:1:"a";a:2:{i:0;s:1:"1";i:1;s:1:"2";}i:7;s:1:"n";}`},
		{"numeric-looking keys", func(e *Encoder) {
			e.StringArray(Pairs{{"07", "a"}, {"-3", "b"}})
		}, `a:2:{s:2:"07";s:1:"a";i:-3;s:1:"b";}`},
	}
	for _, tt := range tests {
		var e Encoder
		tt.fn(&e)
		if string(e.Buf) != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, e.Buf, tt.want)
		}
	}
}
