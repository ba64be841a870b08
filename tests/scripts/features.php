<?php
// Timers, $server->connections, heartbeat, frame options, fragments and the
// shutdown sequence; tests/php_test.go drives it and checks its output.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->set([
    'heartbeat_check_interval' => 1,
    'heartbeat_idle_time' => 1,
    'open_websocket_ping_frame' => true,
    'open_websocket_pong_frame' => true,
    'open_websocket_close_frame' => true,
]);
$ws->on('workerStart', function ($ws) {
    $n = 0;
    Swoole\Timer::tick(20, function ($id, $tag) use (&$n) {
        echo "tick $id $tag ", ++$n, "\n";
        if ($n === 3) {
            var_dump(Swoole\Timer::clear($id), Swoole\Timer::exists($id));
        }
    }, 'x');
    $after = swoole_timer_after(10, function ($a, $b) {
        echo "after $a $b\n";
    }, 1, 2);
    var_dump(Swoole\Timer::exists($after), Swoole\Timer::after(0, 'strlen'));
});
$ws->on('message', function ($ws, $frame) {
    echo get_class($frame), " {$frame->opcode} {$frame->flags} ", bin2hex($frame->data), "\n";
    if ($frame instanceof Swoole\WebSocket\CloseFrame) {
        echo "close frame {$frame->code} {$frame->reason}\n";
        return;
    }
    switch ($frame->data) {
        case 'count':
            echo 'count ', count($ws->connections), ' ', var_export(isset($ws->connections[$frame->fd]), true),
                ' ', $ws->connections[$frame->fd]['websocket_status'], "\n";
            foreach ($ws->connections as $fd) {
                echo "fd $fd\n";
            }
            break;
        case 'fragments':
            $ws->push($frame->fd, 'one ', WEBSOCKET_OPCODE_TEXT, 0);
            $ws->push($frame->fd, 'two ', WEBSOCKET_OPCODE_CONTINUATION, 0);
            $ws->push($frame->fd, 'three', WEBSOCKET_OPCODE_CONTINUATION, SWOOLE_WEBSOCKET_FLAG_FIN);
            break;
        case 'ping':
            $ws->push($frame->fd, 'are you there', WEBSOCKET_OPCODE_PING);
            break;
    }
});
$ws->on('close', function ($ws, $fd, $reactorId) {
    echo "close $fd $reactorId\n";
});
$ws->on('BeforeShutdown', function () {
    echo "beforeshutdown\n";
});
$ws->on('WorkerStop', function () {
    echo "workerstop\n";
});
$ws->on('Shutdown', function () {
    echo "shutdown\n";
});
var_dump($ws->start());
echo "after start\n";
