package swlog

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

func TestLogf(t *testing.T) {
	at := time.Date(2026, 11, 25, 22, 26, 30, 0, time.Local)
	tests := []struct {
		level, at int
		want      string
	}{
		{Info, Notice, fmt.Sprintf("[2026-11-25 22:26:30 *%d.0]\tNOTICE\thello 7\n", 31398)},
		{Info, Info, fmt.Sprintf("[2026-11-25 22:26:30 *%d.0]\tINFO\thello 7\n", 31398)},
		{Warning, Notice, ""},
		{None, Error, ""},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		l := New(&buf)
		l.pid = 31398
		l.SetWorker(0)
		l.now = func() time.Time { return at }
		l.SetLevel(tt.level)
		l.Logf(tt.at, "hello %d", 7)
		if buf.String() != tt.want {
			t.Errorf("level %d, line at %d: got %q, want %q", tt.level, tt.at, buf.String(), tt.want)
		}
	}
}

func TestStrftime(t *testing.T) {
	at := time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC)
	tests := map[string]string{
		"":                  "2026-03-05 07:08:09",
		"%Y-%m-%d %H:%M:%S": "2026-03-05 07:08:09",
		"%d/%b/%Y %T %%":    "05/Mar/2026 07:08:09 %",
		"%j %s %q":          "064 1772694489 %q",
	}
	for format, want := range tests {
		if got := Strftime(at, format); got != want {
			t.Errorf("Strftime(%q) = %q, want %q", format, got, want)
		}
	}
}

func TestBeforeStart(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf)
	l.pid = 7
	l.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local) }
	l.Logf(Warning, "x")
	if want := "[2026-01-02 03:04:05 %7.0]\tWARNING\tx\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
