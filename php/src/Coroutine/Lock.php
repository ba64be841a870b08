<?php

namespace Swoole\Coroutine;

use Swoole\Shim\LockState;
use Swoole\Shim\Scheduler;
use Swoole\Shim\Native;

/**
 * Swoole\Coroutine\Lock: a mutex between coroutines. A coroutine that
 * finds it taken sleeps and tries again (1 ms, doubling up to 100 ms, as
 * Swoole does without io_uring futexes); the coroutine holding it may
 * lock it again; any coroutine may unlock it.
 */
class Lock
{
    private const EBUSY = 16;
    private const SW_ERROR_CO_OUT_OF_COROUTINE = 10001;

    public $errCode = 0;

    public function __construct(bool $shared = false)
    {
        LockState::create($this, 0);
    }

    public function lock(int $operation = LOCK_EX): bool
    {
        $st = LockState::of($this);
        $cid = $this->coroutine('CoroutineLock::lock_impl');
        if ($cid < 0) {
            return false;
        }
        if ($st->held && $st->cid === $cid) {
            return true;
        }
        for ($second = 0.001; $st->held; $second = $second >= 0.1 ? 0.001 : min($second * 2, 0.1)) {
            if ($operation & LOCK_NB) {
                $this->errCode = self::EBUSY;

                return false;
            }
            Scheduler::sleep($second);
        }
        $st->held = true;
        $st->cid = $cid;

        return true;
    }

    public function unlock(): bool
    {
        $st = LockState::of($this);
        if ($this->coroutine('CoroutineLock::unlock') < 0) {
            return false;
        }
        $st->held = false;
        $st->cid = 0;

        return true;
    }

    /** The running coroutine's id; outside one, Swoole's warning and error. */
    private function coroutine(string $function): int
    {
        $cid = Scheduler::cid();
        if ($cid < 0) {
            Native::warning("$function(): The coroutine lock can only be used in a coroutine environment");
            $this->errCode = self::SW_ERROR_CO_OUT_OF_COROUTINE;
        }

        return $cid;
    }
}
