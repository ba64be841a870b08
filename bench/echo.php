<?php
// The benchmark's PHP server: Open pushes a welcome, Message echoes with a
// prefix; "broadcast" pushes a 64-byte message to every connection.
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
// BENCH_WORKERS > 1: that many SWOOLE_BASE workers (./build.sh bench sets it for one run).
$server->set(['worker_num' => max(1, (int) getenv('BENCH_WORKERS'))]);
$server->on('Open', function ($server, $request) {
    $server->push($request->fd, "hello, welcome\n");
});
$server->on('Message', function ($server, $frame) {
    if ($frame->data === 'broadcast') {
        $msg = str_repeat('b', 64);
        foreach ($server->connections as $fd) {
            $server->push($fd, $msg);
        }
        return;
    }
    $server->push($frame->fd, "server: " . $frame->data);
});
$server->start();
