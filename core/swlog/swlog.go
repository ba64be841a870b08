// Package swlog writes log lines in Swoole's format:
//
//	[2026-11-25 22:26:30 *31398.0]\tNOTICE\tmessage
//
// (date, '*' for a worker, pid, worker id, then level and text, TAB
// separated). Lines go to stdout unless a log file is set, and only at or
// above the configured level, as Swoole's log_file and log_level do.
package swlog

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Levels, as Swoole's SWOOLE_LOG_* constants.
const (
	Debug   = 0
	Trace   = 1
	Info    = 2
	Notice  = 3
	Warning = 4
	Error   = 5
	None    = 6
)

var levelNames = [...]string{"DEBUG", "TRACE", "INFO", "NOTICE", "WARNING", "ERROR"}

// Logger is safe for concurrent use.
type Logger struct {
	mu      sync.Mutex
	out     io.Writer
	file    *os.File
	level   int
	symbol  byte // '%' before the server starts, '*' in the worker
	worker  int
	pid     int
	now     func() time.Time
	datefmt string
}

// New returns a logger writing to out at level Info.
func New(out io.Writer) *Logger {
	return &Logger{out: out, level: Info, symbol: '%', pid: os.Getpid(), now: time.Now}
}

// SetLevel sets the lowest level written.
func (l *Logger) SetLevel(level int) {
	l.mu.Lock()
	l.level = level
	l.mu.Unlock()
}

// SetWorker marks the lines that follow as written by worker id, as
// Swoole's "*pid.id" does once the worker runs.
func (l *Logger) SetWorker(id int) {
	l.mu.Lock()
	l.symbol, l.worker = '*', id
	l.mu.Unlock()
}

// SetFile sends lines to the file at path (appending), as log_file does.
func (l *Logger) SetFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file != nil {
		l.file.Close()
	}
	l.file, l.out = f, f
	return nil
}

// SetDateFormat sets the date as a strftime format (log_date_format).
func (l *Logger) SetDateFormat(format string) {
	l.mu.Lock()
	l.datefmt = format
	l.mu.Unlock()
}

// Logf writes one line at level.
func (l *Logger) Logf(level int, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if level < l.level || level >= None {
		return
	}
	date := Strftime(l.now(), l.datefmt)
	fmt.Fprintf(l.out, "[%s %c%d.%d]\t%s\t%s\n", date, l.symbol, l.pid, l.worker, levelNames[level], fmt.Sprintf(format, args...))
}

// Close closes the log file, if any.
func (l *Logger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		return nil
	}
	err := l.file.Close()
	l.file, l.out = nil, os.Stdout
	return err
}

// Strftime formats t with the strftime conversions Swoole's
// log_date_format uses; an empty format is Swoole's default
// "%Y-%m-%d %H:%M:%S".
func Strftime(t time.Time, format string) string {
	if format == "" {
		return t.Format("2006-01-02 15:04:05")
	}
	var b []byte
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b = append(b, c)
			continue
		}
		i++
		switch format[i] {
		case 'Y':
			b = t.AppendFormat(b, "2006")
		case 'y':
			b = t.AppendFormat(b, "06")
		case 'm':
			b = t.AppendFormat(b, "01")
		case 'd':
			b = t.AppendFormat(b, "02")
		case 'e':
			b = t.AppendFormat(b, "_2")
		case 'H':
			b = t.AppendFormat(b, "15")
		case 'I':
			b = t.AppendFormat(b, "03")
		case 'M':
			b = t.AppendFormat(b, "04")
		case 'S':
			b = t.AppendFormat(b, "05")
		case 'p':
			b = t.AppendFormat(b, "PM")
		case 'a':
			b = t.AppendFormat(b, "Mon")
		case 'A':
			b = t.AppendFormat(b, "Monday")
		case 'b', 'h':
			b = t.AppendFormat(b, "Jan")
		case 'B':
			b = t.AppendFormat(b, "January")
		case 'z':
			b = t.AppendFormat(b, "-0700")
		case 'Z':
			b = t.AppendFormat(b, "MST")
		case 'j':
			b = fmt.Appendf(b, "%03d", t.YearDay())
		case 's':
			b = fmt.Appendf(b, "%d", t.Unix())
		case 'F':
			b = t.AppendFormat(b, "2006-01-02")
		case 'T':
			b = t.AppendFormat(b, "15:04:05")
		case 'D':
			b = t.AppendFormat(b, "01/02/06")
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case '%':
			b = append(b, '%')
		default:
			b = append(b, '%', format[i])
		}
	}
	return string(b)
}
