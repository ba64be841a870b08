// Package tests runs PHP scripts under bin/php-swoole and C programs
// linked with the library, and drives them with real clients: gorilla's
// WebSocket client, curl and raw TCP.
package tests

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

var root = func() string {
	dir, err := filepath.Abs("..")
	if err != nil {
		panic(err)
	}
	return dir
}()

// proc is a server process under test.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	exited chan struct{}
	err    error
}

type lockedBuffer struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (l lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// startProc runs name with args from dir and returns at once.
func startProc(t *testing.T, env []string, name string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, exited: make(chan struct{})}
	p.cmd = exec.Command(name, args...)
	p.cmd.Dir = root
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout = lockedBuffer{&p.mu, &p.stdout}
	p.cmd.Stderr = lockedBuffer{&p.mu, &p.stderr}
	// Its own process group, so that the workers a server forks end with it.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
		if t.Failed() {
			t.Logf("%s stdout:\n%s\nstderr:\n%s", name, p.out(), p.errOut())
		}
	})
	return p
}

// php runs a script under bin/php-swoole.
func php(t *testing.T, script string, args ...string) *proc {
	return startProc(t, nil, filepath.Join(root, "bin/php-swoole"), append([]string{script}, args...)...)
}

// serve runs a PHP server script on a free port (its first argument,
// then args) and returns once the port is open.
func serve(t *testing.T, script string, args ...string) (*proc, int) {
	t.Helper()
	port := freePort(t)
	p := php(t, script, append([]string{strconv.Itoa(port)}, args...)...)
	p.waitPort(port)
	return p, port
}

func (p *proc) out() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

func (p *proc) errOut() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait() int {
	p.t.Helper()
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		p.t.Fatalf("process did not exit; stdout %q stderr %q", p.out(), p.errOut())
	}
	return p.cmd.ProcessState.ExitCode()
}

// stop ends a server and every process it forked with SIGKILL and
// returns its whole stdout.
func (p *proc) stop() string {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.exited
	return p.out()
}

// group lists the processes left in the server's process group.
func (p *proc) group() []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pgid, err := syscall.Getpgid(pid); err == nil && pgid == p.cmd.Process.Pid {
			pids = append(pids, pid)
		}
	}
	return pids
}

// waitPort waits until something listens on port. It reads the kernel's
// socket table instead of connecting: a probe connection would be a
// session of its own and change the fds the script prints.
func (p *proc) waitPort(port int) {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second) // the first run builds the library
	for !listening(port) {
		select {
		case <-p.exited:
			p.t.Fatalf("server exited: %v\nstdout %s\nstderr %s", p.err, p.out(), p.errOut())
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("port %d never opened; stderr %s", port, p.errOut())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// listening reports whether a TCP socket listens on port (state 0A in
// /proc/net/tcp or tcp6).
func listening(port int) bool {
	want := fmt.Sprintf(":%04X", port)
	for _, name := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) > 3 && strings.HasSuffix(f[1], want) && f[3] == "0A" {
				return true
			}
		}
	}
	return false
}

// waitOutput waits until stdout is exactly want.
func (p *proc) waitOutput(want string) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for p.out() != want {
		if time.Now().After(deadline) {
			p.t.Fatalf("stdout:\n%q\nwant:\n%q\nstderr:\n%s", p.out(), want, p.errOut())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitStderr waits until stderr matches re.
func (p *proc) waitStderr(re *regexp.Regexp) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !re.MatchString(p.errOut()) {
		if time.Now().After(deadline) {
			p.t.Fatalf("stderr:\n%s\ndoes not match %s", p.errOut(), re)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// freePort returns a port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func dialWS(t *testing.T, port int) *websocket.Conn {
	t.Helper()
	return dialWSAt(t, port, "/")
}

// dialWSAt opens a WebSocket connection to target (path and query).
func dialWSAt(t *testing.T, port int, target string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws://127.0.0.1:%d%s", port, target), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

func readText(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	_, msg, err := c.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	return string(msg)
}

// closeWS sends a close frame and returns the close the server answers.
func closeWS(t *testing.T, c *websocket.Conn, code int, reason string) *websocket.CloseError {
	t.Helper()
	c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue
		}
		ce, ok := err.(*websocket.CloseError)
		if !ok {
			t.Fatalf("wanted a close frame, got %v", err)
		}
		return ce
	}
}

// curl runs curl -si and returns its output and exit code.
func curl(t *testing.T, url string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("curl", append([]string{"-si", "--max-time", "10", url}, args...)...)
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// rawHTTP sends req over TCP and returns the response head, reading
// until the blank line, and the reader holding what came after it.
func rawHTTP(t *testing.T, port int, req string) (string, *bufio.Reader, net.Conn) {
	t.Helper()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, req)
	br := bufio.NewReader(c)
	var head strings.Builder
	for {
		line, err := br.ReadString('\n')
		head.WriteString(line)
		if err != nil || line == "\r\n" {
			return head.String(), br, c
		}
	}
}

// rawExchange sends req over TCP and returns everything the server sends
// until it closes the connection, its Date header masked.
func rawExchange(t *testing.T, port int, req string) string {
	t.Helper()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, req)
	b, _ := io.ReadAll(c)
	return maskDate(string(b))
}

var dateRE = regexp.MustCompile(`Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT`)

func maskDate(s string) string { return dateRE.ReplaceAllString(s, "Date: X") }

// writeScript writes a PHP script into a temporary directory.
func writeScript(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "server.php")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
