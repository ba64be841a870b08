<?php
// wss:// and https:// on one port (SWOOLE_SSL).
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1], SWOOLE_BASE, SWOOLE_SOCK_TCP | SWOOLE_SSL);
$server->set(['ssl_cert_file' => $argv[2], 'ssl_key_file' => $argv[3]]);
var_dump($server->ssl);
$server->on('Message', function ($server, $frame) {
    $server->push($frame->fd, "secure: {$frame->data}");
});
$server->on('Request', function ($request, $response) {
    $response->end("https ok\n");
});
$server->start();
