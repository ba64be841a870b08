<?php
// A pure echo server (same opcode, same payload), for the RFC 6455
// conformance suite in tests/conformance_test.go.
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$server->set(['package_max_length' => 1 << 20]);
$server->on('Message', function ($server, $frame) {
    $server->push($frame->fd, $frame->data, $frame->opcode);
});
$server->start();
