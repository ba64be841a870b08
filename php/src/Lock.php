<?php

namespace Swoole;

use Swoole\Shim\LockState;

/**
 * Swoole\Lock: a mutex, read-write lock or spinlock, which Swoole shares
 * between processes. With one worker the only holder is this process, so
 * a lock() that has to wait waits on itself, as Swoole's would: a
 * non-blocking one fails with EBUSY, one with a timeout fails with
 * ETIMEDOUT once it has passed, and a blocking one never returns, except
 * where glibc reports the deadlock (EDEADLK: a read-write lock this
 * process holds for writing). The errors land in $errCode.
 */
class Lock
{
    public const MUTEX = SWOOLE_MUTEX;
    public const RWLOCK = SWOOLE_RWLOCK;
    public const SPINLOCK = SWOOLE_SPINLOCK;

    private const EBUSY = 16;
    private const EDEADLK = 35;
    private const ETIMEDOUT = 110;

    public $errCode = 0;

    public function __construct(int $type = SWOOLE_MUTEX)
    {
        LockState::create($this, $type);
        if ($type !== self::MUTEX && $type !== self::RWLOCK && $type !== self::SPINLOCK) {
            unset(Shim\Store::$locks[$this]); // as in Swoole: a later call finds no lock
            throw Shim\ErrorReporter::relocate(new Exception("lock type[$type] is not support"));
        }
    }

    public function lock(int $operation = LOCK_EX, float $timeout = -1): bool
    {
        $st = LockState::of($this);
        $msec = (int) ($timeout * 1000);
        $shared = $st->type === self::RWLOCK && ($operation & LOCK_SH) !== 0;
        if ($shared && !$st->held) {
            $st->readers++;

            return true;
        }
        if (!$shared && !$st->held && $st->readers === 0) {
            $st->held = true;

            return true;
        }
        if ($operation & LOCK_NB) {
            return $this->fail(self::EBUSY);
        }
        if ($st->type === self::RWLOCK && $st->held) {
            return $this->fail(self::EDEADLK); // glibc: this thread is the writer
        }
        do {
            usleep($msec > 0 ? $msec * 1000 : 1000000000);
        } while ($msec <= 0);

        return $this->fail(self::ETIMEDOUT);
    }

    public function unlock(): bool
    {
        $st = LockState::of($this);
        if ($st->held) {
            $st->held = false;
        } elseif ($st->readers > 0) {
            $st->readers--;
        }

        return true;
    }

    private function fail(int $errno): bool
    {
        $this->errCode = $errno;

        return false;
    }
}
