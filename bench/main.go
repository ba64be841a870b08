// Command bench measures swoole-shim against a plain Go gorilla/websocket
// echo server, both driven by the same load client in the same run, and
// prints the figures and their ratios (./build.sh bench).
//
//	bench [-quick] [-out FILE]   run everything, write the table to FILE
//	bench -soak DURATION         soak the PHP server: connections open,
//	                             exchange and close for DURATION; its
//	                             memory and fds must not grow
//	bench baseline PORT          serve the baseline (used by the run)
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/gorilla/websocket"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "baseline" {
		baseline(os.Args[2])
		return
	}
	quick := flag.Bool("quick", false, "shorter runs and 2,000 idle connections (a smoke test)")
	out := flag.String("out", "", "also write the results table to this file")
	root := flag.String("root", ".", "the checkout")
	soakFor := flag.Duration("soak", 0, "soak the PHP server for this long instead of benchmarking")
	flag.Parse()
	raiseFDLimit()
	if *soakFor > 0 {
		soak(filepath.Join(*root, "bin/php-swoole"), filepath.Join(*root, "bench/echo.php"), *soakFor)
		return
	}

	cfg := config{duration: 5 * time.Second, idle: 10000, pieces: 24 << 20}
	if *quick {
		cfg = config{duration: time.Second, idle: 2000, pieces: 4 << 20}
	}
	self, _ := os.Executable()
	php := []string{filepath.Join(*root, "bin/php-swoole"), filepath.Join(*root, "bench/echo.php")}
	servers := []server{
		{name: "Go gorilla baseline", cmd: []string{self, "baseline"}},
		{name: "swoole-shim (PHP)", cmd: php},
	}
	results := make([]result, len(servers))
	for i, s := range servers {
		fmt.Fprintf(os.Stderr, "== %s\n", s.name)
		results[i] = measure(s, cfg)
	}
	// The same script with as many workers as the baseline has threads
	// (SWOOLE_BASE: each worker serves the connections it accepted).
	workers := server{name: fmt.Sprintf("swoole-shim (PHP), %d workers", runtime.NumCPU()), cmd: php,
		env: []string{fmt.Sprintf("BENCH_WORKERS=%d", runtime.NumCPU())}}
	fmt.Fprintf(os.Stderr, "== %s\n", workers.name)
	multi := measureEcho(workers, cfg)
	table := render(results, multi, cfg)
	fmt.Print(table)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(table), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

type config struct {
	duration time.Duration
	idle     int
	pieces   int // bytes of the body and message sent in 1 KiB pieces
}

type server struct {
	name string
	cmd  []string
	env  []string
}

type echoResult struct {
	conns    int
	rate     float64 // messages per second
	p50, p99 time.Duration
}

type result struct {
	echo       []echoResult
	kibPerConn float64
	broadcast  time.Duration
	stalledP99 time.Duration // p99 at 50 connections while one client stops reading
	// p50 at one connection with client and server pinned to one CPU, and
	// to two different CPUs (0 if the machine has one)
	sameCPU, otherCPU time.Duration
	cpuPerMsg         time.Duration // server CPU time per message at 50 connections
	// server CPU time per MiB of a POST body and of a WebSocket message
	// sent in 1 KiB pieces
	bodyCPU, messageCPU time.Duration
	trickleCPU          time.Duration // server CPU while a body trickles in, a byte every 2 ms for 3 s
}

// measureEcho measures the echo at 50 and 1,000 connections only, and the
// server's CPU per message (all its processes').
func measureEcho(s server, cfg config) result {
	pid, port, stop := launch(s)
	defer stop()
	var r result
	r.echo, r.cpuPerMsg = echoRuns(fmt.Sprintf("ws://127.0.0.1:%d/", port), pid, []int{50, 1000}, cfg)
	return r
}

// echoRuns measures the echo at each number of connections, after a warm
// up, and the server's CPU per message at 50.
func echoRuns(addr string, pid int, conns []int, cfg config) (runs []echoResult, cpuPerMsg time.Duration) {
	echo(addr, 10, cfg.duration/5) // warm up
	for _, n := range conns {
		cpu0 := cpuTime(pid)
		e := echo(addr, n, cfg.duration)
		if n == 50 {
			cpuPerMsg = time.Duration(float64(cpuTime(pid)-cpu0) / (e.rate * cfg.duration.Seconds()))
		}
		fmt.Fprintf(os.Stderr, "   %4d connections: %8.0f msg/s, p50 %v, p99 %v\n", n, e.rate, e.p50, e.p99)
		runs = append(runs, e)
	}
	return runs, cpuPerMsg
}

func measure(s server, cfg config) result {
	pid, port, stop := launch(s)
	defer stop()
	addr := fmt.Sprintf("ws://127.0.0.1:%d/", port)

	var r result
	// Memory first, before other phases leave garbage in the heap.
	r.kibPerConn, r.broadcast = idleAndBroadcast(addr, pid, cfg.idle)
	fmt.Fprintf(os.Stderr, "   %d idle connections: %.1f KiB each; broadcast to all (median of %d): %v\n", cfg.idle, r.kibPerConn, broadcasts, r.broadcast)
	r.echo, r.cpuPerMsg = echoRuns(addr, pid, []int{1, 50, 1000}, cfg)
	r.sameCPU = pinned(addr, pid, 0, cfg.duration)
	if runtime.NumCPU() > 1 {
		r.otherCPU = pinned(addr, pid, 1, cfg.duration)
	}
	fmt.Fprintf(os.Stderr, "      1 connection, p50 on one CPU %v, on two CPUs %v\n", r.sameCPU, r.otherCPU)
	r.stalledP99 = stalled(addr, cfg.duration)
	fmt.Fprintf(os.Stderr, "   50 connections + a stalled client: p99 %v\n", r.stalledP99)
	r.bodyCPU, r.messageCPU = inPieces(addr, port, pid, cfg.pieces)
	fmt.Fprintf(os.Stderr, "   %d MiB in 1 KiB pieces, server CPU per MiB: POST body %v, message %v\n", cfg.pieces>>20, r.bodyCPU, r.messageCPU)
	r.trickleCPU = trickle(port, pid, trickleFor)
	fmt.Fprintf(os.Stderr, "   a body trickled a byte every 2 ms for %v: server CPU %v\n", trickleFor, r.trickleCPU)
	return r
}

// trickleFor is how long trickle sends (issue 18 measured 3 s).
const trickleFor = 3 * time.Second

// trickle declares a 1 MiB body and sends it a byte every 2 ms for d, as
// a slow or hostile client does, and returns the server's CPU time meanwhile.
func trickle(port, pid int, d time.Duration) time.Duration {
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", 1<<20)
	cpu0 := cpuTime(pid)
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
		if _, err := c.Write([]byte("x")); err != nil {
			fatal(err)
		}
	}
	return cpuTime(pid) - cpu0
}

// inPieces sends a POST body and a WebSocket message of size bytes, each
// in 1 KiB writes, and returns the server's CPU time per MiB for each. The
// servers answer with the length they received.
func inPieces(addr string, port, pid, size int) (body, message time.Duration) {
	perMiB := func(cpu0 time.Duration) time.Duration {
		return (cpuTime(pid) - cpu0) * (1 << 20) / time.Duration(size)
	}
	send := func(c net.Conn, p []byte) {
		for off := 0; off < len(p); off += 1 << 10 {
			if _, err := c.Write(p[off:min(off+1<<10, len(p))]); err != nil {
				fatal(err)
			}
		}
	}
	want := strconv.Itoa(size)

	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		fatal(err)
	}
	defer c.Close()
	cpu0 := cpuTime(pid)
	fmt.Fprintf(c, "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n\r\n", size)
	send(c, bytes.Repeat([]byte("x"), size))
	c.SetReadDeadline(time.Now().Add(time.Minute))
	if got, err := io.ReadAll(c); err != nil && !errors.Is(err, syscall.ECONNRESET) || !bytes.HasSuffix(got, []byte("\r\n\r\n"+want)) {
		fatal(fmt.Errorf("body in pieces: %q %v", got[:min(len(got), 300)], err))
	}
	body = perMiB(cpu0)

	ws, err := dial(addr)
	if err != nil {
		fatal(err)
	}
	defer ws.Close()
	cpu0 = cpuTime(pid)
	frame := []byte{0x82, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0} // a zero mask key
	binary.BigEndian.PutUint64(frame[2:], uint64(size))
	send(ws.UnderlyingConn(), append(frame, bytes.Repeat([]byte("x"), size)...))
	if _, got, err := ws.ReadMessage(); err != nil || string(got) != want {
		fatal(fmt.Errorf("message in pieces: %q %v", got, err))
	}
	return body, perMiB(cpu0)
}

// dial opens a WebSocket connection and reads the welcome.
func dial(addr string) (*websocket.Conn, error) {
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	c, resp, err := d.Dial(addr, nil)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if _, _, err := c.ReadMessage(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func dialAll(addr string, n int) []*websocket.Conn {
	conns := make([]*websocket.Conn, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := range conns {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := dial(addr)
			if err != nil {
				fatal(fmt.Errorf("dial %d: %w", i, err))
			}
			conns[i] = c
		}()
	}
	wg.Wait()
	return conns
}

func closeAll(conns []*websocket.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// echo runs n connections in ping-pong (send 16 bytes, wait for the echo,
// send again) for d and returns the rate and round-trip percentiles.
func echo(addr string, n int, d time.Duration) echoResult {
	conns := dialAll(addr, n)
	defer closeAll(conns)
	msg := []byte("0123456789abcdef")
	want := len("server: ") + len(msg)
	rtts := make([][]time.Duration, n)
	var stop atomic.Bool
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				t := time.Now()
				if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
					fatal(err)
				}
				_, got, err := c.ReadMessage()
				if err != nil || len(got) != want {
					fatal(fmt.Errorf("echo: %q %v", got, err))
				}
				rtts[i] = append(rtts[i], time.Since(t))
			}
		}()
	}
	time.Sleep(d)
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(rtts...)
	slices.Sort(all)
	return echoResult{
		conns: n,
		rate:  float64(len(all)) / elapsed.Seconds(),
		p50:   all[len(all)/2],
		p99:   all[len(all)*99/100],
	}
}

// pinned measures the p50 at one connection with the server's threads on
// CPU 0 and the client's on clientCPU. Unpinned, that figure depends on
// where the kernel wakes each side: on the CPU the other one just left
// (about 10 µs here) or on the other, idle CPU (40–80 µs), and the Go
// baseline lands in either from one run to the next.
func pinned(addr string, pid, clientCPU int, d time.Duration) time.Duration {
	setAffinity(pid, 1<<0)
	setAffinity(os.Getpid(), 1<<clientCPU)
	defer setAffinity(os.Getpid(), allCPUs)
	defer setAffinity(pid, allCPUs)
	return echo(addr, 1, d).p50
}

const allCPUs = ^uint64(0)

// setAffinity sets the CPU mask of every thread of a process (threads
// created later inherit it).
func setAffinity(pid int, mask uint64) {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		fatal(err)
	}
	for _, t := range tasks {
		tid, _ := strconv.Atoi(t.Name())
		// sched_setaffinity(2); a thread that just exited is no loss.
		syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), 8, uintptr(unsafe.Pointer(&mask)))
	}
}

// stalled measures the p99 of 50 ping-pong connections while one more
// client keeps sending and never reads its echoes.
func stalled(addr string, d time.Duration) time.Duration {
	c, err := dial(addr)
	if err != nil {
		fatal(err)
	}
	defer c.Close()
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		big := bytes.Repeat([]byte("s"), 16<<10)
		for !stop.Load() {
			c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
			if err := c.WriteMessage(websocket.BinaryMessage, big); err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					return // the server stopped reading it: stalled for good
				}
				return
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // let its output back up
	p99 := echo(addr, 50, d).p99
	stop.Store(true)
	<-done
	return p99
}

// idleAndBroadcast opens n idle connections, reports the server's resident
// memory added per connection, then times broadcasts to all of them.
func idleAndBroadcast(addr string, pid, n int) (float64, time.Duration) {
	warm := dialAll(addr, 100) // the server's first connection allocates its buffers
	closeAll(warm)
	time.Sleep(500 * time.Millisecond)
	before := rss(pid)
	conns := dialAll(addr, n)
	defer closeAll(conns)
	time.Sleep(time.Second)
	perConn := float64(rss(pid)-before) / 1024 / float64(n)

	ctl, err := dial(addr)
	if err != nil {
		fatal(err)
	}
	defer ctl.Close()
	// The median of several: one broadcast is ~100 ms, and a single figure
	// swings by a third from one to the next (the first one most).
	times := make([]time.Duration, broadcasts)
	for i := range times {
		times[i] = broadcast(ctl, conns)
		time.Sleep(100 * time.Millisecond)
	}
	slices.Sort(times)
	return perConn, times[len(times)/2]
}

const broadcasts = 5

// broadcast times a broadcast until every connection has received its
// 64-byte frame (66 bytes with the header). One epoll loop reads all the
// sockets, so the figure is the server's, not the wake-ups of 10,000
// client goroutines.
func broadcast(ctl *websocket.Conn, conns []*websocket.Conn) time.Duration {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		fatal(err)
	}
	defer syscall.Close(ep)
	want := map[int32]int{}
	for _, c := range conns {
		raw, err := c.NetConn().(*net.TCPConn).SyscallConn()
		if err != nil {
			fatal(err)
		}
		raw.Control(func(fd uintptr) {
			want[int32(fd)] = 66
			syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, int(fd), &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(fd)})
		})
	}
	events := make([]syscall.EpollEvent, 1024)
	buf := make([]byte, 4096)
	start := time.Now()
	ctl.WriteMessage(websocket.TextMessage, []byte("broadcast"))
	for len(want) > 0 {
		n, err := syscall.EpollWait(ep, events, 30000)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n == 0 {
			fatal(fmt.Errorf("broadcast: %d connections got nothing (%v)", len(want), err))
		}
		for _, e := range events[:n] {
			m, err := syscall.Read(int(e.Fd), buf)
			if err == syscall.EAGAIN {
				continue
			}
			if err != nil || m <= 0 {
				fatal(fmt.Errorf("broadcast read: %v", err))
			}
			if want[e.Fd] -= m; want[e.Fd] <= 0 {
				delete(want, e.Fd)
				syscall.EpollCtl(ep, syscall.EPOLL_CTL_DEL, int(e.Fd), nil)
			}
		}
	}
	return time.Since(start)
}

func render(r []result, multi result, cfg config) string {
	var b strings.Builder
	b0, p := r[0], r[1]
	fmt.Fprintf(&b, "| figure | Go gorilla baseline | swoole-shim (PHP) | ratio shim/baseline |\n|---|---:|---:|---:|\n")
	for i, e := range b0.echo {
		q := p.echo[i]
		fmt.Fprintf(&b, "| echo msg/s, %d conn | %.0f | %.0f | %.2f |\n", e.conns, e.rate, q.rate, q.rate/e.rate)
		fmt.Fprintf(&b, "| round trip p50, %d conn | %v | %v | %.2f |\n", e.conns, round(e.p50), round(q.p50), ratio(q.p50, e.p50))
		fmt.Fprintf(&b, "| round trip p99, %d conn | %v | %v | %.2f |\n", e.conns, round(e.p99), round(q.p99), ratio(q.p99, e.p99))
		if e.conns == 1 {
			fmt.Fprintf(&b, "| round trip p50, 1 conn, client and server pinned to one CPU | %v | %v | %.2f |\n", round(b0.sameCPU), round(p.sameCPU), ratio(p.sameCPU, b0.sameCPU))
			if b0.otherCPU > 0 {
				fmt.Fprintf(&b, "| round trip p50, 1 conn, pinned to two CPUs | %v | %v | %.2f |\n", round(b0.otherCPU), round(p.otherCPU), ratio(p.otherCPU, b0.otherCPU))
			}
		}
	}
	fmt.Fprintf(&b, "| server CPU per message, 50 conn | %v | %v | %.2f |\n", round(b0.cpuPerMsg), round(p.cpuPerMsg), ratio(p.cpuPerMsg, b0.cpuPerMsg))
	fmt.Fprintf(&b, "| server CPU per MiB received, POST body of %d MiB in 1 KiB pieces | %v | %v | %.2f |\n", cfg.pieces>>20, round(b0.bodyCPU), round(p.bodyCPU), ratio(p.bodyCPU, b0.bodyCPU))
	fmt.Fprintf(&b, "| server CPU per MiB received, WebSocket message of %d MiB in 1 KiB pieces | %v | %v | %.2f |\n", cfg.pieces>>20, round(b0.messageCPU), round(p.messageCPU), ratio(p.messageCPU, b0.messageCPU))
	fmt.Fprintf(&b, "| server CPU while a body trickles in, a byte every 2 ms for %v | %v | %v | %.2f |\n", trickleFor, round(b0.trickleCPU), round(p.trickleCPU), ratio(p.trickleCPU, b0.trickleCPU))
	fmt.Fprintf(&b, "| p99, 50 conn + 1 stalled client | %v | %v | %.2f |\n", round(b0.stalledP99), round(p.stalledP99), ratio(p.stalledP99, b0.stalledP99))
	fmt.Fprintf(&b, "| resident KiB per idle conn (%d conns) | %.1f | %.1f | %.2f |\n", cfg.idle, b0.kibPerConn, p.kibPerConn, p.kibPerConn/b0.kibPerConn)
	fmt.Fprintf(&b, "| broadcast 64 B to %d conns, median of %d | %v | %v | %.2f |\n", cfg.idle, broadcasts, round(b0.broadcast), round(p.broadcast), ratio(p.broadcast, b0.broadcast))
	for _, q := range multi.echo {
		e := b0.echo[slices.IndexFunc(b0.echo, func(e echoResult) bool { return e.conns == q.conns })]
		fmt.Fprintf(&b, "| echo msg/s, %d conn, %d workers (SWOOLE_BASE) | %.0f | %.0f | %.2f |\n", q.conns, runtime.NumCPU(), e.rate, q.rate, q.rate/e.rate)
	}
	fmt.Fprintf(&b, "| server CPU per message, 50 conn, %d workers | %v | %v | %.2f |\n", runtime.NumCPU(), round(b0.cpuPerMsg), round(multi.cpuPerMsg), ratio(multi.cpuPerMsg, b0.cpuPerMsg))
	return b.String()
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func round(d time.Duration) time.Duration {
	if d > time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(100 * time.Nanosecond)
}

// baseline is a plain gorilla/websocket server: a goroutine per
// connection, the same welcome, echo and broadcast as bench/echo.php.
func baseline(port string) {
	var mu sync.Mutex
	conns := map[*websocket.Conn]*sync.Mutex{}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	http.HandleFunc("/upload", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprint(w, len(b))
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		wmu := &sync.Mutex{}
		mu.Lock()
		conns[c] = wmu
		mu.Unlock()
		defer func() {
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
			c.Close()
		}()
		write := func(c *websocket.Conn, wmu *sync.Mutex, p []byte) {
			wmu.Lock()
			c.WriteMessage(websocket.TextMessage, p)
			wmu.Unlock()
		}
		write(c, wmu, []byte("hello, welcome\n"))
		for {
			_, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if len(msg) > 64<<10 {
				write(c, wmu, []byte(strconv.Itoa(len(msg))))
				continue
			}
			if string(msg) == "broadcast" {
				b := bytes.Repeat([]byte("b"), 64)
				mu.Lock()
				for c, wmu := range conns {
					write(c, wmu, b)
				}
				mu.Unlock()
				continue
			}
			write(c, wmu, append([]byte("server: "), msg...))
		}
	})
	fatal(http.ListenAndServe("127.0.0.1:"+port, nil))
}

func freePort() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitListening(port int) {
	for i := 0; i < 600; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	fatal(fmt.Errorf("port %d never opened", port))
}

// launch starts a server with a free port as its last argument, its
// output discarded (the stalled client's overflow warnings), and returns
// once it listens. bin/php-swoole execs PHP, so pid is the server's.
func launch(s server) (pid, port int, stop func()) {
	port = freePort()
	cmd := exec.Command(s.cmd[0], append(s.cmd[1:], strconv.Itoa(port))...)
	cmd.Env = append(os.Environ(), s.env...)
	// Its own process group: a server's workers end with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		fatal(err)
	}
	running = cmd.Process
	waitListening(port)
	return cmd.Process.Pid, port, func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		running = nil
	}
}

// running is the server started last, which fatal() kills: os.Exit runs no
// deferred stop().
var running *os.Process

func rss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	fatal(errors.New("no VmRSS"))
	return 0
}

// cpuTime is the user+system CPU time the server has used: every process
// of its group (launch makes it a group leader), so a manager's workers
// count.
func cpuTime(pid int) time.Duration {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		fatal(err)
	}
	var ticks int64
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
		if pgrp, _ := strconv.Atoi(f[2]); pgrp == pid {
			utime, _ := strconv.ParseInt(f[11], 10, 64)
			stime, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += utime + stime
		}
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}

func raiseFDLimit() {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err == nil {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	if running != nil {
		running.Signal(syscall.SIGKILL)
	}
	os.Exit(1)
}

// soak runs rounds of 1,000 connections that open, exchange one message
// and close, for d, sampling the server's resident memory and open fds
// every 10 s; it fails if either grew between the first and last sample.
func soak(launcher, script string, d time.Duration) {
	pid, port, stop := launch(server{cmd: []string{launcher, script}})
	defer stop()
	addr := fmt.Sprintf("ws://127.0.0.1:%d/", port)
	fds := func() int {
		entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
		if err != nil {
			fatal(err)
		}
		return len(entries)
	}
	type sample struct {
		rss int64
		fds int
	}
	var samples []sample
	rounds, deadline, next := 0, time.Now().Add(d), time.Now()
	for time.Now().Before(deadline) {
		conns := dialAll(addr, 1000)
		for _, c := range conns {
			c.WriteMessage(websocket.TextMessage, []byte("soak"))
		}
		for _, c := range conns {
			if _, _, err := c.ReadMessage(); err != nil {
				fatal(err)
			}
		}
		closeAll(conns)
		rounds++
		if time.Now().After(next) {
			time.Sleep(200 * time.Millisecond) // let the closes land
			s := sample{rss(pid), fds()}
			samples = append(samples, s)
			fmt.Printf("round %5d: resident %6.1f MiB, %d fds\n", rounds, float64(s.rss)/(1<<20), s.fds)
			next = time.Now().Add(10 * time.Second)
		}
	}
	// Growth is measured from the second sample when there are three or
	// more: by then the Go runtime has made what it makes once, lazily (its
	// own epoll and eventfd, made on first need, not per connection).
	first, last := samples[0], samples[len(samples)-1]
	if len(samples) > 2 {
		first = samples[1]
	}
	fmt.Printf("%d rounds of 1,000 connections; resident %.1f -> %.1f MiB, fds %d -> %d\n",
		rounds, float64(first.rss)/(1<<20), float64(last.rss)/(1<<20), first.fds, last.fds)
	if last.fds > first.fds || (len(samples) > 2 && last.rss > first.rss+first.rss/4) {
		fatal(errors.New("the server grew"))
	}
}
