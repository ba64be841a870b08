<?php
// A custom handshake (on('handshake')), in the way Swoole's documentation
// writes one, with a token check.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->on('handshake', function (Swoole\Http\Request $request, Swoole\Http\Response $response) use ($ws) {
    echo 'status during: ', $ws->getClientInfo($request->fd)['websocket_status'], "\n";
    if (($request->get['token'] ?? '') !== 'secret') {
        $response->status(403);
        $response->end();
        return false;
    }
    $key = base64_encode(sha1($request->header['sec-websocket-key'] . '258EAFA5-E914-47DA-95CA-C5AB0DC85B11', true));
    $headers = [
        'Upgrade' => 'websocket',
        'Connection' => 'Upgrade',
        'Sec-WebSocket-Accept' => $key,
        'Sec-WebSocket-Version' => '13',
    ];
    foreach ($headers as $name => $value) {
        $response->header($name, $value);
    }
    $response->status(101);
    $response->end();
    echo 'status after: ', $ws->getClientInfo($request->fd)['websocket_status'], "\n";
    $ws->push($request->fd, 'welcome');
    return true;
});
$ws->on('Open', function () {
    echo "open is not fired after a custom handshake\n";
});
$ws->on('Message', function ($ws, $frame) {
    $ws->push($frame->fd, "echo: {$frame->data}");
});
$ws->on('Close', function ($ws, $fd) {
    echo "close $fd status ", $ws->getClientInfo($fd)['websocket_status'], "\n";
});
$ws->start();
