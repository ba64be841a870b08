<?php

namespace Swoole\Shim;

/**
 * C's 64-bit integer addition, which wraps where PHP's turns into a float.
 *
 * @internal
 */
final class Int64
{
    public static function add(int $a, int $b): int
    {
        $lo = ($a & 0xFFFFFFFF) + ($b & 0xFFFFFFFF);
        $hi = (($a >> 32) + ($b >> 32) + ($lo >> 32)) & 0xFFFFFFFF;

        return ($hi << 32) | ($lo & 0xFFFFFFFF);
    }
}
