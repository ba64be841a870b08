<?php
// Large output to slow readers: end(), write() and push() of 16 MiB past a
// 1 MiB socket_buffer_size, sendfile() and static files (document_root is
// the second argument; with a certificate and key after it, over TLS).
// Prints what each call returned.
$tls = isset($argv[4]);
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1], SWOOLE_BASE, SWOOLE_SOCK_TCP | ($tls ? SWOOLE_SSL : 0));
$server->set([
    'socket_buffer_size' => 1 << 20,
    'enable_static_handler' => true,
    'document_root' => $argv[2],
] + ($tls ? ['ssl_cert_file' => $argv[3], 'ssl_key_file' => $argv[4]] : []));
$server->on('request', function ($request, $response) use ($argv) {
    switch ($request->server['request_uri']) {
        case '/big':
            echo 'end: ', var_export($response->end(str_repeat('A', 16 << 20)), true), "\n";
            break;
        case '/cut':
            // The first write is taken whole; the queue is then past the
            // cap and the second fails: the connection is closed.
            $first = $response->write(str_repeat('B', 16 << 20));
            $second = $response->write('C');
            echo 'write: ', var_export($first, true), ' ', var_export($second, true), "\n";
            break;
        case '/chunked-sendfile':
            $response->write('x');
            echo 'sendfile: ', var_export($response->sendfile($argv[2] . '/rand.bin'), true), "\n";
            $response->end();
            break;
        case '/sendfile':
            $response->sendfile($argv[2] . '/' . $request->get['name'], (int) $request->get['offset'], (int) $request->get['length']);
            break;
        default:
            $response->end('small');
    }
});
$server->on('message', function ($server, $frame) {
    if ($frame->data === 'big') {
        echo 'push: ', var_export($server->push($frame->fd, str_repeat('W', 16 << 20)), true), "\n";
        return;
    }
    $server->push($frame->fd, $frame->data);
});
$server->start();
