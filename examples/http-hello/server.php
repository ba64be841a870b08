<?php

// Swoole\Http\Server on its own: hello world.
//   bin/php-swoole examples/http-hello/server.php [PORT]   (default 9501)

$port = (int) ($argv[1] ?? 9501);
$http = new Swoole\Http\Server('127.0.0.1', $port);

$http->on('Request', function (Swoole\Http\Request $request, Swoole\Http\Response $response) {
    $response->header('Content-Type', 'text/plain; charset=utf-8');
    $response->end("Hello, " . ($request->get['name'] ?? 'world') . "!\n");
});

$http->start();
