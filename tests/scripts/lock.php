<?php
// Swoole\Lock and Swoole\Coroutine\Lock in one process (TestPHPLock).
$mutex = new Swoole\Lock();
echo 'mutex: ', json_encode([$mutex->lock(), $mutex->lock(LOCK_EX | LOCK_NB), $mutex->errCode]), "\n";
$t = microtime(true);
$timed = $mutex->lock(LOCK_EX, 0.1);
echo 'timed: ', json_encode([$timed, $mutex->errCode, microtime(true) - $t >= 0.1]), "\n";
echo 'unlock: ', json_encode([$mutex->unlock(), $mutex->lock(LOCK_NB), $mutex->unlock(), $mutex->unlock()]), "\n";

$rw = new Swoole\Lock(SWOOLE_RWLOCK);
echo 'readers: ', json_encode([$rw->lock(LOCK_SH), $rw->lock(LOCK_SH), $rw->lock(LOCK_EX | LOCK_NB), $rw->errCode]), "\n";
echo 'writer: ', json_encode([$rw->unlock(), $rw->unlock(), $rw->lock(), $rw->lock(), $rw->errCode]), "\n";
echo 'reader of a writer: ', json_encode([$rw->lock(LOCK_SH | LOCK_NB), $rw->errCode, $rw->lock(LOCK_SH), $rw->errCode]), "\n";

$spin = new Swoole\Lock(SWOOLE_SPINLOCK);
echo 'spin: ', json_encode([$spin->lock(), $spin->lock(LOCK_NB), $spin->errCode, $spin->unlock()]), "\n";
echo 'constants: ', json_encode([Swoole\Lock::RWLOCK, Swoole\Lock::MUTEX, Swoole\Lock::SPINLOCK, SWOOLE_MUTEX]), "\n";
try {
    new Swoole\Lock(7);
} catch (Swoole\Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $mutex->__construct();
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}

$co = new Swoole\Coroutine\Lock();
$outside = [$co->lock(), $co->errCode]; // Swoole's log line first
echo 'outside a coroutine: ', json_encode($outside), "\n";
Co\run(function () use ($co) {
    go(function () use ($co) {
        echo 'A: ', json_encode([$co->lock(), $co->lock()]), "\n";
        Co::sleep(0.05);
        echo "A unlocks\n";
        $co->unlock();
    });
    go(function () use ($co) {
        echo 'B: ', json_encode([$co->lock(LOCK_NB), $co->errCode]), "\n";
        $co->lock();
        echo "B has it\n";
        $co->unlock();
    });
});

class Unconstructed extends Swoole\Lock
{
    public function __construct()
    {
    }
}
(new Unconstructed())->lock();
echo "not reached\n";
