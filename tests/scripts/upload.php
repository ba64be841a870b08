<?php
// multipart/form-data: $request->files, tmpfiles, post; files removed after the callback.
$http = new Swoole\Http\Server('127.0.0.1', (int) $argv[1]);
$http->on('request', function ($request, $response) {
    $files = $request->files;
    $tmp = $files['single']['tmp_name'];
    echo json_encode([
        'post' => $request->post,
        'single' => array_diff_key($files['single'], ['tmp_name' => 1]),
        'content' => file_get_contents($tmp),
        'many' => $files['many']['name'],
        'sizes' => $files['many']['size'],
        'tmpfiles' => count($request->tmpfiles),
    ]), "\n";
    $response->end($tmp);
});
$http->start();
