package tests

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// readSlowly reads n bytes from r in small pieces, pausing after each
// MiB, and returns how many of them were b.
func readSlowly(r io.Reader, n int, b byte) (int, error) {
	buf := make([]byte, 4096)
	same := 0
	for read := 0; read < n; {
		k, err := r.Read(buf[:min(len(buf), n-read)])
		same += bytes.Count(buf[:k], []byte{b})
		read += k
		if err != nil {
			return same, err
		}
		if read%(1<<20) < k {
			time.Sleep(5 * time.Millisecond)
		}
	}
	return same, nil
}

// waitContains waits until the process's stdout contains want.
func (p *proc) waitContains(want string) {
	p.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(p.out(), want); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			p.t.Fatalf("stdout %q, want %q in it; stderr %s", p.out(), want, p.errOut())
		}
	}
}

// TestLargeOutput: with a 1 MiB socket_buffer_size, end() and push() of
// 16 MiB to a client that reads slowly return true and deliver every
// byte (Swoole takes a message whole while the connection's queue is
// under the cap), another client is served meanwhile, and a response
// whose write fails closes its connection rather than leave the client
// waiting for the rest. Before, end() returned false after about 5 MB,
// and the connection then stayed open for ever.
func TestLargeOutput(t *testing.T) {
	p, port := serve(t, filepath.Join(root, "tests/scripts/large.php"), t.TempDir())

	t.Run("end", func(t *testing.T) {
		head, br, _ := rawHTTP(t, port, "GET /big HTTP/1.1\r\n\r\n")
		if !strings.Contains(head, "Content-Length: 16777216\r\n") {
			t.Fatalf("head %q", head)
		}
		if got := rawExchange(t, port, "GET /small HTTP/1.0\r\n\r\n"); !strings.HasSuffix(got, "\r\n\r\nsmall") {
			t.Errorf("the other client, meanwhile: %q", got)
		}
		if n, err := readSlowly(br, 16<<20, 'A'); n != 16<<20 || err != nil {
			t.Errorf("body: %d of 16 MiB, %v", n, err)
		}
		p.waitContains("end: true\n")
	})

	t.Run("push", func(t *testing.T) {
		ws := dialWS(t, port)
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		ws.WriteMessage(websocket.TextMessage, []byte("big"))
		other := dialWS(t, port)
		other.SetReadDeadline(time.Now().Add(10 * time.Second))
		other.WriteMessage(websocket.TextMessage, []byte("hello"))
		if got := readText(t, other); got != "hello" {
			t.Errorf("the other client, meanwhile: %q", got)
		}
		_, r, err := ws.NextReader()
		if err != nil {
			t.Fatal(err)
		}
		n, err := readSlowly(r, 16<<20, 'W')
		if rest, _ := io.Copy(io.Discard, r); n != 16<<20 || err != nil || rest != 0 {
			t.Errorf("message: %d of 16 MiB, %v, %d bytes more", n, err, rest)
		}
		p.waitContains("push: true\n")
	})

	t.Run("cut", func(t *testing.T) {
		_, br, _ := rawHTTP(t, port, "GET /cut HTTP/1.1\r\n\r\n")
		p.waitContains("write: true false\n")
		n, err := io.Copy(io.Discard, br) // ends at EOF, not at the deadline
		if err != nil || n >= 16<<20 {
			t.Errorf("after the failed write: %d bytes, %v; want EOF before the whole chunk", n, err)
		}
	})
}

// rss is the resident memory of process pid, from /proc.
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// TestFilesStreamed: static files and sendfile() are sent from the file
// as the socket takes them, never read into memory, on a plain port and
// through TLS. Eight clients that ask for a 512 MiB file (sparse: no disk
// used), four from the static handler and four through sendfile(), and do
// not read, and four "Range: bytes=0-0" requests (one byte each) leave
// the server's resident memory where it was; meanwhile a client downloads
// another file whole, byte for byte, and sendfile() sends the range
// asked. Before, each request read the whole file: +512 MiB apiece. A
// client that pipelines 500 requests for the file costs one open file.
func TestFilesStreamed(t *testing.T) {
	docRoot := t.TempDir()
	big, err := os.Create(filepath.Join(docRoot, "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(512 << 20); err != nil {
		t.Fatal(err)
	}
	big.Close()
	data := make([]byte, 4<<20)
	rand.Read(data)
	if err := os.WriteFile(filepath.Join(docRoot, "rand.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("rand.bin", filepath.Join(docRoot, "link.bin")); err != nil {
		t.Fatal(err)
	}
	cert, key := selfSigned(t)
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"plain", nil},
		{"tls", []string{cert, key}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, port := serve(t, filepath.Join(root, "tests/scripts/large.php"), append([]string{docRoot}, tt.args...)...)
			addr := fmt.Sprintf("127.0.0.1:%d", port)
			// send opens a connection, sends req and returns a reader of
			// what comes back.
			send := func(req string) *bufio.Reader {
				var c net.Conn
				var err error
				if tt.args != nil {
					c, err = tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
				} else {
					c, err = net.Dial("tcp", addr)
				}
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { c.Close() })
				c.SetDeadline(time.Now().Add(20 * time.Second))
				io.WriteString(c, req)
				return bufio.NewReader(c)
			}
			exchange := func(req string) string {
				b, _ := io.ReadAll(send(req))
				return string(b)
			}
			if got := exchange("GET /sendfile?name=rand.bin&offset=1000&length=5000 HTTP/1.0\r\n\r\n"); !strings.HasSuffix(got, "\r\n\r\n"+string(data[1000:6000])) {
				t.Fatalf("sendfile() of a range: %d bytes", len(got))
			}
			if got := exchange("GET /sendfile?name=link.bin&offset=0&length=10 HTTP/1.0\r\n\r\n"); !strings.HasSuffix(got, "\r\n\r\n"+string(data[:10])) {
				t.Errorf("sendfile() of a symbolic link: %q", got)
			}
			if got := exchange("GET /chunked-sendfile HTTP/1.0\r\n\r\n"); !strings.HasSuffix(got, "\r\n\r\n1\r\nx\r\n0\r\n\r\n") {
				t.Errorf("sendfile() after write(): %q", got)
			}
			p.waitContains("sendfile: false\n")
			if !strings.Contains(p.errOut(), "Swoole\\Http\\Response::sendfile(): can't use sendfile when HTTP chunk is enabled in ") {
				t.Errorf("sendfile() after write(): stderr %q", p.errOut())
			}
			before := rss(t, p.cmd.Process.Pid)

			for _, target := range []string{"/big.bin", "/sendfile?name=big.bin&offset=0&length=0"} {
				for range 4 {
					if head, err := send("GET " + target + " HTTP/1.1\r\n\r\n").ReadString('\n'); head != "HTTP/1.1 200 OK\r\n" {
						t.Fatalf("%s: %q %v", target, head, err)
					}
					// and reads no more
				}
			}
			for range 4 {
				got := exchange("GET /big.bin HTTP/1.1\r\nRange: bytes=0-0\r\nConnection: close\r\n\r\n")
				if !strings.Contains(got, "\r\nContent-Length: 1\r\n") || !strings.HasSuffix(got, "\r\n\r\n\x00") {
					t.Errorf("Range: bytes=0-0: %q", got)
				}
			}
			br := send("GET /rand.bin HTTP/1.1\r\n\r\n")
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					t.Fatal(err)
				}
				if line == "\r\n" {
					break
				}
			}
			h := sha256.New()
			if n, err := io.CopyN(h, br, int64(len(data))); err != nil || !bytes.Equal(h.Sum(nil), sum(data)) {
				t.Errorf("download: %d bytes, %v, checksum differs", n, err)
			}
			grown := rss(t, p.cmd.Process.Pid) - before
			t.Logf("resident memory: %+d KiB", grown>>10)
			if grown > 64<<20 {
				t.Errorf("resident memory grew by %d MiB", grown>>20)
			}

			// 500 requests pipelined in one write open one file at a time.
			fds := openFDs(t, p.cmd.Process.Pid)
			pipelined := send(strings.Repeat("GET /big.bin HTTP/1.1\r\n\r\n", 500))
			if head, err := pipelined.ReadString('\n'); head != "HTTP/1.1 200 OK\r\n" {
				t.Fatalf("pipelined: %q %v", head, err)
			}
			if n := openFDs(t, p.cmd.Process.Pid) - fds; n > 10 {
				t.Errorf("%d more descriptors open for one connection with 500 pipelined requests", n)
			}
		})
	}
}

// openFDs is the number of descriptors process pid has open.
func openFDs(t *testing.T, pid int) int {
	t.Helper()
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
