<?php

namespace Swoole\Shim;

/**
 * The state of a Swoole\Lock or Swoole\Coroutine\Lock.
 *
 * @internal
 */
final class LockState
{
    /** Swoole\Lock::MUTEX, RWLOCK or SPINLOCK; 0 for a coroutine lock */
    public int $type = 0;

    /** where a Swoole\Lock's pthread lock is, in shared memory */
    public int $addr = 0;

    /** a coroutine lock is held */
    public bool $held = false;

    /** the coroutine that holds a coroutine lock */
    public int $cid = 0;

    /** The state of $lock; Swoole's fatal error if its constructor never ran. */
    public static function of(object $lock): self
    {
        $state = Store::$locks[$lock] ?? null;
        if ($state === null) {
            ErrorReporter::uncaught(ErrorReporter::relocate(new \Swoole\Error('must call constructor first', 509)));
            exit(255);
        }

        return $state;
    }

    /** Stores a new state for $lock, once: Swoole's error on a second constructor call. */
    public static function create(object $lock, int $type): self
    {
        if (isset(Store::$locks[$lock])) {
            $message = sprintf('Constructor of %s can only be called once', get_class($lock));
            throw ErrorReporter::relocate(new \Error($message));
        }
        $state = new self();
        $state->type = $type;
        Store::$locks[$lock] = $state;

        return $state;
    }
}
