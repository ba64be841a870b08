<?php
// on('beforeHandshakeResponse') adds to the built-in 101;
// websocket_subprotocol names the protocol.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->set(['websocket_subprotocol' => 'chat']);
$ws->on('BeforeHandshakeResponse', function ($ws, $request, $response) {
    $response->header('X-Hello', 'yes');
    $response->cookie('session', 'abc');
});
$ws->on('Open', function ($ws, $request) {
    $ws->push($request->fd, 'opened');
});
$ws->on('Message', function () {
});
$ws->start();
