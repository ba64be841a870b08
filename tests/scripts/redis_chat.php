<?php

// How Swoole chats scale out over several servers: SWOOLE_PROCESS, a
// process that subscribes to a Redis channel (phpredis's blocking
// subscribe()) and pushes each message to every client of this server,
// and onMessage that publishes to the channel.
[, $port, $redisPort] = $argv;
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $port, SWOOLE_PROCESS);
$server->set(['worker_num' => 2]);
$server->addProcess(new Swoole\Process(function () use ($server, $redisPort) {
    $redis = new Redis();
    $redis->connect('127.0.0.1', (int) $redisPort);
    $redis->setOption(Redis::OPT_READ_TIMEOUT, -1);
    $redis->subscribe(['chat'], function ($redis, $channel, $message) use ($server) {
        foreach ($server->connections as $fd) {
            if ($server->isEstablished($fd)) {
                $server->push($fd, $message);
            }
        }
    });
}));
$server->on('open', fn ($server, $request) => $server->push($request->fd, "fd={$request->fd} worker={$server->worker_id}"));
$server->on('message', function ($server, $frame) use ($redisPort) {
    static $redis = null;
    if ($redis === null) {
        $redis = new Redis();
        $redis->connect('127.0.0.1', (int) $redisPort);
    }
    $redis->publish('chat', "{$frame->data} (via worker {$server->worker_id} of {$server->port})");
});
$server->start();
