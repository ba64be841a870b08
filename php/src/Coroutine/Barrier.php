<?php

namespace Swoole\Coroutine;

use Swoole\Coroutine;
use Swoole\Exception;
use Swoole\Shim\Scheduler;

/**
 * Swoole\Coroutine\Barrier (from Swoole's PHP library): wait() returns
 * once every coroutine that captured the barrier has let it go, that is
 * when the last reference to it is destroyed, or after $timeout seconds.
 * PHP 8.2 cannot switch fibers inside a destructor, so the waiter is
 * resumed on the next turn of the event loop rather than at once.
 */
class Barrier
{
    /**
     * What the waiter, its timeout and the destructor share without
     * keeping the barrier alive: the waiting coroutine (-1 before wait()),
     * the timer, whether the barrier is gone or the wait timed out.
     */
    private ?\stdClass $wait = null;

    public static function make(): self
    {
        return new static();
    }

    public static function wait(Barrier &$barrier, float $timeout = -1): void
    {
        $wait = $barrier->state();
        if ($wait->cid !== -1) {
            throw new Exception('The barrier is waiting, cannot wait again.');
        }
        $wait->cid = Coroutine::getCid();
        if ($timeout > 0 && (int) ($timeout * 1000) > 0) {
            $wait->timer = Scheduler::after($timeout, static function () use ($wait): void {
                $wait->timedOut = true;
                Coroutine::resume($wait->cid);
            });
        }
        $barrier = null; // the caller's reference: the coroutines may still hold theirs
        if (!$wait->released) {
            Coroutine::yield();
        }
    }

    public function __destruct()
    {
        $wait = $this->state();
        if ($wait->timer !== null) {
            Scheduler::cancel($wait->timer);
        }
        if ($wait->timedOut) {
            return;
        }
        $wait->released = true;
        if ($wait->cid !== -1 && $wait->cid !== Coroutine::getCid()) {
            Scheduler::after(0, static fn () => $wait->timedOut || Coroutine::resume($wait->cid));
        }
    }

    private function state(): \stdClass
    {
        return $this->wait ??= (object) ['cid' => -1, 'timer' => null, 'released' => false, 'timedOut' => false];
    }
}
