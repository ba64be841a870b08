<?php

namespace Swoole\Shim;

use FFI;

/**
 * The C library through FFI, for what must work without the Go library:
 * Swoole\Table, Atomic and Lock are made before start() in the process that
 * will fork the workers, and a process that has started the Go runtime
 * cannot fork (see docs/ARCHITECTURE.md). So: shared mappings, pthread
 * locks marked process-shared, the futex behind Atomic::wait(), and the
 * clock of Swoole's log line.
 *
 * Memory is passed as an integer address (intptr_t) rather than a CData
 * pointer: the mappings are known by address, and an integer costs no
 * CData object per call (pointer arithmetic on a CData makes one, ~35 ns).
 *
 * @internal
 */
final class Libc
{
    private const PROT_READ_WRITE = 0x3;
    private const MAP_SHARED_ANONYMOUS = 0x21;
    public const PTHREAD_PROCESS_SHARED = 1;
    private const PTHREAD_MUTEX_ROBUST = 1;
    public const EOWNERDEAD = 130;
    public const FUTEX_WAIT = 0;
    public const FUTEX_WAKE = 1;

    /** Bytes reserved for any pthread lock (glibc: mutex 40, rwlock 56 on x86-64; 48/56 on arm64). */
    public const LOCK_SIZE = 64;

    private const SYS_FUTEX = ['x86_64' => 202, 'aarch64' => 98];

    private static ?FFI $ffi = null;
    private static ?int $sysFutex = null;

    public static function get(): FFI
    {
        return self::$ffi ??= FFI::cdef(<<<'C'
            struct timespec { long tv_sec; long tv_nsec; };
            struct tm { int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
                        long tm_gmtoff; const char *tm_zone; };
            intptr_t mmap(void *addr, size_t length, int prot, int flags, int fd, long offset);
            int munmap(intptr_t addr, size_t length);
            int pthread_mutexattr_init(void *attr);
            int pthread_mutexattr_setpshared(void *attr, int pshared);
            int pthread_mutexattr_setrobust(void *attr, int robust);
            int pthread_mutex_init(intptr_t mutex, const void *attr);
            int pthread_mutex_lock(intptr_t mutex);
            int pthread_mutex_trylock(intptr_t mutex);
            int pthread_mutex_timedlock(intptr_t mutex, const struct timespec *abstime);
            int pthread_mutex_unlock(intptr_t mutex);
            int pthread_mutex_consistent(intptr_t mutex);
            int pthread_rwlockattr_init(void *attr);
            int pthread_rwlockattr_setpshared(void *attr, int pshared);
            int pthread_rwlock_init(intptr_t rwlock, const void *attr);
            int pthread_rwlock_rdlock(intptr_t rwlock);
            int pthread_rwlock_wrlock(intptr_t rwlock);
            int pthread_rwlock_tryrdlock(intptr_t rwlock);
            int pthread_rwlock_trywrlock(intptr_t rwlock);
            int pthread_rwlock_timedrdlock(intptr_t rwlock, const struct timespec *abstime);
            int pthread_rwlock_timedwrlock(intptr_t rwlock, const struct timespec *abstime);
            int pthread_rwlock_unlock(intptr_t rwlock);
            int pthread_spin_init(intptr_t lock, int pshared);
            int pthread_spin_lock(intptr_t lock);
            int pthread_spin_trylock(intptr_t lock);
            int pthread_spin_unlock(intptr_t lock);
            long syscall(long number, ...);
            long time(long *t);
            struct tm *localtime_r(const long *t, struct tm *result);
            size_t strftime(char *s, size_t max, const char *format, const struct tm *tm);
            C, 'libc.so.6');
    }

    /**
     * A new mapping shared with the processes this one forks after, zeroed;
     * its address, or null when the system refuses it.
     */
    public static function map(int $bytes): ?int
    {
        $addr = self::get()->mmap(null, $bytes, self::PROT_READ_WRITE, self::MAP_SHARED_ANONYMOUS, -1, 0);

        return $addr === -1 ? null : $addr;
    }

    public static function unmap(int $addr, int $bytes): void
    {
        self::get()->munmap($addr, $bytes);
    }

    /** Makes the LOCK_SIZE bytes at $addr a process-shared mutex (robust: see SharedMutex). */
    public static function initMutex(int $addr, bool $robust): void
    {
        $libc = self::get();
        $attr = $libc->new('long[8]');
        $at = FFI::addr($attr);
        $libc->pthread_mutexattr_init($at);
        $libc->pthread_mutexattr_setpshared($at, self::PTHREAD_PROCESS_SHARED);
        if ($robust) {
            $libc->pthread_mutexattr_setrobust($at, self::PTHREAD_MUTEX_ROBUST);
        }
        $libc->pthread_mutex_init($addr, $at);
    }

    public static function initRWLock(int $addr): void
    {
        $libc = self::get();
        $attr = $libc->new('long[8]');
        $at = FFI::addr($attr);
        $libc->pthread_rwlockattr_init($at);
        $libc->pthread_rwlockattr_setpshared($at, self::PTHREAD_PROCESS_SHARED);
        $libc->pthread_rwlock_init($addr, $at);
    }

    /** futex(2) on the 32-bit word at $addr; false when it failed (a timeout, another value, a signal). */
    public static function futex(int $addr, int $op, int $value, ?FFI\CData $timeout = null): bool
    {
        self::$sysFutex ??= self::SYS_FUTEX[php_uname('m')] ?? self::SYS_FUTEX['x86_64'];
        $timeout = $timeout === null ? null : FFI::addr($timeout);

        return self::get()->syscall(self::$sysFutex, $addr, $op, $value, $timeout, null, 0) >= 0;
    }

    /** An absolute CLOCK_REALTIME time $seconds from now, as pthread's timed locks take it. */
    public static function deadline(float $seconds): FFI\CData
    {
        $ts = self::get()->new('struct timespec');
        $at = microtime(true) + $seconds;
        $ts->tv_sec = (int) $at;
        $ts->tv_nsec = (int) (($at - (int) $at) * 1e9);

        return $ts;
    }

    /** A relative time, as futex(2) takes it. */
    public static function duration(float $seconds): FFI\CData
    {
        $ts = self::get()->new('struct timespec');
        $ts->tv_sec = (int) $seconds;
        $ts->tv_nsec = (int) (($seconds - (int) $seconds) * 1e9);

        return $ts;
    }

    /** The local time as C's strftime() formats it (Swoole's log date). */
    public static function strftime(string $format): string
    {
        $libc = self::get();
        $now = $libc->new('long');
        $now->cdata = $libc->time(null);
        $tm = $libc->new('struct tm');
        $libc->localtime_r(FFI::addr($now), FFI::addr($tm));
        $buf = $libc->new('char[128]');
        $n = $libc->strftime($buf, 128, $format, FFI::addr($tm));

        return FFI::string($buf, $n);
    }
}
