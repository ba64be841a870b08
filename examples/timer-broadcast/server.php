<?php

// A timer broadcast: every connected WebSocket client gets the server time
// every second (Swoole\Timer::tick, $server->connections).
//   bin/php-swoole examples/timer-broadcast/server.php [PORT] [INTERVAL_MS]

$port = (int) ($argv[1] ?? 9501);
$interval = (int) ($argv[2] ?? 1000);
$server = new Swoole\WebSocket\Server('127.0.0.1', $port);

$server->on('WorkerStart', function (Swoole\WebSocket\Server $server) use ($interval) {
    Swoole\Timer::tick($interval, function (int $timerId) use ($server) {
        $message = json_encode(['time' => date('H:i:s'), 'clients' => count($server->connections)]);
        foreach ($server->connections as $fd) {
            if ($server->isEstablished($fd)) {
                $server->push($fd, $message);
            }
        }
    });
});

$server->on('Message', function (Swoole\WebSocket\Server $server, Swoole\WebSocket\Frame $frame) {
    // Clients only listen.
});

$server->start();
