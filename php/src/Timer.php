<?php

namespace Swoole;

use Swoole\Shim\ErrorReporter;
use Swoole\Shim\ServerState;

/**
 * Swoole\Timer. With a server running, timers run on its event loop: they
 * fire between other events, on the PHP thread. Without one they run on
 * the loop of Co\run(), or of the end of the script (Swoole's event loop
 * runs until nothing is left), in plain PHP: a script that sets timers
 * before start() does not load the library for them.
 */
class Timer
{
    /** @var array<int, array{callable, array<mixed>, bool, int}> id => callback, params, tick, runs */
    private static array $timers = [];

    /** @var array<int, callable> the library's own one-shot timers (coroutine wake-ups), not listed */
    private static array $internal = [];

    /** @var array<int, array{array{string, int}, int}> timers without a server: id => Scheduler handle, ms */
    private static array $local = [];

    private static int $lastLocal = 0;

    public static function tick(int $ms, callable $callback, mixed ...$params): int|false
    {
        return self::add('tick', $ms, $callback, $params, true);
    }

    public static function after(int $ms, callable $callback, mixed ...$params): int|false
    {
        return self::add('after', $ms, $callback, $params, false);
    }

    /** @param array<mixed> $params */
    private static function add(string $method, int $ms, callable $callback, array $params, bool $tick): int|false
    {
        if ($ms < 1) {
            ErrorReporter::raise(E_WARNING, "Swoole\\Timer::$method(): Timer must be greater than or equal to 1");

            return false;
        }
        $st = ServerState::current();
        if ($st === null) {
            $id = ++self::$lastLocal;
            self::$timers[$id] = [$callback, $params, $tick, 0];
            self::schedule($id, $ms);

            return $id;
        }
        $id = $st->ffi->timer_add($st->handle, $ms, (int) $tick);
        if ($id < 0) {
            ErrorReporter::raise(E_WARNING, "Swoole\\Timer::$method(): add timer failed");

            return false;
        }
        self::$timers[$id] = [$callback, $params, $tick, 0];

        return $id;
    }

    /**
     * A one-shot timer for the library itself (a coroutine's sleep or
     * timeout): not listed, not cleared by clearAll(), run as is.
     *
     * @internal
     */
    public static function internal(int $ms, callable $callback): int|false
    {
        $st = ServerState::current();
        $id = $st?->ffi->timer_add($st->handle, $ms, 0) ?? -1;
        if ($id < 0) {
            return false;
        }
        self::$internal[$id] = $callback;

        return $id;
    }

    /** @internal */
    public static function clearInternal(int $timer_id): void
    {
        $st = ServerState::current();
        if (isset(self::$internal[$timer_id]) && $st !== null) {
            unset(self::$internal[$timer_id]);
            $st->ffi->timer_clear($st->handle, $timer_id);
        }
    }

    /** A timer without a server: fires after $ms on the Scheduler's loop, a tick again and again. */
    private static function schedule(int $id, int $ms): void
    {
        self::$local[$id] = [Shim\Scheduler::after($ms / 1000, static function () use ($id, $ms): void {
            if (isset(self::$timers[$id]) && self::$timers[$id][2]) {
                self::schedule($id, $ms);
            } else {
                unset(self::$local[$id]);
            }
            self::fire($id, true);
        }), $ms];
    }

    public static function clear(int $timer_id): bool
    {
        if (isset(self::$local[$timer_id])) {
            Shim\Scheduler::cancel(self::$local[$timer_id][0]);
            unset(self::$local[$timer_id], self::$timers[$timer_id]);

            return true;
        }
        $st = ServerState::current();
        if ($st === null || !isset(self::$timers[$timer_id])) {
            return false;
        }
        unset(self::$timers[$timer_id]);

        return $st->ffi->timer_clear($st->handle, $timer_id) === 0;
    }

    public static function clearAll(): bool
    {
        foreach (array_keys(self::$timers) as $id) {
            self::clear($id);
        }

        return true;
    }

    public static function exists(int $timer_id): bool
    {
        return isset(self::$timers[$timer_id]);
    }

    /** @return array<string, mixed>|null */
    public static function info(int $timer_id): ?array
    {
        if (isset(self::$local[$timer_id])) {
            $ms = self::$local[$timer_id][1];

            return [
                'exec_msec' => $ms,
                'exec_count' => self::$timers[$timer_id][3],
                'interval' => self::$timers[$timer_id][2] ? $ms : 0,
                'round' => 0,
                'removed' => false,
            ];
        }
        $st = ServerState::current();
        if ($st === null || !isset(self::$timers[$timer_id])) {
            return null;
        }
        $interval = $st->ffi->new('int64_t');
        $tick = $st->ffi->new('int');
        if ($st->ffi->timer_info($st->handle, $timer_id, \FFI::addr($interval), \FFI::addr($tick)) < 0) {
            return null;
        }

        return [
            'exec_msec' => $interval->cdata,
            'exec_count' => self::$timers[$timer_id][3],
            'interval' => $tick->cdata ? $interval->cdata : 0,
            'round' => 0,
            'removed' => false,
        ];
    }

    public static function list(): Timer\Iterator
    {
        return new Timer\Iterator(array_keys(self::$timers));
    }

    /** @return array{initialized: bool, num: int, round: int} */
    public static function stats(): array
    {
        $initialized = ServerState::current() !== null || self::$lastLocal > 0;

        return ['initialized' => $initialized, 'num' => count(self::$timers), 'round' => 0];
    }

    /**
     * Runs the callback of a timer that fired: a tick gets its id first,
     * then the extra arguments; after() gets the extra arguments only.
     * With $coroutine, in a new coroutine, as Swoole runs timers when
     * enable_coroutine is on.
     *
     * @internal
     */
    public static function fire(int $id, bool $coroutine): void
    {
        if (isset(self::$internal[$id])) {
            $callback = self::$internal[$id];
            unset(self::$internal[$id]);
            $callback();

            return;
        }
        if (!isset(self::$timers[$id])) {
            return;
        }
        [$callback, $params, $tick] = self::$timers[$id];
        if ($tick) {
            self::$timers[$id][3]++;
            $params = [$id, ...$params];
        } else {
            unset(self::$timers[$id]);
        }
        if ($coroutine) {
            Shim\Scheduler::spawn($callback, $params);
        } else {
            $callback(...$params);
        }
    }
}
