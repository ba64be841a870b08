<?php
// Coroutine::join(), Swoole\Coroutine\Barrier, and what a finished
// coroutine held being released (TestPHPCoroutineJoin).
class Resource
{
    public function __construct(public string $name)
    {
    }

    public function __destruct()
    {
        echo "destroyed {$this->name}\n";
    }
}

Co\run(function () {
    $r = new Resource('captured');
    go(function () use ($r) {
        echo "child uses {$r->name}\n";
    });
    unset($r);
    echo "after unset\n";

    $a = go(function () {
        Co::sleep(0.03);
        echo "a done\n";
    });
    $b = go(function () {
        Co::sleep(0.01);
        echo "b done\n";
    });
    $joined = Co::join([$a, $b, 9999]);
    echo 'join: ', json_encode($joined), "\n";
    $c = go(function () {
        Co::sleep(0.2);
        echo "c done\n";
    });
    $timedOut = [Co::join([$c], 0.05), swoole_last_error()];
    echo 'join with timeout: ', json_encode($timedOut), "\n";
    echo 'join nothing: ', json_encode([Co::join([]), swoole_last_error(), Co::join([9999]), swoole_last_error()]), "\n";
    echo 'join self: ', json_encode([Co::join([Co::getCid()]), swoole_last_error()]), "\n";
    $d = go(function () {
        Co::sleep(0.05);
    });
    go(function () use ($d) {
        $joined = Co::join([$d]);
        echo 'first joiner: ', json_encode($joined), "\n";
    });
    $second = [Co::join([$d]), swoole_last_error()];
    echo 'second joiner: ', json_encode($second), "\n";
    Co::join([$c]);

    $barrier = Swoole\Coroutine\Barrier::make();
    foreach ([3, 1, 2] as $i) {
        go(function () use ($barrier, $i) {
            Co::sleep($i / 100);
            echo "task $i\n";
        });
    }
    Swoole\Coroutine\Barrier::wait($barrier);
    echo "barrier passed\n";
    $barrier = Swoole\Coroutine\Barrier::make();
    go(function () use ($barrier) {
        Co::sleep(0.2);
    });
    $t = microtime(true);
    Swoole\Coroutine\Barrier::wait($barrier, 0.05);
    echo 'barrier timed out: ', json_encode(microtime(true) - $t < 0.15), "\n";
    $alone = Swoole\Coroutine\Barrier::make();
    Swoole\Coroutine\Barrier::wait($alone);
    echo "barrier nobody holds passed\n";
});
