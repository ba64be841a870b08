<?php

namespace Swoole\Shim;

use Fiber;
use Swoole\Coroutine\Context;
use Swoole\Timer;

/**
 * Swoole's coroutines as PHP fibers. A coroutine runs at once until it
 * suspends (sleep, a channel, yield); what resumes it is a timer of the
 * server's event loop, or, without a running server, the loop of
 * Co\run() or the one run at the end of the script, as Swoole runs its
 * event loop at shutdown. A server's callbacks run inline in its loop
 * fiber (inline()); other coroutines get a fiber of their own, reused
 * from a pool of idle ones.
 *
 * @internal
 */
final class Scheduler
{
    /** What an idle fiber suspends with. */
    private const IDLE = "\0idle";

    /** How many idle fibers are kept for reuse. */
    private const POOL = 64;

    private const SW_ERROR_INVALID_PARAMS = 505;
    private const SW_ERROR_WRONG_OPERATION = 509;
    private const SW_ERROR_CO_HAS_BEEN_BOUND = 10002;
    private const SW_ERROR_CO_TIMEDOUT = 10018;

    /** @var array<int, Co> */
    private static array $cos = [];

    /**
     * The callback running inline that nothing has asked about yet (0: none;
     * there is at most one, as one that suspends gets its Co): its Co is
     * made on demand (record()), which saves most of the cost of a
     * coroutine per event.
     */
    private static int $lightCid = 0;
    private static ?Fiber $lightFiber = null;
    private static ?EventLoop $lightEvents = null;
    private static int $lightStart = 0;

    /** @var list<Fiber> */
    private static array $idle = [];

    private static int $lastCid = 0;
    private static int $peak = 0;

    /** @var array<int, int> spl_object_id() of a busy fiber => the coroutine it runs */
    private static array $running = [];

    /** The timers of the loop without a server; made, and run at the script's end, on first use. */
    private static ?TimerLoop $timers = null;

    /** Whether Co\run() is running its loop. */
    private static bool $inRun = false;

    /** Whether an event loop without a server runs: Co\run()'s, or a coroutine's. */
    public static function looping(): bool
    {
        return self::$inRun || self::cid() > 0;
    }

    /**
     * Co\run(): runs $fn in a coroutine and the loop until nothing is
     * left to wake; refused inside a coroutine or a running server.
     */
    public static function run(callable $fn, array $args): bool
    {
        $server = ServerState::current();
        if (self::looping() || ($server !== null && $server->loop->depth > 0)) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Coroutine\\run(): eventLoop has already been created.'
                . ' unable to start Swoole\\Coroutine\\Scheduler');

            return false;
        }
        self::$inRun = true;
        try {
            self::spawn($fn, $args);
            self::$timers?->run();
        } finally {
            self::$inRun = false;
        }

        return true;
    }

    /**
     * Starts a coroutine running $fn in a fiber of its own; its id.
     * $events: the loop whose current event it runs (held if it
     * suspends).
     */
    public static function spawn(callable $fn, array $args = [], ?EventLoop $events = null): int
    {
        $fiber = array_pop(self::$idle) ?? new Fiber(self::work(...));
        $cid = self::begin($fiber, $events);
        $job = [$cid, $fn, $args];
        self::settle($fiber, $fiber->isStarted() ? $fiber->resume($job) : $fiber->start($job));

        return $cid;
    }

    /**
     * Runs $fn as a new coroutine in the calling fiber, which must be the
     * server's loop fiber: no fiber switch for a callback that does not
     * suspend. If it suspends, the whole loop fiber does, and the server
     * goes on in a new one (EventLoop::run()).
     */
    public static function inline(callable $fn, array $args, EventLoop $events): void
    {
        $cid = self::$lightCid = ++self::$lastCid;
        self::$lightFiber = Fiber::getCurrent();
        self::$lightEvents = $events;
        self::$lightStart = hrtime(true);
        if (count(self::$cos) >= self::$peak) {
            self::$peak = count(self::$cos) + 1;
        }
        try {
            $fn(...$args);
        } catch (\Throwable $e) {
            ErrorReporter::uncaught($e);
        }
        if (self::$lightCid === $cid) { // no defers, never suspended
            self::$lightCid = 0;
            self::$lightFiber = self::$lightEvents = null;
        } else {
            self::finish($cid);
        }
    }

    /** The record of a live coroutine (made now for the light one), or null. */
    public static function record(int $cid): ?Co
    {
        if ($cid !== self::$lightCid || $cid === 0) {
            return self::$cos[$cid] ?? null;
        }
        $co = new Co();
        $co->events = self::$lightEvents;
        $co->start = self::$lightStart;
        $co->fiber = self::$lightFiber;
        $co->pcid = -1;
        self::$running[spl_object_id($co->fiber)] = $cid;
        self::$lightCid = 0;
        self::$lightFiber = self::$lightEvents = null;

        return self::$cos[$cid] = $co;
    }

    /** The bookkeeping of a coroutine starting in $fiber; its id. */
    private static function begin(Fiber $fiber, ?EventLoop $events): int
    {
        $cid = ++self::$lastCid;
        $parent = Fiber::getCurrent();
        $co = new Co();
        $co->fiber = $fiber;
        $co->pcid = $parent === null ? -1 : self::cidOf($parent);
        $co->start = hrtime(true);
        $co->events = $events;
        self::$cos[$cid] = $co;
        self::$peak = max(self::$peak, self::count());
        self::$running[spl_object_id($fiber)] = $cid;

        return $cid;
    }

    /** A coroutine's end: its defers, last first, then its held event is let go. */
    private static function finish(int $cid): void
    {
        $co = self::$cos[$cid];
        for ($i = count($co->defers) - 1; $i >= 0; $i--) {
            try {
                ($co->defers[$i])();
            } catch (\Throwable $e) {
                ErrorReporter::uncaught($e);
            }
        }
        unset(self::$cos[$cid], self::$running[spl_object_id($co->fiber)]);
        if ($co->joiner !== null) {
            ($co->joiner)($cid);
        }
        if ($co->held > 0) {
            $co->events->release($co->held);
        }
    }

    /** The running coroutine's id, -1 outside one. */
    public static function cid(): int
    {
        $fiber = Fiber::getCurrent();

        return $fiber === null ? -1 : self::cidOf($fiber);
    }

    /** The id of the coroutine running in $fiber, -1 if none. */
    private static function cidOf(Fiber $fiber): int
    {
        return $fiber === self::$lightFiber ? self::$lightCid : self::$running[spl_object_id($fiber)] ?? -1;
    }

    /** How many coroutines are alive. */
    private static function count(): int
    {
        return count(self::$cos) + (self::$lightCid !== 0 ? 1 : 0);
    }

    /** The running coroutine's id; Swoole's error outside one. */
    public static function requireCid(): int
    {
        $cid = self::cid();
        if ($cid < 0) {
            throw ErrorReporter::relocate(new \Swoole\Error('API must be called in the coroutine'));
        }

        return $cid;
    }

    public static function exists(int $cid): bool
    {
        return isset(self::$cos[$cid]) || ($cid === self::$lightCid && $cid !== 0);
    }

    /** @return list<int> the ids of the live coroutines, in order */
    public static function ids(): array
    {
        $ids = array_keys(self::$cos);
        if (self::$lightCid !== 0) {
            $ids[] = self::$lightCid;
        }
        sort($ids);

        return $ids;
    }

    /** @return array{int, int, int} count, peak, last id */
    public static function counts(): array
    {
        return [self::count(), self::$peak, self::$lastCid];
    }

    public static function defer(int $cid, callable $fn): void
    {
        self::record($cid)->defers[] = $fn;
    }

    public static function context(int $cid): Context
    {
        return self::record($cid)->context ??= new Context();
    }

    /**
     * Suspends the running coroutine in $state until resume() is called
     * for it; returns the value given there.
     */
    public static function suspend(string $state): mixed
    {
        $co = self::record(self::requireCid());
        if ($co->events !== null && $co->held === 0) {
            $co->held = $co->events->hold();
        }
        $co->state = $state;
        $value = Fiber::suspend($state);
        $co->state = 'running';

        return $value;
    }

    /** Resumes coroutine $cid if it is suspended in $state. */
    public static function resume(int $cid, string $state, mixed $value = null): bool
    {
        $co = self::$cos[$cid] ?? null;
        if ($co === null || $co->state !== $state) {
            return false;
        }
        self::settle($co->fiber, $co->fiber->resume($value));

        return true;
    }

    /**
     * Coroutine::join(): suspends the running coroutine until every live
     * one of $cids has ended (resumed on a timer after the last, as
     * Swoole defers it to its event loop), or $timeout seconds. The
     * error codes are Swoole's, in swoole_last_error().
     */
    public static function join(array $cids, float $timeout): bool
    {
        $self = self::requireCid();
        $native = Native::get();
        if ($cids === []) {
            $native->ffi->swoole_set_last_error(self::SW_ERROR_INVALID_PARAMS);

            return false;
        }
        $waiting = [];
        $active = true; // false once this join has returned: a late wake-up is dropped
        $joiner = static function (int $cid) use (&$waiting, &$active, $self): void {
            unset($waiting[$cid]);
            if ($waiting === []) {
                self::after(0, static function () use (&$active, $self): void {
                    if ($active) {
                        self::resume($self, 'join', true);
                    }
                });
            }
        };
        foreach ($cids as $cid) {
            $cid = (int) $cid;
            if ($cid === $self) {
                $native->ffi->swoole_set_last_error(self::SW_ERROR_WRONG_OPERATION);
                ErrorReporter::raise(E_WARNING, 'Swoole\\Coroutine::join(): can not join self');

                return false;
            }
            $co = self::record($cid);
            if ($co === null) {
                continue;
            }
            if ($co->joiner !== null) {
                $native->ffi->swoole_set_last_error(self::SW_ERROR_CO_HAS_BEEN_BOUND);

                return false;
            }
            $co->joiner = $joiner;
            $waiting[$cid] = $co;
        }
        if ($waiting === []) {
            $native->ffi->swoole_set_last_error(self::SW_ERROR_INVALID_PARAMS);

            return false;
        }
        $timer = $timeout > 0 ? self::after($timeout, static fn () => self::resume($self, 'join', false)) : null;
        $joined = self::suspend('join');
        $active = false;
        if ($timer !== null) {
            self::cancel($timer);
        }
        if (!$joined) {
            foreach ($waiting as $co) {
                $co->joiner = null;
            }
            $native->ffi->swoole_set_last_error(self::SW_ERROR_CO_TIMEDOUT);
        }

        return $joined;
    }

    /** Suspends the running coroutine for $seconds. */
    public static function sleep(float $seconds): void
    {
        $cid = self::requireCid();
        self::after($seconds, static fn () => self::resume($cid, 'sleep'));
        self::suspend('sleep');
    }

    /**
     * Calls $fn after $seconds: on the server's event loop when there is
     * a server, else on the loop of Co\run() or of the script's end.
     * Returns a handle for cancel().
     */
    public static function after(float $seconds, callable $fn): array
    {
        $ms = max(1, (int) ceil($seconds * 1000));
        if (!self::$inRun && ServerState::current() !== null) {
            $id = Timer::internal($ms, $fn);
            if ($id !== false) {
                return ['timer', $id];
            }
        }
        if (self::$timers === null) {
            self::$timers = new TimerLoop();
            register_shutdown_function(self::$timers->run(...));
        }

        return ['sleeper', self::$timers->add(microtime(true) + $ms / 1000, $fn)];
    }

    /** @param array{string, int} $handle what after() returned */
    public static function cancel(array $handle): void
    {
        if ($handle[0] === 'timer') {
            Timer::clearInternal($handle[1]);
        } else {
            self::$timers->cancel($handle[1]);
        }
    }

    /** A fiber's body: runs coroutine after coroutine, idle in between. */
    private static function work(array $job): void
    {
        while (true) {
            [$cid, $fn, $args] = $job;
            try {
                $fn(...$args);
            } catch (\Throwable $e) {
                ErrorReporter::uncaught($e);
            }
            self::finish($cid);
            // An idle fiber keeps nothing of its job alive: what the
            // coroutine's function held is released as it ends, as Swoole's.
            $job = $fn = $args = $e = null;
            $job = Fiber::suspend(self::IDLE);
        }
    }

    /** After a fiber gave control back: keeps it for reuse if it is idle. */
    private static function settle(Fiber $fiber, mixed $suspended): void
    {
        if ($suspended === self::IDLE && count(self::$idle) < self::POOL) {
            self::$idle[] = $fiber;
        }
    }
}
