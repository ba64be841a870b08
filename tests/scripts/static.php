<?php
// enable_static_handler: files under document_root before onRequest, typed
// by Swoole's MIME table as the script changed it; sendfile() types too.
swoole_mime_type_add('moc', 'application/x-mocha');
swoole_mime_type_delete('htm');
$http = new Swoole\Http\Server('127.0.0.1', (int) $argv[1]);
$http->set([
    'enable_static_handler' => true,
    'document_root' => $argv[2],
    'http_index_files' => ['index.html'],
]);
$http->on('request', function ($request, $response) use ($argv) {
    if (str_starts_with($request->server['request_uri'], '/send/')) {
        $response->sendfile($argv[2] . '/' . basename($request->server['request_uri']));

        return;
    }
    $response->end('dynamic ' . $request->server['request_uri']);
});
$http->start();
