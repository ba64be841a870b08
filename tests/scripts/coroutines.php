<?php
// Callbacks run in coroutines (enable_coroutine, on by default): a
// callback that sleeps lets the others run, a request that sleeps keeps
// its response; go(), channels and timers inside a server. The second
// argument "off" sets enable_coroutine false.
use Swoole\Coroutine;
use Swoole\Coroutine\Channel;

$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->set(['enable_coroutine' => ($argv[2] ?? '') !== 'off']);
$ws->on('workerStart', function ($ws) {
    echo 'workerStart in coroutine: ', var_export(Coroutine::getCid() > 0, true), "\n";
    if (Coroutine::getCid() < 0) {
        return;
    }
    $chan = new Channel();
    go(function () use ($chan) {
        $chan->push('ping');
    });
    echo 'channel: ', $chan->pop(), "\n";
    Swoole\Timer::after(10, function () {
        echo 'timer in coroutine: ', var_export(Coroutine::getCid() > 0, true), "\n";
    });
});
$ws->on('close', function ($ws, $fd) {
    Coroutine::sleep(0.05);
    echo "close slept, fd $fd still known: ", var_export($ws->exist($fd), true), "\n";
});
$ws->on('message', function ($ws, $frame) {
    if ($frame->data === 'close me') {
        $ws->close($frame->fd); // its close callback sleeps inside this call
        echo "close returned\n";
        return;
    }
    if ($frame->data === 'context') {
        $cid = Coroutine::getCid();
        Coroutine::getContext()['k'] = 'v';
        defer(function () use ($ws, $frame) {
            $ws->push($frame->fd, 'deferred');
        });
        go(function () use ($ws, $frame, $cid) {
            $ws->push($frame->fd, 'child of ' . (Coroutine::getPcid() === $cid ? 'the callback' : 'another')
                . ', sees ' . Coroutine::getContext($cid)['k'] . ', exists ' . var_export(Coroutine::exists($cid), true)
                . ', listed ' . var_export(in_array($cid, iterator_to_array(Coroutine::list()), true), true));
        });
        $ws->push($frame->fd, 'pcid ' . Coroutine::getPcid());
        return;
    }
    if ($frame->data === 'slow') {
        Coroutine::sleep(0.3);
    }
    $ws->push($frame->fd, "done {$frame->data}");
});
$ws->on('request', function ($request, $response) {
    Coroutine::sleep(0.05);
    if ($request->server['request_uri'] === '/end') {
        $response->end('slept');
    }
});
$ws->start();
