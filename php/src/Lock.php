<?php

namespace Swoole;

use Swoole\Shim\Libc;
use Swoole\Shim\LockState;
use Swoole\Shim\SharedMemory;

/**
 * Swoole\Lock: a mutex, read-write lock or spinlock in shared memory,
 * process-shared as Swoole makes them (pthread's, from libc), so that it
 * locks out the processes forked after it. The errors are pthread's, in
 * $errCode: with LOCK_NB 16 (EBUSY), with a timeout 110 (ETIMEDOUT) once
 * it has passed, 35 (EDEADLK) where glibc sees the deadlock (a read-write
 * lock this process holds for writing). A lock this process holds itself
 * waits on itself as Swoole's does.
 */
class Lock
{
    public const MUTEX = SWOOLE_MUTEX;
    public const RWLOCK = SWOOLE_RWLOCK;
    public const SPINLOCK = SWOOLE_SPINLOCK;

    private const ETIMEDOUT = 110;

    public $errCode = 0;

    public function __construct(int $type = SWOOLE_MUTEX)
    {
        $st = LockState::create($this, $type);
        if ($type !== self::MUTEX && $type !== self::RWLOCK && $type !== self::SPINLOCK) {
            unset(Shim\Store::$locks[$this]); // as in Swoole: a later call finds no lock
            throw Shim\ErrorReporter::relocate(new Exception("lock type[$type] is not support"));
        }
        $st->addr = SharedMemory::alloc(Libc::LOCK_SIZE);
        match ($type) {
            self::MUTEX => Libc::initMutex($st->addr, false),
            self::RWLOCK => Libc::initRWLock($st->addr),
            self::SPINLOCK => Libc::get()->pthread_spin_init($st->addr, Libc::PTHREAD_PROCESS_SHARED),
        };
    }

    public function lock(int $operation = LOCK_EX, float $timeout = -1): bool
    {
        $st = LockState::of($this);
        $libc = Libc::get();
        $msec = (int) ($timeout * 1000);
        $shared = ($operation & LOCK_SH) !== 0;
        $nb = ($operation & LOCK_NB) !== 0;
        $until = $msec > 0 && !$nb ? Libc::deadline($msec / 1000) : null;
        $errno = match ($st->type) {
            self::MUTEX => match (true) {
                $nb => $libc->pthread_mutex_trylock($st->addr),
                $until !== null => $libc->pthread_mutex_timedlock($st->addr, \FFI::addr($until)),
                default => $libc->pthread_mutex_lock($st->addr),
            },
            self::RWLOCK => match (true) {
                $nb && $shared => $libc->pthread_rwlock_tryrdlock($st->addr),
                $nb => $libc->pthread_rwlock_trywrlock($st->addr),
                $until !== null && $shared => $libc->pthread_rwlock_timedrdlock($st->addr, \FFI::addr($until)),
                $until !== null => $libc->pthread_rwlock_timedwrlock($st->addr, \FFI::addr($until)),
                $shared => $libc->pthread_rwlock_rdlock($st->addr),
                default => $libc->pthread_rwlock_wrlock($st->addr),
            },
            default => match (true) {
                $nb => $libc->pthread_spin_trylock($st->addr),
                $msec > 0 => self::spinFor($libc, $st->addr, $msec),
                default => $libc->pthread_spin_lock($st->addr),
            },
        };

        return $this->result($errno);
    }

    public function unlock(): bool
    {
        $st = LockState::of($this);
        $libc = Libc::get();

        return $this->result(match ($st->type) {
            self::MUTEX => $libc->pthread_mutex_unlock($st->addr),
            self::RWLOCK => $libc->pthread_rwlock_unlock($st->addr),
            default => $libc->pthread_spin_unlock($st->addr),
        });
    }

    /**
     * A spinlock with a timeout, as Swoole's sw_wait_for(): try, sleep 1 ms,
     * doubling, the last sleep cut to end at the timeout.
     */
    private static function spinFor(\FFI $libc, int $addr, int $msec): int
    {
        $sleep = 1;
        while ($msec >= 0) {
            if ($libc->pthread_spin_trylock($addr) === 0) {
                return 0;
            }
            usleep($sleep * 1000);
            $sleep *= 2;
            if ($msec > 0 && $msec - $sleep < 0) {
                $sleep = $msec;
                $msec = 0;
            } else {
                $msec -= $sleep;
            }
        }

        return self::ETIMEDOUT;
    }

    private function result(int $errno): bool
    {
        if ($errno !== 0) {
            $this->errCode = $errno;
        }

        return $errno === 0;
    }
}
