<?php
// listen(): a second port with its own Message callback; the rest shared.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$admin = $ws->listen('127.0.0.1', (int) $argv[2], SWOOLE_SOCK_TCP);
echo get_class($admin), ' ', count($ws->ports), ' ', $admin->port === (int) $argv[2] ? 'port ok' : 'port bad', ' ',
    $ws->ports[0]->port === (int) $argv[1] ? 'main ok' : 'main bad', "\n";
$admin->on('Message', function ($ws, $frame) {
    $ws->push($frame->fd, "admin: {$frame->data} on " . $ws->getClientInfo($frame->fd)['server_port']);
});
$ws->on('Message', function ($ws, $frame) {
    $ws->push($frame->fd, "main: {$frame->data} on " . $ws->getClientInfo($frame->fd)['server_port']);
});
$ws->on('Open', function ($ws, $request) {
    $ws->push($request->fd, 'hello from the shared Open');
});
$ws->start();
