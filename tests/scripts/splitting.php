<?php
// No user string splits a response: each path tries one way and prints
// what the call returned; tests/security_test.go reads the bytes sent and
// the warnings (their line numbers are this file's). Arguments: port,
// log_file.
$http = new Swoole\Http\Server('127.0.0.1', (int) $argv[1]);
$http->set(['log_file' => $argv[2]]);
$http->on('request', function (Swoole\Http\Request $request, Swoole\Http\Response $response) {
    $path = $request->server['request_uri'];
    echo "$path\n";
    switch ($path) {
        case '/cookie-name':
            var_dump($response->cookie("a\r\nX-Injected: y", 'v'));
            break;
        case '/cookie-path':
            var_dump($response->cookie('a', 'v', 0, "/\r\nX-Injected: y"));
            break;
        case '/cookie-domain':
            var_dump($response->cookie('a', 'v', 0, '/', "example.com\r\nX-Injected: y"));
            break;
        case '/cookie-value':
            var_dump($response->cookie('a', "v\r\nX-Injected: y"));
            break;
        case '/rawcookie-value':
            var_dump($response->rawcookie('a', "v\r\nX-Injected: y"));
            break;
        case '/status':
            var_dump($response->status(200, "OK\r\nX-Injected: y"));
            break;
        case '/header-value':
            var_dump($response->header('X-A', "a\r\nX-Injected: y"));
            var_dump($response->header('X-B', "b\r\n"));
            break;
        case '/header-name':
            var_dump($response->header("X-A\r\nX-Injected", 'y'));
            break;
        case '/redirect':
            var_dump($response->redirect("/there\r\nX-Injected: y"));
            return;
        case '/duplicate': // swoole-src tests/swoole_http_server/duplicate_header.phpt
            $response->header('content-length', '11 ');
            $response->header('Test-Value', ["a\r\n", 'b1234 ', 'd5678', "e  \n ", null, 5678, 3.1415926]);
            $response->end('hello world');
            return;
        case '/length': // swoole-src bug_4857: the server sets the length of a compressed body
            $response->header('Content-Length', 1000);
            $response->end(str_repeat('x', 33));
            return;
        case '/length-chunked':
            $response->header('Content-Length', 100);
            $response->write('abc');
            $response->end();
            return;
        case '/write':
            $response->header('X-A', "a\nX-Injected: y");
            var_dump($response->write('w'));
            break;
    }
    var_dump($response->end('ok'));
});
$http->start();
