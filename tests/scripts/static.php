<?php
// enable_static_handler: files under document_root before onRequest.
$http = new Swoole\Http\Server('127.0.0.1', (int) $argv[1]);
$http->set([
    'enable_static_handler' => true,
    'document_root' => $argv[2],
    'http_index_files' => ['index.html'],
]);
$http->on('request', function ($request, $response) {
    $response->end('dynamic ' . $request->server['request_uri']);
});
$http->start();
