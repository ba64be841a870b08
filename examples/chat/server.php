<?php

// A chat room on Swoole's API: the page comes from onRequest, messages go
// to everyone, Open and Close announce who joins and leaves.
//   bin/php-swoole examples/chat/server.php [PORT]   (default 9501)

$port = (int) ($argv[1] ?? 9501);
$server = new Swoole\WebSocket\Server('127.0.0.1', $port);
$page = file_get_contents(__DIR__ . '/index.html');
$names = [];

$server->on('Start', function ($server) use ($port) {
    echo "chat: open http://127.0.0.1:$port/ in a browser\n";
});

$server->on('Request', function (Swoole\Http\Request $request, Swoole\Http\Response $response) use ($page) {
    if ($request->server['request_uri'] !== '/') {
        $response->status(404);
        $response->end('not found');
        return;
    }
    $response->header('Content-Type', 'text/html; charset=utf-8');
    $response->end($page);
});

$broadcast = function ($server, array $message) use (&$names) {
    $json = json_encode($message);
    foreach (array_keys($names) as $fd) {
        $server->push($fd, $json);
    }
};

$server->on('Open', function ($server, Swoole\Http\Request $request) use (&$names, $broadcast) {
    $name = trim((string) ($request->get['name'] ?? ''));
    if ($name === '' || !preg_match('/^.{1,32}$/u', $name)) {
        $name = 'guest-' . $request->fd;
    }
    $names[$request->fd] = $name;
    $server->push($request->fd, json_encode(['type' => 'welcome', 'name' => $name, 'online' => array_values($names)]));
    $broadcast($server, ['type' => 'join', 'name' => $name, 'online' => array_values($names)]);
});

$server->on('Message', function ($server, Swoole\WebSocket\Frame $frame) use (&$names, $broadcast) {
    $text = trim($frame->data);
    if ($text === '' || !isset($names[$frame->fd])) {
        return;
    }
    preg_match('/^.{0,1000}/us', $text, $m); // at most 1000 characters
    $broadcast($server, ['type' => 'message', 'name' => $names[$frame->fd], 'text' => $m[0]]);
});

$server->on('Close', function ($server, int $fd) use (&$names, $broadcast) {
    if (!isset($names[$fd])) {
        return; // a plain HTTP connection
    }
    $name = $names[$fd];
    unset($names[$fd]);
    $broadcast($server, ['type' => 'leave', 'name' => $name, 'online' => array_values($names)]);
});

$server->start();
