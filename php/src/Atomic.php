<?php

namespace Swoole;

use Swoole\Shim\Store;

/**
 * Swoole\Atomic: an unsigned 32-bit counter. Swoole shares it between
 * processes; with one worker it is a plain value, and wait() can only
 * take a wakeup() made before it, as nothing else runs meanwhile.
 */
class Atomic
{
    public function __construct(int $value = 0)
    {
        Store::$atomics[$this] = $value & 0xFFFFFFFF;
    }

    public function add(int $add_value = 1): int
    {
        return Store::$atomics[$this] = ($this->get() + ($add_value & 0xFFFFFFFF)) & 0xFFFFFFFF;
    }

    public function sub(int $sub_value = 1): int
    {
        return Store::$atomics[$this] = ($this->get() - ($sub_value & 0xFFFFFFFF)) & 0xFFFFFFFF;
    }

    public function get(): int
    {
        // A subclass may skip the constructor; Swoole's value is then 0.
        return Store::$atomics[$this] ?? 0;
    }

    public function set(int $value): void
    {
        Store::$atomics[$this] = $value & 0xFFFFFFFF;
    }

    public function cmpset(int $cmp_value, int $new_value): bool
    {
        if ($this->get() !== ($cmp_value & 0xFFFFFFFF)) {
            return false;
        }
        Store::$atomics[$this] = $new_value & 0xFFFFFFFF;

        return true;
    }

    /**
     * Takes a pending wakeup (1 → 0) and returns true; otherwise, as the
     * futex Swoole uses: false at once unless the value is 0, else false
     * after $timeout seconds (for ever if $timeout <= 0).
     */
    public function wait(float $timeout = 1.0): bool
    {
        $value = $this->get();
        if ($value === 1) {
            Store::$atomics[$this] = 0;

            return true;
        }
        if ($value === 0) {
            do {
                usleep($timeout > 0 ? (int) ($timeout * 1e6) : 1000000000);
            } while ($timeout <= 0);
        }

        return false;
    }

    public function wakeup(int $count = 1): bool
    {
        if ($this->get() === 0) {
            Store::$atomics[$this] = 1;
        }

        return true;
    }
}
