<?php
// Large output to slow readers: end(), write() and push() of 16 MiB past a
// 1 MiB socket_buffer_size, sendfile() and static files (document_root is
// the second argument). Prints what each call returned.
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$server->set([
    'socket_buffer_size' => 1 << 20,
    'enable_static_handler' => true,
    'document_root' => $argv[2],
]);
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
