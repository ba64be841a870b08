<?php

namespace Swoole;

/**
 * Swoole\Runtime: the hook flags are kept and reported, but nothing is
 * hooked: PHP's blocking functions block the thread (see COMPATIBILITY.md).
 */
class Runtime
{
    private static int $flags = 0;

    public static function enableCoroutine(int $flags = SWOOLE_HOOK_ALL): bool
    {
        self::$flags = $flags;

        return true;
    }

    public static function getHookFlags(): int
    {
        return self::$flags;
    }

    public static function setHookFlags(int $flags): bool
    {
        self::$flags = $flags;

        return true;
    }
}
