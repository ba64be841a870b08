<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;

/**
 * The value of a Swoole\Atomic (unsigned 32-bit) or Atomic\Long (signed
 * 64-bit) in shared memory, so that the processes forked after it count
 * together. Swoole changes it with a CPU atomic instruction, which PHP
 * cannot issue: here each change holds the value's own process-shared
 * mutex, which sits in the same piece of memory.
 *
 * @internal
 */
final class Counter
{
    /** The value's word, then the mutex. */
    private const MUTEX = 8;

    /** The value's address (Atomic's futex waits on it). */
    public int $addr;

    /** uint32_t* or int64_t* at $addr */
    public CData $value;

    private int $mutex;
    private int $mask;
    private FFI $libc;

    private function __construct(bool $long)
    {
        $this->addr = SharedMemory::alloc(self::MUTEX + Libc::LOCK_SIZE);
        $this->mutex = $this->addr + self::MUTEX;
        $this->value = FFI::cast($long ? 'int64_t *' : 'uint32_t *', $this->addr);
        $this->mask = $long ? -1 : 0xFFFFFFFF;
        $this->libc = Libc::get();
        Libc::initMutex($this->mutex, true);
    }

    /** The counter of $atomic, made on first use (a subclass may skip the constructor: Swoole's value is then 0). */
    public static function of(object $atomic, bool $long): self
    {
        return Store::$atomics[$atomic] ??= new self($long);
    }

    /** Adds $delta as C adds (wrapping) and returns the new value. */
    public function add(int $delta): int
    {
        $this->lock();
        $value = $this->mask === -1
            ? Int64::add($this->value[0], $delta)
            : ($this->value[0] + ($delta & 0xFFFFFFFF)) & 0xFFFFFFFF;
        $this->value[0] = $value;
        $this->libc->pthread_mutex_unlock($this->mutex);

        return $value;
    }

    public function set(int $value): void
    {
        $this->value[0] = $value & $this->mask;
    }

    /** Sets the value to $new if it is $old. */
    public function cmpset(int $old, int $new): bool
    {
        $this->lock();
        $swapped = $this->value[0] === ($old & $this->mask);
        if ($swapped) {
            $this->value[0] = $new & $this->mask;
        }
        $this->libc->pthread_mutex_unlock($this->mutex);

        return $swapped;
    }

    private function lock(): void
    {
        $errno = $this->libc->pthread_mutex_lock($this->mutex);
        if ($errno !== 0) {
            SharedMemory::recover($this->libc, $this->mutex, $errno);
        }
    }
}
