<?php

// SWOOLE_PROCESS with two workers: every worker reaches every connection.
$server = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1], SWOOLE_PROCESS);
$server->set(['worker_num' => 2]);
// A process that pushes to every client when a worker asks it to: the
// back end of a chat that scales out (it would read a Redis channel).
$process = new Swoole\Process(function ($proc) use ($server) {
    while (($msg = $proc->read()) !== false) {
        foreach ($server->connections as $fd) {
            $server->push($fd, "from process: $msg, " . count($server->connections) . ' clients');
        }
    }
});
$server->addProcess($process);
$server->on('open', fn ($s, $req) => $s->push($req->fd, "fd={$req->fd} worker={$s->worker_id}"));
$server->on('close', fn ($s, $fd) => print("close $fd in worker {$s->worker_id}\n"));
$server->on('message', function ($s, $frame) use ($process) {
    [$cmd, $arg] = explode(' ', $frame->data . ' ', 2);
    $arg = (int) trim($arg);
    switch ($cmd) {
        case 'block':
            echo "begin\n";
            usleep(400000);
            $s->push($frame->fd, 'done');
            break;
        case 'all':
            $fds = [];
            foreach ($s->connections as $fd) {
                $fds[] = $fd;
                $s->push($fd, "broadcast from worker {$s->worker_id}");
            }
            $s->push($frame->fd, 'all=' . implode(',', $fds) . ' count=' . count($s->connections));
            break;
        case 'info':
            $s->push($frame->fd, json_encode([
                $s->exist($arg), $s->isEstablished($arg), $s->exist(999), $s->push(999, 'x'),
            ]));
            break;
        case 'relay':
            $process->write("relay $arg");
            break;
        case 'kick':
            $s->push($frame->fd, 'kick=' . var_export($s->disconnect($arg, 4000, 'kicked'), true));
            break;
    }
});
$server->start();
