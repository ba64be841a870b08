<?php
// websocket_compression: messages both ways are compressed once
// permessage-deflate is negotiated.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->set(['websocket_compression' => true]);
$ws->on('Message', function ($ws, $frame) {
    echo "flags {$frame->flags} ", strlen($frame->data), "\n";
    $ws->push($frame->fd, strtoupper($frame->data));
});
$ws->start();
