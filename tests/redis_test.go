package tests

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// redisSubscribers asks a Redis server how many clients subscribe to
// channel (PUBSUB NUMSUB).
func redisSubscribers(t *testing.T, port int, channel string) int {
	t.Helper()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return -1
	}
	defer c.Close()
	fmt.Fprintf(c, "*3\r\n$6\r\nPUBSUB\r\n$6\r\nNUMSUB\r\n$%d\r\n%s\r\n", len(channel), channel)
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	r := bufio.NewReader(c)
	var last string
	for i := 0; i < 4; i++ { // *2, $N, name, :count
		line, err := r.ReadString('\n')
		if err != nil {
			return -1
		}
		last = strings.TrimSpace(line)
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(last, ":"))
	return n
}

// TestRedisScaleOut: two servers of the usual scale-out pattern
// (SWOOLE_PROCESS, an addProcess() process subscribed to a Redis channel
// with phpredis, onMessage publishing) and one real Redis server: a
// message sent to one server reaches the clients of both.
func TestRedisScaleOut(t *testing.T) {
	redisServer, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server is needed (./build.sh test installs it)")
	}
	redisPort := freePort(t)
	startProc(t, nil, redisServer, "--port", strconv.Itoa(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	for deadline := time.Now().Add(10 * time.Second); redisSubscribers(t, redisPort, "chat") < 0; {
		if time.Now().After(deadline) {
			t.Fatal("redis-server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, portA := serve(t, "tests/scripts/redis_chat.php", strconv.Itoa(redisPort))
	_, portB := serve(t, "tests/scripts/redis_chat.php", strconv.Itoa(redisPort))
	a1, _, _ := dialWorker(t, portA)
	a2, _, _ := dialWorker(t, portA)
	b1, _, _ := dialWorker(t, portB)
	for deadline := time.Now().Add(10 * time.Second); redisSubscribers(t, redisPort, "chat") < 2; {
		if time.Now().After(deadline) {
			t.Fatal("the two servers' processes never subscribed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	a2.WriteMessage(websocket.TextMessage, []byte("hello"))
	want := regexp.MustCompile(fmt.Sprintf(`^hello \(via worker \d of %d\)$`, portA))
	for i, c := range []*websocket.Conn{a1, a2, b1} {
		if got := readText(t, c); !want.MatchString(got) {
			t.Errorf("client %d got %q", i, got)
		}
	}
}
