package tests

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// waitMatches waits until stdout has at least n lines matching re (a
// multi-line pattern) and returns their submatches.
func (p *proc) waitMatches(re *regexp.Regexp, n int) [][]string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		m := re.FindAllStringSubmatch(p.out(), -1)
		if len(m) >= n {
			return m
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("stdout has %d lines matching %s, want %d:\n%s\nstderr:\n%s", len(m), re, n, p.out(), p.errOut())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// terminate stops a server as SIGTERM does and checks that it exits 0
// and leaves no process of its group behind.
func (p *proc) terminate() {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(); code != 0 {
		p.t.Fatalf("exit code %d", code)
	}
	if left := p.group(); len(left) > 0 {
		p.t.Errorf("processes left behind: %v", left)
	}
}

// ask sends a message and returns the reply.
func ask(t *testing.T, c *websocket.Conn, msg string) string {
	t.Helper()
	if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	return readText(t, c)
}

var (
	workerStartRE = regexp.MustCompile(`(?m)^workerstart (\d) worker_id=(\d) manager=(\d+) self=1 pid=(\d+)$`)
	welcomeRE     = regexp.MustCompile(`^fd=(\d+) worker=(\d)$`)
)

// dialWorker connects and returns the connection, its session id and the
// worker that accepted it.
func dialWorker(t *testing.T, port int) (*websocket.Conn, int, string) {
	t.Helper()
	c := dialWS(t, port)
	m := welcomeRE.FindStringSubmatch(readText(t, c))
	if m == nil {
		t.Fatal("no welcome")
	}
	fd, _ := strconv.Atoi(m[1])
	return c, fd, m[2]
}

// TestPHPWorkers: a SWOOLE_BASE server with worker_num 3 runs as Swoole's
// does: a manager (the process that called start()) and three workers,
// each running its own callbacks at the same time as the others, session
// ids global, count($server->connections) global, another worker's fd out
// of reach; SIGTERM stops them in Swoole's order and leaves no process.
func TestPHPWorkers(t *testing.T) {
	p, port := serve(t, "tests/scripts/workers.php")
	starts := p.waitMatches(workerStartRE, 3)
	manager := p.waitMatches(regexp.MustCompile(`(?m)^managerstart manager=1 pid=(\d+)$`), 1)[0][1]
	if manager != strconv.Itoa(p.cmd.Process.Pid) {
		t.Errorf("manager pid %s, want the process that called start() (%d)", manager, p.cmd.Process.Pid)
	}
	pids := map[string]string{} // worker id => pid
	for _, m := range starts {
		if m[1] != m[2] || m[3] != manager || m[4] == manager {
			t.Errorf("worker start %q (manager %s)", m[0], manager)
		}
		pids[m[1]] = m[4]
	}
	if len(pids) != 3 || pids["0"] == pids["1"] || pids["1"] == pids["2"] || pids["0"] == pids["2"] {
		t.Fatalf("workers %v", pids)
	}
	if m := regexp.MustCompile(`(?m)^start master=1 pid=(\d+)$`).FindAllStringSubmatch(p.out(), -1); len(m) != 1 || m[0][1] != pids["0"] {
		t.Errorf("onStart ran %v, want once in worker 0 (%s)", m, pids["0"])
	}

	// Each message blocks its worker for 400 ms; a client connects only
	// once the previous message is being handled, so another worker, the
	// only one free, takes it. The three intervals overlap.
	var conns []*websocket.Conn
	var welcomes []string // the worker of each client
	workers := map[string]bool{}
	beginRE := regexp.MustCompile(`(?m)^begin (\d) ([\d.]+)$`)
	for i := 1; i <= 3; i++ {
		c, fd, worker := dialWorker(t, port)
		if fd != i || workers[worker] {
			t.Fatalf("client %d: session %d on worker %s (taken: %v)", i, fd, worker, workers)
		}
		workers[worker] = true
		conns = append(conns, c)
		welcomes = append(welcomes, worker)
		c.WriteMessage(websocket.TextMessage, []byte("block"))
		p.waitMatches(beginRE, i)
	}
	for _, c := range conns {
		if got := readText(t, c); got != "done" {
			t.Fatalf("reply %q", got)
		}
	}
	var lastBegin, firstEnd float64
	for _, m := range beginRE.FindAllStringSubmatch(p.out(), -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		lastBegin = max(lastBegin, v)
	}
	for i, m := range p.waitMatches(regexp.MustCompile(`(?m)^end (\d) ([\d.]+)$`), 3) {
		v, _ := strconv.ParseFloat(m[2], 64)
		if i == 0 || v < firstEnd {
			firstEnd = v
		}
	}
	if !(lastBegin < firstEnd) {
		t.Errorf("the workers did not run at the same time: last begin %f, first end %f\n%s", lastBegin, firstEnd, p.out())
	}

	var st struct {
		Own, Idle int
		All, Pids []int
		None      any
	}
	if err := json.Unmarshal([]byte(ask(t, conns[0], "status")), &st); err != nil {
		t.Fatal(err)
	}
	me, _ := strconv.Atoi(welcomes[0])
	for w := 0; w < 3; w++ {
		want := 2 // SWOOLE_WORKER_IDLE
		if w == me {
			want = 1 // SWOOLE_WORKER_BUSY: running the call
		}
		if st.All[w] != want || strconv.Itoa(st.Pids[w]) != pids[strconv.Itoa(w)] {
			t.Errorf("worker %d: status %d pid %d, want %d and %s", w, st.All[w], st.Pids[w], want, pids[strconv.Itoa(w)])
		}
	}
	if st.Own != 1 || st.Idle != 2 || st.None != false {
		t.Errorf("getWorkerStatus() %d, idle_worker_num %d, unknown worker %v", st.Own, st.Idle, st.None)
	}
	if got := ask(t, conns[0], "count"); got != "3" {
		t.Errorf("count($server->connections) = %s, want 3 (every worker's)", got)
	}
	if got := ask(t, conns[0], "list"); got != "1" {
		t.Errorf("foreach $server->connections = %s, want only the worker's own (1)", got)
	}
	if got := ask(t, conns[0], "push 2"); got != "push=false info=false exist=false" {
		t.Errorf("push to another worker's fd: %s", got)
	}
	p.waitStderr(regexp.MustCompile(`PHP Warning:  Swoole\\WebSocket\\Server::push\(\): session#2 does not exists in \S+workers\.php on line \d+`))

	// sendMessage(): the other workers' onPipeMessage get the value (an
	// array, serialized; one larger than a datagram too) and push it to
	// their own clients.
	for _, text := range []string{"hi", "big"} {
		if got := ask(t, conns[0], "relay "+text); got != "self=false" {
			t.Errorf("sendMessage to self: %s", got)
		}
		size := map[string]int{"hi": 0, "big": 300000}[text]
		for _, c := range conns[1:] {
			want := fmt.Sprintf("from worker %s to ", welcomes[0])
			if got := readText(t, c); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, fmt.Sprintf(": %s %d", text, size)) {
				t.Errorf("relayed %q, want %s...: %s %d", got, want, text, size)
			}
		}
	}
	p.waitStderr(regexp.MustCompile(`PHP Warning:  Swoole\\Server::sendMessage\(\): can't send messages to self in \S+workers\.php on line \d+`))

	p.terminate()
	out := p.out()
	order := []string{"beforeshutdown 0", "managerstop", "shutdown", "start returned"}
	last := -1
	for _, line := range order {
		i := strings.Index(out, line+" pid=")
		if i < last {
			t.Errorf("%q missing or out of order in:\n%s", line, out)
		}
		last = i
	}
	stops := regexp.MustCompile(`(?m)^workerstop (\d) [\d.]+ pid=(\d+)$`).FindAllStringSubmatchIndex(out, -1)
	if len(stops) != 3 {
		t.Errorf("%d workerstop lines, want 3:\n%s", len(stops), out)
	}
	for _, s := range stops {
		if s[0] > strings.Index(out, "managerstop") {
			t.Errorf("a worker stopped after the manager:\n%s", out)
		}
	}
	if strings.Contains(out, "abnormal exit") {
		t.Errorf("a worker exited abnormally:\n%s", out)
	}
}

// TestPHPWorkerRestart: a worker that dies is replaced (Swoole's WARNING
// line) while the other workers' clients go on; reload() replaces the
// workers one at a time.
func TestPHPWorkerRestart(t *testing.T) {
	p, port := serve(t, "tests/scripts/workers.php")
	p.waitMatches(workerStartRE, 3)
	a, _, wa := dialWorker(t, port)
	// The second client must land on another worker: keep the first busy.
	a.WriteMessage(websocket.TextMessage, []byte("block"))
	p.waitMatches(regexp.MustCompile(`(?m)^begin`), 1)
	b, _, wb := dialWorker(t, port)
	if readText(t, a) != "done" || wa == wb {
		t.Fatalf("clients on workers %s and %s", wa, wb)
	}
	pid := ask(t, b, "pid")
	n, _ := strconv.Atoi(pid)
	syscall.Kill(n, syscall.SIGKILL)
	warn := fmt.Sprintf(`(?m)^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \$%d\.0\]\tWARNING\tWorker::report_error\(\): worker\(pid=%s, id=%s\) abnormal exit, status=0, signal=9$`, p.cmd.Process.Pid, pid, wb)
	p.waitMatches(regexp.MustCompile(warn), 1)
	restarted := p.waitMatches(workerStartRE, 4)[3]
	if restarted[1] != wb || restarted[4] == pid {
		t.Errorf("replacement %q for worker %s (pid %s)", restarted[0], wb, pid)
	}
	if _, _, err := b.ReadMessage(); err == nil {
		t.Error("the killed worker's client is still connected")
	}
	if got := ask(t, a, "count"); got != "1" {
		t.Errorf("after the kill count = %s, want 1 (the dead worker's connections forgotten)", got)
	}

	// stop(): the worker stops (its client is closed) and is replaced.
	if got := ask(t, a, "stop"); got != "stop=true" {
		t.Fatalf("stop(): %s", got)
	}
	if _, _, err := a.ReadMessage(); err == nil {
		t.Fatal("the stopped worker's client is still connected")
	}
	if again := p.waitMatches(workerStartRE, 5)[4]; again[1] != wa {
		t.Errorf("after stop() worker %s started, want %s", again[1], wa)
	}
	a, _, _ = dialWorker(t, port)

	before := len(p.out())
	if got := ask(t, a, "reload"); got != "reload=true" {
		t.Fatalf("reload: %s", got)
	}
	p.waitMatches(workerStartRE, 8)
	// One at a time: a worker is asked to stop only once the one before
	// it has exited. The workers record both moments.
	type span struct{ stop, exit float64 }
	spans := map[string]*span{}
	for _, m := range p.waitMatches(regexp.MustCompile(`(?m)^(workerstop|exited) (\d) ([\d.]+)`), 6) {
		v, _ := strconv.ParseFloat(m[3], 64)
		if spans[m[2]] == nil {
			spans[m[2]] = &span{}
		}
		if m[1] == "workerstop" {
			spans[m[2]].stop = v
		} else {
			spans[m[2]].exit = v
		}
	}
	var all []span
	for _, sp := range spans {
		all = append(all, *sp)
	}
	slices.SortFunc(all, func(a, b span) int { return int((a.stop - b.stop) * 1e6) })
	for i := range all {
		if all[i].stop == 0 || all[i].exit < all[i].stop || i > 0 && all[i].stop < all[i-1].exit {
			t.Fatalf("reload: workers stopped together: %+v\n%s", all, p.out()[before:])
		}
	}
	if len(all) != 3 {
		t.Fatalf("reload stopped %d workers, want 3:\n%s", len(all), p.out()[before:])
	}
	p.terminate()
}

// TestPHPTaskWorkers: with several workers, task workers are processes
// (ids after the workers, taskworker true): two tasks run at the same time
// in two of them while the sending worker keeps serving; results come back
// to onFinish in the worker that sent them; taskwait() and taskWaitMulti()
// wait only as long as their timeout, and a result that comes too late is
// dropped; finish() from onTask; task() from a task worker warns.
func TestPHPTaskWorkers(t *testing.T) {
	p, port := serve(t, "tests/scripts/task_workers.php")
	starts := p.waitMatches(regexp.MustCompile(`(?m)^workerstart (\d) taskworker=(\d) pid=(\d+)$`), 4)
	pids := map[string]bool{}
	for _, m := range starts {
		if (m[1] >= "2") != (m[2] == "1") {
			t.Errorf("%q: workers are 0 and 1, task workers 2 and 3", m[0])
		}
		pids[m[3]] = true
	}
	if len(pids) != 4 {
		t.Fatalf("%d processes for 4 workers", len(pids))
	}
	c, _, worker := dialWorker(t, port)
	c.WriteMessage(websocket.TextMessage, []byte("tasks"))
	p.waitMatches(regexp.MustCompile(`(?m)^task begin`), 1)
	if got := ask(t, c, "ping"); got != "pong" {
		t.Fatalf("while tasks run: %q", got)
	}
	done := map[string]bool{}
	for i := 0; i < 2; i++ {
		m := regexp.MustCompile(`^finish slept by task worker ([23]) in worker (\d)$`).FindStringSubmatch(readText(t, c))
		if m == nil || m[2] != worker {
			t.Fatalf("finish %v, want from a task worker to worker %s", m, worker)
		}
		done[m[1]] = true
	}
	var begins, ends []float64
	for _, m := range regexp.MustCompile(`(?m)^task (begin|end) ([23]) ([\d.]+)$`).FindAllStringSubmatch(p.out(), -1) {
		v, _ := strconv.ParseFloat(m[3], 64)
		if m[1] == "begin" {
			begins = append(begins, v)
		} else {
			ends = append(ends, v)
		}
	}
	if len(done) != 2 || len(begins) != 2 || len(ends) != 2 || !(slices.Max(begins) < slices.Min(ends)) {
		t.Errorf("two tasks did not run at the same time in two task workers: %v %v %v\n%s", done, begins, ends, p.out())
	}

	if got := ask(t, c, "wait"); got != `["echo",false,["a","b"]]` {
		t.Errorf("taskwait/taskWaitMulti: %s", got)
	}
	if got := ask(t, c, "after"); !strings.HasPrefix(got, "finish after by task worker 3") {
		t.Errorf("after a taskwait() timed out: %q (its late result must be dropped)", got)
	}
	if got := ask(t, c, "finish"); !strings.HasPrefix(got, "finish finished by task worker") {
		t.Errorf("finish(): %q", got)
	}
	if got := ask(t, c, "nested"); got != "finish nested by task worker false in worker "+worker {
		t.Errorf("task() in a task worker: %q", got)
	}
	p.waitStderr(regexp.MustCompile(`PHP Warning:  Swoole\\Server::task\(\): Server->task\(\) cannot use in the task-worker in \S+task_workers\.php on line \d+`))

	p.terminate()
	if n := strings.Count(p.out(), "workerstop "); n != 4 {
		t.Errorf("%d workerstop lines, want 4 (2 workers, 2 task workers)", n)
	}
}

// TestPHPMaxRequest: a worker stops after max_request requests (here with
// no random grace) and the manager forks a new one with the same id, as
// Swoole's does; with max_request, even one worker has a manager.
func TestPHPMaxRequest(t *testing.T) {
	script := writeScript(t, `<?php
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$server->set(['worker_num' => 1, 'max_request' => 2, 'max_request_grace' => 0]);
$server->on('workerStart', fn ($s, $id) => print("workerstart $id " . getmypid() . " manager=" . (int) ($s->manager_pid !== getmypid()) . "\n"));
$server->on('workerStop', fn ($s, $id) => print("workerstop $id\n"));
$server->on('open', fn ($s, $req) => $s->push($req->fd, "fd={$req->fd} worker={$s->worker_id}"));
$server->on('message', fn ($s, $frame) => $s->push($frame->fd, (string) getmypid()));
$server->start();
`)
	p, port := serve(t, script)
	first := p.waitMatches(regexp.MustCompile(`(?m)^workerstart 0 (\d+) manager=1$`), 1)[0][1]
	c, _, _ := dialWorker(t, port)
	if got := ask(t, c, "1"); got != first {
		t.Fatalf("served by %s, want %s", got, first)
	}
	if got := ask(t, c, "2"); got != first {
		t.Fatalf("served by %s, want %s", got, first)
	}
	if _, _, err := c.ReadMessage(); err == nil {
		t.Fatal("the worker kept serving after max_request")
	}
	second := p.waitMatches(regexp.MustCompile(`(?m)^workerstart 0 (\d+) manager=1$`), 2)[1][1]
	if second == first || !strings.Contains(p.out(), "workerstop 0\n") || strings.Contains(p.out(), "abnormal exit") {
		t.Fatalf("no clean replacement:\n%s", p.out())
	}
	c2, _, _ := dialWorker(t, port)
	if got := ask(t, c2, "3"); got != second {
		t.Errorf("served by %s, want the new worker %s", got, second)
	}
}

// TestPHPAddProcess: a process of addProcess() is forked by the manager
// (so one worker gets a manager too), runs its callback with its own
// worker id, can sendMessage() to a worker, and is forked again when it
// dies; none is left when the server stops.
func TestPHPAddProcess(t *testing.T) {
	script := writeScript(t, `<?php
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$process = new Swoole\Process(function ($proc) use ($server) {
    echo "process id={$proc->id} worker_id={$server->worker_id} pid=" . getmypid() . "\n";
    usleep(200000); // worker 0 is up by now
    $server->sendMessage('hello', 0);
    sleep(60);
});
echo 'added ', $server->addProcess($process), "\n";
$server->on('message', fn ($s, $frame) => null);
$server->on('pipeMessage', fn ($s, $src, $msg) => print("pipe from $src: $msg\n"));
$server->start();
`)
	p, _ := serve(t, script)
	first := p.waitMatches(regexp.MustCompile(`(?m)^process id=0 worker_id=1 pid=(\d+)$`), 1)[0][1]
	p.waitMatches(regexp.MustCompile(`(?m)^pipe from 1: hello$`), 1)
	if !strings.HasPrefix(p.out(), "added 0\n") {
		t.Errorf("addProcess() returned:\n%s", p.out())
	}
	n, _ := strconv.Atoi(first)
	syscall.Kill(n, syscall.SIGKILL)
	second := p.waitMatches(regexp.MustCompile(`(?m)^process id=0 worker_id=1 pid=(\d+)$`), 2)[1][1]
	p.waitMatches(regexp.MustCompile(`(?m)^pipe from 1: hello$`), 2)
	if second == first || !regexp.MustCompile(`abnormal exit, status=0, signal=9`).MatchString(p.out()) {
		t.Errorf("not replaced:\n%s", p.out())
	}
	p.terminate()
}

// TestStartInCoroutine: start() inside Co\run() is refused as Swoole's
// is: its event loop already exists.
func TestStartInCoroutine(t *testing.T) {
	script := writeScript(t, `<?php
$server = new Swoole\WebSocket\Server('127.0.0.1', 0);
$server->on('message', fn () => null);
Co\run(function () use ($server) {
    var_dump($server->start());
});
echo "done\n";
`)
	p := php(t, script)
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d: %s", code, p.errOut())
	}
	want := fmt.Sprintf("PHP Warning:  Swoole\\Server::start(): The event-loop has already been created, unable to start Swoole\\WebSocket\\Server in %s on line 5\n", script)
	if p.out() != "bool(false)\ndone\n" || p.errOut() != want {
		t.Errorf("stdout %q stderr %q, want %q", p.out(), p.errOut(), want)
	}
}

// TestMissingCertificate: on a SWOOLE_SSL server, set() with a certificate
// that cannot be read is Swoole's fatal error (exit 255), not a warning.
func TestMissingCertificate(t *testing.T) {
	script := writeScript(t, `<?php
$server = new Swoole\WebSocket\Server('127.0.0.1', 0, SWOOLE_BASE, SWOOLE_SOCK_TCP | SWOOLE_SSL);
$server->set(['ssl_cert_file' => '/nonexistent/cert.pem', 'ssl_key_file' => '/nonexistent/key.pem']);
echo "not reached\n";
`)
	p := php(t, script)
	if code := p.wait(); code != 255 {
		t.Fatalf("exit code %d, want 255", code)
	}
	want := fmt.Sprintf("PHP Fatal error:  Swoole\\Server\\Port::set(): ssl cert file[/nonexistent/cert.pem] not found in %s on line 3\n", script)
	if p.out() != "" || p.errOut() != want {
		t.Errorf("stdout %q stderr %q, want %q", p.out(), p.errOut(), want)
	}
}

// TestTimersWithoutServer: as in Swoole, timers set in a plain script run
// on the loop of the script's end until none is left, without the
// library; a server's start() is then refused (its loop exists).
func TestTimersWithoutServer(t *testing.T) {
	script := writeScript(t, `<?php
$n = 0;
Swoole\Timer::after(300, fn () => print("after\n"));
Swoole\Timer::tick(30, function ($id, $arg) use (&$n) {
    echo "tick $arg\n";
    if (++$n === 3) {
        Swoole\Timer::clear($id);
    }
}, 'x');
$server = new Swoole\WebSocket\Server('127.0.0.1', 0);
$server->on('message', fn () => null);
var_dump($server->start());
echo "end of script\n";
`)
	// No library at all: the timers must not need it.
	p := startProc(t, []string{"SWOOLE_SHIM_LIB=/nonexistent"}, filepath.Join(root, "bin/php-swoole"), script)
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d: %s", code, p.errOut())
	}
	if want := "bool(false)\nend of script\ntick x\ntick x\ntick x\nafter\n"; p.out() != want {
		t.Errorf("stdout %q, want %q", p.out(), want)
	}
	if !strings.Contains(p.errOut(), "The event-loop has already been created, unable to start Swoole\\WebSocket\\Server") {
		t.Errorf("stderr %q", p.errOut())
	}
}

// TestPHPProcessMode: in SWOOLE_PROCESS every worker reaches every
// connection: a broadcast from one worker reaches the clients another
// accepted, exist()/isEstablished() see them, disconnect() closes one
// (its close callback runs in its own worker, where its events go).
func TestPHPProcessMode(t *testing.T) {
	p, port := serve(t, "tests/scripts/process_mode.php")
	a, fa, wa := dialWorker(t, port)
	a.WriteMessage(websocket.TextMessage, []byte("block")) // keep a's worker busy: b goes to the other
	p.waitMatches(regexp.MustCompile(`(?m)^begin$`), 1)
	b, fb, wb := dialWorker(t, port)
	if readText(t, a) != "done" || wa == wb {
		t.Fatalf("clients on workers %s and %s", wa, wb)
	}
	if got := ask(t, b, fmt.Sprintf("info %d", fa)); got != "[true,true,false,false]" {
		t.Errorf("exist/isEstablished of the other worker's client, and of none: %s", got)
	}
	b.WriteMessage(websocket.TextMessage, []byte("all"))
	got := map[string]bool{readText(t, b): true, readText(t, b): true}
	want := fmt.Sprintf("all=%d,%d count=2", fa, fb)
	if !got[want] || !got["broadcast from worker "+wb] {
		t.Errorf("b got %v, want %q and its broadcast", got, want)
	}
	if m := readText(t, a); m != "broadcast from worker "+wb {
		t.Errorf("a got %q, want the other worker's broadcast", m)
	}
	b.WriteMessage(websocket.TextMessage, []byte("relay 7"))
	for _, c := range []*websocket.Conn{a, b} {
		if got := readText(t, c); got != "from process: relay 7, 2 clients" {
			t.Errorf("from the added process: %q", got)
		}
	}
	if got := ask(t, b, fmt.Sprintf("kick %d", fa)); got != "kick=true" {
		t.Errorf("disconnect of the other worker's client: %s", got)
	}
	if _, _, err := a.ReadMessage(); err == nil || !strings.Contains(err.Error(), "4000") {
		t.Errorf("a: %v, want close 4000", err)
	}
	p.waitMatches(regexp.MustCompile(fmt.Sprintf(`(?m)^close %d in worker %s$`, fa, wa)), 1)
	p.terminate()
}

// TestHeartbeatMethod: heartbeat() lists the connections idle past
// heartbeat_idle_time, closing them only when asked (Swoole's omitted
// argument closes nothing), and is false without heartbeat_check_interval.
func TestHeartbeatMethod(t *testing.T) {
	script := writeScript(t, `<?php
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$server->set(['heartbeat_check_interval' => 60, 'heartbeat_idle_time' => 1]);
$server->on('open', fn ($s, $req) => $s->push($req->fd, "fd={$req->fd} worker=0"));
$server->on('close', fn ($s, $fd) => print("close $fd\n"));
$server->on('message', function ($s, $frame) {
    $s->push($frame->fd, json_encode([$s->heartbeat(), $s->heartbeat(true)]));
});
$server->start();
`)
	p, port := serve(t, script)
	idle, fdIdle, _ := dialWorker(t, port)
	defer idle.Close()
	time.Sleep(1100 * time.Millisecond) // past heartbeat_idle_time: idle's only
	c, fd, _ := dialWorker(t, port)
	want := fmt.Sprintf("[[%d],[%d]]", fdIdle, fdIdle)
	if got := ask(t, c, "check"); got != want {
		t.Errorf("heartbeat() then heartbeat(true): %s, want %s (the asking client %d is not idle)", got, want, fd)
	}
	p.waitMatches(regexp.MustCompile(fmt.Sprintf(`(?m)^close %d$`, fdIdle)), 1)
}
