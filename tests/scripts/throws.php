<?php
// Every kind of callback throws once; the server keeps serving.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->on('WorkerStart', function () {
    Swoole\Timer::after(10, function () {
        throw new RuntimeException('in timer');
    });
    throw new RuntimeException('in workerStart');
});
$ws->on('Connect', function ($ws, $fd) {
    if ($fd === 1) {
        throw new RuntimeException('in connect');
    }
});
$ws->on('Open', function ($ws, $request) {
    if ($request->fd === 1) {
        throw new RuntimeException('in open');
    }
});
$ws->on('Message', function ($ws, $frame) {
    if ($frame->data === 'throw') {
        throw new TypeError('in message');
    }
    $ws->push($frame->fd, "echo: {$frame->data}");
});
$ws->on('Request', function ($request, $response) {
    throw new RuntimeException('in request');
});
$ws->on('Close', function ($ws, $fd) {
    echo "close $fd\n";
    throw new RuntimeException('in close');
});
$ws->start();
