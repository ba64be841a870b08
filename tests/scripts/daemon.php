<?php
// daemonize with pid_file and log_file.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->set(['daemonize' => true, 'pid_file' => $argv[2], 'log_file' => $argv[3]]);
$ws->on('Message', function ($ws, $frame) {
    echo "message {$frame->data}\n";
    $ws->push($frame->fd, "daemon: {$frame->data}");
});
$ws->on('Shutdown', function () {
    echo "shutdown\n";
});
$ws->start();
