<?php
// log_file, log_level and log_date_format.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->set(['log_file' => $argv[2], 'log_level' => (int) $argv[3], 'log_date_format' => '%d/%m/%Y %H:%M:%S']);
$ws->on('Message', function () {
});
$ws->start();
