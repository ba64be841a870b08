<?php
// max_input_vars and upload files: what the script gets from a request,
// and how many files are in upload_tmp_dir while it runs; the test counts
// them again after. Arguments: port, upload_tmp_dir, log_file, and "bhr"
// for a BeforeHandshakeResponse callback.
[, $port, $dir, $log] = $argv;
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $port);
$server->set(['upload_tmp_dir' => $dir, 'log_file' => $log]);
$count = fn ($request) => json_encode([
    'cookie' => count($request->cookie ?? []),
    'get' => count($request->get ?? []),
    'post' => count($request->post ?? []),
    'files' => count($request->files ?? []),
    'on_disk' => count(glob("$dir/*")),
]) . "\n";
$server->on('request', function ($request, $response) use ($count, $dir) {
    echo $count($request);
    switch ($request->server['request_uri']) {
        case '/move':
            rename($request->files['f0']['tmp_name'], "$dir/kept");
            break;
        case '/refuse':
            $response->status(400);
            break;
    }
    $response->end();
});
$server->on('open', function ($server, $request) use ($count) {
    echo 'open ', $count($request);
});
$server->on('message', function () {
});
if (($argv[4] ?? '') === 'bhr') {
    $server->on('beforeHandshakeResponse', function ($server, $request, $response) use ($count) {
        echo 'before ', $count($request);
    });
}
$server->start();
