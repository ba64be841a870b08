<?php

namespace Swoole;

use Swoole\Shim\ErrorReporter;
use Swoole\Shim\Scheduler;

/**
 * Swoole\Coroutine (alias Co), on PHP fibers: see Shim\Scheduler. Server
 * callbacks run in coroutines, as with Swoole's enable_coroutine; what
 * suspends are sleep(), channels and yield(). Nothing hooks PHP's
 * blocking functions: sleep(), file and socket calls block the thread.
 */
class Coroutine
{
    /** @var array<string, mixed> what set() was given */
    private static array $options = [];

    public static function create(callable $func, mixed ...$param): int|false
    {
        return Scheduler::spawn($func, $param);
    }

    public static function defer(callable $callback): void
    {
        Scheduler::defer(Scheduler::requireCid(), $callback);
    }

    /** Kept for getOptions(); the options themselves have no effect here. */
    public static function set(array $options): void
    {
        self::$options = array_merge(self::$options, $options);
        if (isset($options['hook_flags'])) {
            Runtime::setHookFlags((int) $options['hook_flags']);
        }
    }

    public static function getOptions(): ?array
    {
        return self::$options;
    }

    public static function exists(int $cid): bool
    {
        return Scheduler::exists($cid);
    }

    public static function yield(): bool
    {
        Scheduler::suspend('yield');

        return true;
    }

    public static function suspend(): bool
    {
        return self::yield();
    }

    public static function resume(int $cid): bool
    {
        if (!Scheduler::resume($cid, 'yield', true)) {
            ErrorReporter::raise(
                E_WARNING,
                'Swoole\\Coroutine::resume(): you can not resume the coroutine which is in IO operation or non-existent'
            );

            return false;
        }

        return true;
    }

    /** Suspends the coroutine for $seconds (Swoole\Coroutine\System::sleep). */
    /**
     * Waits until the coroutines $cid_array names have ended, or
     * $timeout seconds; false with swoole_last_error() as Swoole's.
     *
     * @param array<int> $cid_array
     */
    public static function join(array $cid_array, float $timeout = -1): bool
    {
        return Scheduler::join($cid_array, $timeout);
    }

    public static function sleep(float $seconds): bool
    {
        Scheduler::sleep($seconds);

        return true;
    }

    public static function getCid(): int
    {
        return Scheduler::cid();
    }

    public static function getuid(): int
    {
        return Scheduler::cid();
    }

    public static function getPcid(int $cid = 0): false|int
    {
        $cid = $cid === 0 ? Scheduler::cid() : $cid;

        return Scheduler::record($cid)->pcid ?? false;
    }

    public static function getContext(int $cid = 0): ?Coroutine\Context
    {
        $cid = $cid === 0 ? Scheduler::cid() : $cid;

        return Scheduler::exists($cid) ? Scheduler::context($cid) : null;
    }

    /** Milliseconds since the coroutine started; -1 if it does not exist. */
    public static function getElapsed(int $cid = 0): int
    {
        $cid = $cid === 0 ? Scheduler::cid() : $cid;
        $co = Scheduler::record($cid);

        return $co === null ? -1 : intdiv(hrtime(true) - $co->start, 1000000);
    }

    public static function list(): Coroutine\Iterator
    {
        return new Coroutine\Iterator(Scheduler::ids());
    }

    public static function listCoroutines(): Coroutine\Iterator
    {
        return self::list();
    }

    /** @return array<string, int> */
    public static function stats(): array
    {
        [$num, $peak, $last] = Scheduler::counts();

        return [
            'event_num' => 0,
            'signal_listener_num' => 0,
            'aio_task_num' => 0,
            'aio_worker_num' => 0,
            'aio_queue_size' => 0,
            'c_stack_size' => 2097152,
            'coroutine_num' => $num,
            'coroutine_peak_num' => $peak,
            'coroutine_last_cid' => $last,
        ];
    }
}
