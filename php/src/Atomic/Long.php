<?php

namespace Swoole\Atomic;

use Swoole\Shim\Counter;
use Swoole\Shim\Int64;

/** Swoole\Atomic\Long: a signed 64-bit counter that wraps as C's does, shared as Swoole\Atomic is. */
class Long
{
    public function __construct(int $value = 0)
    {
        Counter::of($this, true)->set($value);
    }

    public function add(int $add_value = 1): int
    {
        return Counter::of($this, true)->add($add_value);
    }

    public function sub(int $sub_value = 1): int
    {
        return Counter::of($this, true)->add(Int64::add(~$sub_value, 1));
    }

    public function get(): int
    {
        return Counter::of($this, true)->value[0];
    }

    public function set(int $value): void
    {
        Counter::of($this, true)->set($value);
    }

    public function cmpset(int $cmp_value, int $new_value): bool
    {
        return Counter::of($this, true)->cmpset($cmp_value, $new_value);
    }
}
