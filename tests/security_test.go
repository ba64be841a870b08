package tests

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPHPResponseSplitting: no string a script passes to the response
// API puts a header of its own on the wire. cookie() and rawcookie()
// refuse the attacker's characters as Swoole does (false, no cookie, its
// warning at the script's line); header() accepts a value with CR/LF and
// end() (write(), redirect()) leaves it out with Swoole's warning; a
// trailing CR/LF is trimmed, as Swoole trims it; a reason with CR/LF is
// not sent (Swoole sends it).
func TestPHPResponseSplitting(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/splitting.php")
	log := filepath.Join(t.TempDir(), "server.log")
	p, port := serve(t, script, log)
	const tail = "Server: swoole-http-server\r\nDate: X\r\nConnection: close\r\nContent-Type: text/html\r\n"
	const okBody = "Content-Length: 2\r\n\r\nok"
	plain := "HTTP/1.1 200 OK\r\n" + tail + okBody
	illegal := `",", ";", " ", "\t", "\r", "\n", "\013", or "\014"`
	for _, tt := range []struct {
		path, want, out, warning string
		line                     int
	}{
		{"/cookie-name", plain, "bool(false)\nbool(true)\n",
			`Swoole\Http\Response::cookie(): The name cannot contain "=", ` + illegal, 13},
		{"/cookie-path", plain, "bool(false)\nbool(true)\n",
			`Swoole\Http\Response::cookie(): The path option cannot contain ` + illegal, 16},
		{"/cookie-domain", plain, "bool(false)\nbool(true)\n",
			`Swoole\Http\Response::cookie(): The domain option cannot contain ` + illegal, 19},
		// cookie() encodes the value: nothing to refuse.
		{"/cookie-value", "HTTP/1.1 200 OK\r\nSet-Cookie: a=v%0D%0AX-Injected%3A+y\r\n" + tail + okBody, "bool(true)\nbool(true)\n", "", 0},
		{"/rawcookie-value", plain, "bool(false)\nbool(true)\n",
			`Swoole\Http\Response::rawcookie(): The value cannot contain ` + illegal, 25},
		{"/status", plain, "bool(true)\nbool(true)\n",
			`Swoole\Http\Response::status(): The reason cannot contain control characters, the standard reason phrase is sent instead`, 28},
		{"/header-value", "HTTP/1.1 200 OK\r\nX-B: b\r\n" + tail + okBody, "bool(true)\nbool(true)\nbool(true)\n",
			`Swoole\Http\Response::end(): Header may not contain more than a single header, new line detected`, 59},
		{"/header-name", plain, "bool(false)\nbool(true)\n",
			`Swoole\Http\Response::header(): Header may not contain more than a single header, new line detected`, 35},
		{"/redirect", "HTTP/1.1 302 Found\r\n" + tail + "Content-Length: 0\r\n\r\n", "bool(true)\n",
			`Swoole\Http\Response::redirect(): Header may not contain more than a single header, new line detected`, 38},
		// Swoole's duplicate_header test: trailing white space and line
		// breaks trimmed, null left out, the script's Content-Length kept.
		{"/duplicate", "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nTest-Value: a\r\nTest-Value: b1234\r\nTest-Value: d5678\r\n" +
			"Test-Value: e\r\nTest-Value: 5678\r\nTest-Value: 3.1415926\r\n" + tail + "\r\nhello world", "", "", 0},
		// Swoole's bug_4857: the server decides the length of a chunked body.
		{"/length-chunked", "HTTP/1.1 200 OK\r\n" + tail + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "", "", 0},
		{"/write", "HTTP/1.1 200 OK\r\n" + tail + "Transfer-Encoding: chunked\r\n\r\n1\r\nw\r\n2\r\nok\r\n0\r\n\r\n", "bool(true)\nbool(true)\n",
			`Swoole\Http\Response::write(): Header may not contain more than a single header, new line detected`, 56},
	} {
		before, out := len(p.errOut()), p.out()
		got := rawExchange(t, port, "GET "+tt.path+" HTTP/1.1\r\nConnection: close\r\n\r\n")
		if got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.path, got, tt.want)
		}
		p.waitOutput(out + tt.path + "\n" + tt.out)
		warning := ""
		if tt.warning != "" {
			warning = fmt.Sprintf("PHP Warning:  %s in %s on line %d\n", tt.warning, script, tt.line)
		}
		// stderr is read apart from stdout: wait for it too.
		for deadline := time.Now().Add(2 * time.Second); len(p.errOut()) < before+len(warning) && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		if got := p.errOut()[before:]; got != warning {
			t.Errorf("%s: stderr %q, want %q", tt.path, got, warning)
		}
		if strings.Contains(got, "\nX-Injected") {
			t.Errorf("%s: injected header sent", tt.path)
		}
	}

	// And of a compressed one, whatever the script said.
	got := rawExchange(t, port, "GET /length HTTP/1.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n")
	head, body, _ := strings.Cut(got, "\r\n\r\n")
	if want := fmt.Sprintf("Content-Encoding: gzip\r\nContent-Length: %d", len(body)); !strings.HasSuffix(head, want) || strings.Contains(head, "1000") {
		t.Errorf("/length: %q", got)
	}
	b, _ := os.ReadFile(log)
	for _, why := range []string{"You have set 'Transfer-Encoding'", "The client has set 'Accept-Encoding'"} {
		if line := "WARNING\tContext::build_header() (ERRNO 7105): " + why + ", 'Content-Length' will be ignored\n"; strings.Count(string(b), line) != 1 {
			t.Errorf("log %q lacks %q", b, line)
		}
	}
}

// multipartBody is a multipart/form-data body of n file parts named f0,
// f1, ... with the file name "f" and the content content.
func multipartBody(n int, content string) (contentType, body string) {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "--B\r\nContent-Disposition: form-data; name=\"f%d\"; filename=\"f\"\r\nContent-Type: text/plain\r\n\r\n%s\r\n", i, content)
	}
	b.WriteString("--B--\r\n")
	return "multipart/form-data; boundary=B", b.String()
}

// post is a request with a body.
func post(target, contentType, body string, header ...string) string {
	return fmt.Sprintf("POST %s HTTP/1.1\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s\r\n%s",
		target, contentType, len(body), strings.Join(header, ""), body)
}

// waitFiles waits until dir holds exactly want (sorted names).
func waitFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	var got []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		entries, _ := os.ReadDir(dir)
		got = got[:0]
		for _, e := range entries {
			got = append(got, e.Name())
		}
		if slices.Equal(got, want) {
			return
		}
	}
	t.Fatalf("%s holds %d files, want %v", dir, len(got), want)
}

// TestPHPInputVars: cookies, the query string, an urlencoded body and a
// multipart body's part headers are bounded by PHP's max_input_vars
// (1000), with Swoole's log line for the first three and its PHP warning
// (at the line of start()) for the last, which creates at most the 501
// files Swoole creates for 2,000 file parts.
func TestPHPInputVars(t *testing.T) {
	script := filepath.Join(root, "tests/scripts/input_vars.php")
	dir := t.TempDir()
	log := filepath.Join(t.TempDir(), "server.log")
	p, port := serve(t, script, dir, log)
	const line = "WARNING\tswoole_php_treat_data(): Input variables exceeded 1000. To increase the limit change max_input_vars in php.ini.\n"
	names := make([]string, 12000)
	for i := range names {
		names[i] = strconv.FormatInt(int64(i), 36)
	}
	vars := make([]string, 1010)
	for i := range vars {
		vars[i] = fmt.Sprintf("v%d=1", i)
	}
	ct, files := multipartBody(2000, "")
	out := ""
	for i, tt := range []struct{ req, out string }{
		{"GET / HTTP/1.1\r\nCookie: " + strings.Join(names, "; ") + "\r\n\r\n",
			`{"cookie":1000,"get":0,"post":0,"files":0,"on_disk":0}`},
		{"GET /?" + strings.Join(vars, "&") + " HTTP/1.1\r\n\r\n",
			`{"cookie":0,"get":1000,"post":0,"files":0,"on_disk":0}`},
		{post("/", "application/x-www-form-urlencoded", strings.Join(vars, "&")),
			`{"cookie":0,"get":0,"post":1000,"files":0,"on_disk":0}`},
		{post("/", ct, files),
			`{"cookie":0,"get":0,"post":0,"files":501,"on_disk":501}`},
	} {
		head, _, _ := rawHTTP(t, port, tt.req)
		if !strings.HasPrefix(head, "HTTP/1.1 200 OK\r\n") {
			t.Fatalf("request %d: %q", i, head)
		}
		out += tt.out + "\n"
		p.waitOutput(out)
		b, _ := os.ReadFile(log)
		if n := min(i+1, 3); strings.Count(string(b), line) != n {
			t.Errorf("request %d: log %q, want %d lines %q", i, b, n, line)
		}
	}
	waitFiles(t, dir)
	want := fmt.Sprintf("PHP Warning:  Swoole\\Server::start(): Input variables exceeded 1000. To increase the limit change max_input_vars in php.ini in %s on line 38\n", script)
	if got := p.errOut(); got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}

// TestPHPUploadFiles: the files of an upload never outlive their request,
// whatever ends it, unless the script moved them: a request answered 400,
// a WebSocket handshake (its files live through onOpen), a client gone
// before its body was whole.
func TestPHPUploadFiles(t *testing.T) {
	dir := t.TempDir()
	p, port := serve(t, filepath.Join(root, "tests/scripts/input_vars.php"), dir, filepath.Join(t.TempDir(), "server.log"))
	ct, files := multipartBody(3, "data")

	head, _, _ := rawHTTP(t, port, post("/move", ct, files))
	if !strings.HasPrefix(head, "HTTP/1.1 200 OK\r\n") {
		t.Fatalf("/move: %q", head)
	}
	waitFiles(t, dir, "kept")
	os.Remove(filepath.Join(dir, "kept"))

	head, _, _ = rawHTTP(t, port, post("/refuse", ct, files))
	if !strings.HasPrefix(head, "HTTP/1.1 400 Bad Request\r\n") {
		t.Fatalf("/refuse: %q", head)
	}
	waitFiles(t, dir)

	// A WebSocket handshake that carries a body of 100 files.
	ct, files = multipartBody(100, "data")
	handshake := func(port int) {
		head, _, c := rawHTTP(t, port, "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
			"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"+
			fmt.Sprintf("Content-Type: %s\r\nContent-Length: %d\r\n\r\n%s", ct, len(files), files))
		if !strings.HasPrefix(head, "HTTP/1.1 101 Switching Protocols\r\n") {
			t.Fatalf("handshake: %q", head)
		}
		t.Cleanup(func() { c.Close() })
	}
	const all = `{"cookie":0,"get":0,"post":0,"files":100,"on_disk":100}` + "\n"
	const ok3 = `{"cookie":0,"get":0,"post":0,"files":3,"on_disk":3}` + "\n"
	handshake(port)
	p.waitOutput(ok3 + ok3 + "open " + all)
	waitFiles(t, dir)

	// With a BeforeHandshakeResponse callback, the files live through it
	// and onOpen, then go.
	pb, portB := serve(t, filepath.Join(root, "tests/scripts/input_vars.php"), dir, filepath.Join(t.TempDir(), "server.log"), "bhr")
	handshake(portB)
	pb.waitOutput("before " + all + "open " + all)
	waitFiles(t, dir)

	// Half a body, then the client leaves.
	req := post("/", ct, files)
	c2, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c2, req[:len(req)/2])
	time.Sleep(50 * time.Millisecond)
	c2.Close()
	waitFiles(t, dir)
}
