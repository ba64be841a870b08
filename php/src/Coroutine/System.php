<?php

namespace Swoole\Coroutine;

use Swoole\Coroutine;

/** Swoole\Coroutine\System: only sleep() so far. */
class System
{
    public static function sleep(float $seconds): bool
    {
        return Coroutine::sleep($seconds);
    }
}
