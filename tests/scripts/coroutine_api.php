<?php

// The coroutine API without a server: Runtime flags, WaitGroup, Co\run(),
// go(), channels, defer, yield/resume, context, and the loop run at the
// end of the script.
use Swoole\Coroutine;
use Swoole\Coroutine\Channel;

Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_ALL);
var_dump(Swoole\Runtime::getHookFlags() === SWOOLE_HOOK_ALL);
Co::set(['hook_flags' => SWOOLE_HOOK_TCP]);
var_dump(Swoole\Runtime::getHookFlags());
Co\run(function () {
    $wg = new Swoole\Coroutine\WaitGroup();
    $results = [];
    foreach ([30, 10, 20] as $ms) {
        $wg->add();
        go(function () use ($wg, $ms, &$results) {
            Co\System::sleep($ms / 1000);
            $results[] = $ms;
            $wg->done();
        });
    }
    var_dump($wg->count(), $wg->wait(1), $results, $wg->count());
    $wg->add();
    var_dump($wg->wait(0.01));
    try {
        $wg->done();
        $wg->done();
    } catch (BadMethodCallException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    try {
        $wg->add(-1);
    } catch (InvalidArgumentException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
});

var_dump(Coroutine::getCid());
Co\run(function () {
    echo 'main ', Co::getCid(), ' pcid ', var_export(Co::getPcid(), true), "\n";
    $chan = new Channel(1);
    go(function () use ($chan) {
        echo 'child ', Co::getCid(), ' pcid ', Co::getPcid(), "\n";
        defer(function () {
            echo "defer child\n";
        });
        Co::sleep(0.05);
        echo "child woke\n";
        $chan->push('hello');
        $chan->push('second');
        echo "pushed both\n";
    });
    echo "before pop\n";
    var_dump($chan->pop());
    var_dump($chan->pop(0.5));
    var_dump($chan->pop(0.02), $chan->errCode);
    $chan->close();
    var_dump($chan->pop(), $chan->errCode, $chan->push(1), $chan->stats());
    echo 'list ', implode(',', iterator_to_array(Co::list())), "\n";
    $cid = go(function () {
        echo "yielding\n";
        Co::yield();
        echo "resumed\n";
    });
    Co::resume($cid);
    var_dump(Co::resume($cid));
    Co::getContext()['x'] = 1;
    var_dump(Co::getContext()['x']);
    var_dump(Co\run(function () {
    }));
});
go(function () {
    Co::sleep(0.01);
    echo "at shutdown\n";
});
echo "end of script\n";
try {
    Co::sleep(1);
} catch (Swoole\Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
