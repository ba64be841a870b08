<?php

namespace Swoole;

use Swoole\Shim\Counter;
use Swoole\Shim\Int64;
use Swoole\Shim\Libc;

/**
 * Swoole\Atomic: an unsigned 32-bit counter shared with the processes
 * forked after it (see Shim\Counter). wait() and wakeup() are Swoole's
 * futex on the value: wakeup() turns 0 into 1 and wakes the waiters of any
 * process, wait() takes a 1 (1 → 0) or sleeps while the value is 0.
 */
class Atomic
{
    public function __construct(int $value = 0)
    {
        Counter::of($this, false)->set($value);
    }

    public function add(int $add_value = 1): int
    {
        return Counter::of($this, false)->add($add_value);
    }

    public function sub(int $sub_value = 1): int
    {
        return Counter::of($this, false)->add(Int64::add(~$sub_value, 1));
    }

    public function get(): int
    {
        return Counter::of($this, false)->value[0];
    }

    public function set(int $value): void
    {
        Counter::of($this, false)->set($value);
    }

    public function cmpset(int $cmp_value, int $new_value): bool
    {
        return Counter::of($this, false)->cmpset($cmp_value, $new_value);
    }

    /**
     * Takes a pending wakeup (1 → 0) and returns true; else, if the value
     * is 0, sleeps until a wakeup() (true if it can then take it) or
     * $timeout seconds (for ever if $timeout <= 0); false at once for any
     * other value.
     */
    public function wait(float $timeout = 1.0): bool
    {
        $counter = Counter::of($this, false);
        if ($counter->cmpset(1, 0)) {
            return true;
        }
        $sleep = $timeout > 0 ? Libc::duration($timeout) : null;

        return Libc::futex($counter->addr, Libc::FUTEX_WAIT, 0, $sleep) && $counter->cmpset(1, 0);
    }

    public function wakeup(int $count = 1): bool
    {
        $counter = Counter::of($this, false);
        if ($counter->cmpset(0, 1)) {
            Libc::futex($counter->addr, Libc::FUTEX_WAKE, $count);
        }

        return true;
    }
}
