<?php

namespace Swoole\Shim;

/**
 * Small pieces of shared memory (an Atomic's value and its mutex, a Lock),
 * carved from shared pages as Swoole's global memory pool carves them:
 * never given back, since a process forked after the allocation may still
 * use the piece after this one has dropped its object. A forked process
 * maps pages of its own before it allocates, or it would hand out the
 * bytes its parent hands out next.
 *
 * @internal
 */
final class SharedMemory
{
    private const PAGE = 65536;
    private const SW_ERROR_MALLOC_FAIL = 501;

    private static int $page = 0;
    private static int $used = self::PAGE;
    private static int $pid = 0;

    /** The address of $bytes (at most a page) of zeroed shared memory, 8-aligned. */
    public static function alloc(int $bytes): int
    {
        $bytes = ($bytes + 7) & ~7;
        $pid = getmypid();
        if (self::$used + $bytes > self::PAGE || self::$pid !== $pid) {
            self::$page = Libc::map(self::PAGE)
                ?? throw new \Swoole\Exception('global memory allocation failure', self::SW_ERROR_MALLOC_FAIL);
            self::$used = 0;
            self::$pid = $pid;
        }
        $addr = self::$page + self::$used;
        self::$used += $bytes;

        return $addr;
    }

    /**
     * After pthread_mutex_lock() of a robust mutex (a Table's, an Atomic's)
     * failed with $errno: if the process holding it died (killed in the
     * middle of a set()), this one now holds it and makes it usable again,
     * as Swoole's row lock forces the lock of a process that no longer
     * exists.
     */
    public static function recover(\FFI $libc, int $mutex, int $errno): void
    {
        if ($errno === Libc::EOWNERDEAD) {
            $libc->pthread_mutex_consistent($mutex);
        }
    }
}
