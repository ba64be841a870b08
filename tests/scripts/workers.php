<?php

// A SWOOLE_BASE server with three workers. Each process prints what it
// does with its pid, so the test can tell who ran what.
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$server->set(['worker_num' => 3]);
$say = static function (string $line): void {
    echo $line . ' pid=' . getmypid() . "\n"; // one write: the processes share stdout
};
$server->on('start', fn ($s) => $say('start master=' . (int) ($s->master_pid === getmypid())));
$server->on('managerStart', fn ($s) => $say('managerstart manager=' . (int) ($s->manager_pid === getmypid())));
$server->on('managerStop', fn ($s) => $say('managerstop'));
$server->on('shutdown', fn ($s) => $say('shutdown'));
$server->on('workerStart', function ($s, $id) use ($say) {
    $say("workerstart $id worker_id={$s->worker_id} manager={$s->manager_pid} self=" . (int) ($s->worker_pid === getmypid()));
    register_shutdown_function(fn () => printf("exited %d %.6f\n", $id, microtime(true)));
});
$server->on('workerStop', fn ($s, $id) => printf("workerstop %d %.6f pid=%d\n", $id, microtime(true), getmypid()));
$server->on('beforeShutdown', fn ($s) => $say("beforeshutdown {$s->worker_id}"));
$server->on('open', function ($s, $req) {
    $s->push($req->fd, "fd={$req->fd} worker={$s->worker_id}");
});
$server->on('message', function ($s, $frame) use ($say) {
    [$cmd, $arg] = explode(' ', $frame->data . ' ', 2);
    $arg = trim($arg);
    switch ($cmd) {
        case 'block':
            // PHP's own sleep: nothing is hooked, the worker is busy.
            printf("begin %d %.6f\n", $s->worker_id, microtime(true));
            usleep(400000);
            printf("end %d %.6f\n", $s->worker_id, microtime(true));
            $s->push($frame->fd, 'done');
            break;
        case 'count':
            $s->push($frame->fd, (string) count($s->connections));
            break;
        case 'list':
            $fds = [];
            foreach ($s->connections as $fd) {
                $fds[] = $fd;
            }
            $s->push($frame->fd, implode(',', $fds));
            break;
        case 'push':
            $ok = $s->push((int) $arg, 'x');
            $info = $s->getClientInfo((int) $arg);
            $s->push($frame->fd, 'push=' . var_export($ok, true) . ' info=' . var_export($info, true)
                . ' exist=' . var_export($s->exist((int) $arg), true));
            break;
        case 'status':
            $all = $pids = [];
            for ($w = 0; $w < 3; $w++) {
                $all[] = $s->getWorkerStatus($w);
                $pids[] = $s->getWorkerPid($w);
            }
            $s->push($frame->fd, json_encode([
                'own' => $s->getWorkerStatus(), 'all' => $all, 'pids' => $pids,
                'idle' => $s->stats()['idle_worker_num'], 'none' => $s->getWorkerStatus(9),
            ]));
            break;
        case 'pid':
            $s->push($frame->fd, (string) getmypid());
            break;
        case 'reload':
            $s->push($frame->fd, 'reload=' . var_export($s->reload(), true));
            break;
        case 'stop':
            $s->push($frame->fd, 'stop=' . var_export($s->stop(), true));
            break;
        case 'shutdown':
            $s->shutdown();
            break;
        case 'relay':
            // To every other worker, which pushes it to its own clients.
            $size = $arg === 'big' ? 300000 : 0;
            for ($w = 0; $w < $s->setting['worker_num']; $w++) {
                if ($w !== $s->worker_id) {
                    $s->sendMessage(['text' => $arg, 'pad' => str_repeat('p', $size)], $w);
                }
            }
            $s->push($frame->fd, 'self=' . var_export($s->sendMessage('x', $s->worker_id), true));
            break;
    }
});
$server->on('pipeMessage', function ($s, $src, $msg) {
    foreach ($s->connections as $fd) {
        $s->push($fd, "from worker $src to {$s->worker_id}: {$msg['text']} " . strlen($msg['pad']));
    }
});
$server->start();
echo 'start returned pid=' . getmypid() . "\n";
