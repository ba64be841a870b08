<?php
// Swoole\Http\Server with write(), redirect(), isWritable(), close($fd)
// and swoole_last_error(); tests/php_test.go checks the bytes on the wire.
$http = new Swoole\Http\Server('127.0.0.1', (int) $argv[1]);
$http->on('request', function (Swoole\Http\Request $request, Swoole\Http\Response $response) use ($http) {
    switch ($request->server['request_uri']) {
        case '/chunked':
            $response->write('hello ');
            $response->write('world');
            var_dump($response->isWritable(), $response->end('!'), $response->isWritable());
            var_dump($response->write('late'), swoole_last_error());
            break;
        case '/redirect':
            $response->redirect('/there', 301);
            break;
        case '/close-fd':
            var_dump($http->close($request->fd));
            echo "after close\n";
            var_dump($response->end('x'));
            break;
        case '/bad-header':
            var_dump($response->header("X-Evil", "a\r\nInjected: 1"));
            $response->end('ok');
            break;
        case '/trailer':
            $response->trailer('X-Checksum', 'abc');
            $response->write('data');
            $response->end();
            break;
        case '/later':
            // Answered from a timer, after the callback returned.
            $response->detach();
            $fd = $request->fd;
            Swoole\Timer::after(50, function () use ($http, $fd) {
                $late = Swoole\Http\Response::create($http, $fd);
                $late->end('later');
            });
            break;
        case '/raw':
            $response->end($request->getData());
            break;
        case '/big':
            $response->end(str_repeat('swoole ', 20));
            break;
        default:
            $response->end($request->getMethod() . ' ' . $request->server['server_protocol']);
    }
});
$http->on('close', function ($http, $fd) {
    echo "close $fd\n";
});
$http->start();
