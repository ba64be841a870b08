<?php

namespace Swoole\Shim;

/**
 * Per-object internal state of the public classes, kept out of their
 * properties so that var_dump() and print_r() show what Swoole shows.
 *
 * @internal
 */
final class Store
{
    /** @var \WeakMap<object, ServerState> */
    public static \WeakMap $servers;

    /** @var \WeakMap<object, string> raw request bodies */
    public static \WeakMap $bodies;

    /** @var \WeakMap<object, string> whole requests as received */
    public static \WeakMap $raw;

    /** @var \WeakMap<object, ResponseState> */
    public static \WeakMap $responses;

    /** @var \WeakMap<object, TableData|null> rows of each Swoole\Table; null once destroyed */
    public static \WeakMap $tables;

    /** @var \WeakMap<object, Counter> the value of each Swoole\Atomic and Atomic\Long */
    public static \WeakMap $atomics;

    /** @var \WeakMap<object, LockState> */
    public static \WeakMap $locks;

    /** @var \WeakMap<object, array{queue: \SplQueue, consumers: array<int, true>, producers: array<int, true>, closed: bool}> */
    public static \WeakMap $channels;

    /** @var \WeakReference<ServerState>|null the server constructed last */
    public static ?\WeakReference $current = null;

    public static function init(): void
    {
        self::$servers = new \WeakMap();
        self::$locks = new \WeakMap();
        self::$bodies = new \WeakMap();
        self::$raw = new \WeakMap();
        self::$responses = new \WeakMap();
        self::$tables = new \WeakMap();
        self::$atomics = new \WeakMap();
        self::$channels = new \WeakMap();
    }
}
