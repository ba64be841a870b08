<?php

// Two SWOOLE_BASE workers and two task worker processes.
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$server->set(['worker_num' => 2, 'task_worker_num' => 2]);
$server->on('workerStart', function ($s, $id) {
    echo "workerstart $id taskworker=" . (int) $s->taskworker . ' pid=' . getmypid() . "\n";
});
$server->on('workerStop', fn ($s, $id) => print("workerstop $id\n"));
$server->on('task', function ($s, $taskId, $src, $data) {
    [$what, $fd] = $data;
    switch ($what) {
        case 'sleep':
            printf("task begin %d %.6f\n", $s->worker_id, microtime(true));
            usleep(400000);
            printf("task end %d %.6f\n", $s->worker_id, microtime(true));
            return ['slept', $fd, $s->worker_id];
        case 'slow':
            usleep(500000);
            return ['late', $fd, $s->worker_id];
        case 'finish':
            $s->finish(['finished', $fd, $s->worker_id]);
            return null;
        case 'nested':
            return ['nested', $fd, var_export($s->task('x'), true)];
        default:
            return [$what, $fd, $s->worker_id];
    }
});
$server->on('finish', function ($s, $taskId, $result) {
    [$what, $fd, $by] = $result;
    $s->push($fd, "finish $what by task worker $by in worker {$s->worker_id}");
});
$server->on('open', fn ($s, $req) => $s->push($req->fd, "fd={$req->fd} worker={$s->worker_id}"));
$server->on('message', function ($s, $frame) {
    $fd = $frame->fd;
    switch ($frame->data) {
        case 'tasks':
            $s->task(['sleep', $fd], 0);
            $s->task(['sleep', $fd], 1);
            break;
        case 'ping':
            $s->push($fd, 'pong');
            break;
        case 'wait':
            $r = $s->taskwait(['echo', $fd], 2.0);
            $late = $s->taskwait(['slow', $fd], 0.1, 1);
            $multi = $s->taskWaitMulti([['a', $fd], ['b', $fd]], 2.0);
            $s->push($fd, json_encode([$r[0], $late, array_column($multi, 0)]));
            break;
        case 'after':
            // Behind the slow task in the same task worker: its late
            // result, dropped, would have come first.
            $s->task(['after', $fd], 1);
            break;
        default:
            $s->task([$frame->data, $fd]);
    }
});
$server->start();
