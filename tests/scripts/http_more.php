<?php
// More of Swoole\Http\Response: header() without formatting, rawcookie()
// with every attribute, sendfile(), a Content-Length of the script's own,
// a chunked request body; compression options; static locations and
// autoindex.
$http = new Swoole\Http\Server('127.0.0.1', (int) $argv[1]);
$http->set([
    'http_compression_types' => ['application/json'],
    'http_compression_min_length' => 10,
    'enable_static_handler' => true,
    'document_root' => $argv[2],
    'static_handler_locations' => ['/assets'],
    'http_autoindex' => true,
]);
$http->on('request', function ($request, $response) use ($argv) {
    switch ($request->server['request_uri']) {
        case '/raw-header':
            $response->header('x-lower-case', 'kept', false);
            $response->rawcookie('k', 'v+v', 1893456000, '/p', 'example.com', true, true, 'Strict', 'High', true);
            $response->end('ok');
            break;
        case '/file':
            $response->sendfile($argv[2] . '/assets/data.json', 1, 5);
            break;
        case '/length':
            $response->header('Content-Length', '2');
            $response->end('ab');
            break;
        case '/echo':
            $response->end($request->getContent());
            break;
        case '/json':
            $response->header('Content-Type', 'application/json');
            $response->end(json_encode(array_fill(0, 5, 'compress me')));
            break;
        default:
            $response->end('dynamic');
    }
});
$http->start();
