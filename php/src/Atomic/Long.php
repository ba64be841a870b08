<?php

namespace Swoole\Atomic;

use Swoole\Shim\Int64;
use Swoole\Shim\Store;

/** Swoole\Atomic\Long: a signed 64-bit counter that wraps as C's does. */
class Long
{
    public function __construct(int $value = 0)
    {
        Store::$atomics[$this] = $value;
    }

    public function add(int $add_value = 1): int
    {
        return Store::$atomics[$this] = Int64::add($this->get(), $add_value);
    }

    public function sub(int $sub_value = 1): int
    {
        return Store::$atomics[$this] = Int64::add($this->get(), Int64::add(~$sub_value, 1));
    }

    public function get(): int
    {
        return Store::$atomics[$this] ?? 0;
    }

    public function set(int $value): void
    {
        Store::$atomics[$this] = $value;
    }

    public function cmpset(int $cmp_value, int $new_value): bool
    {
        if ($this->get() !== $cmp_value) {
            return false;
        }
        Store::$atomics[$this] = $new_value;

        return true;
    }
}
