<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;
use Swoole\Server;

/**
 * The event loop of one server, on the PHP thread: it takes each event
 * from the library and runs the user's callback for it, as a coroutine
 * unless enable_coroutine is off. The library hands out events and PHP
 * runs each callback itself, so exceptions and exit() unwind through PHP
 * only, never through C.
 *
 * With coroutines the loop runs in a fiber, and each callback runs as a
 * coroutine inside it (Scheduler::inline()). If one suspends, so does
 * that fiber: its event is held, the loop goes on in a new fiber, and the
 * old one ends once its callback has.
 *
 * @internal
 */
final class EventLoop
{
    /** enable_coroutine: callbacks run in coroutines (Swoole's default) */
    public bool $coroutines = true;

    /** How many callbacks are running (nested calls included). */
    public int $depth = 0;

    /** The fiber the loop runs in, while it does. */
    private ?\Fiber $fiber = null;

    /** The swoole_event that server_next() fills, allocated once. */
    private CData $event;

    private FFI $ffi;

    /** The server's handle (ServerState::$handle, bound by reference): null once freed. */
    private ?CData $handle;

    private int $timerType;

    private int $pipeType;

    /** @var array<int, string> the decoder's event type => callback name */
    private array $names;

    /** @var array<int, \Closure(Server, CData): list<mixed>> the decoder's event type => arguments builder */
    private array $builders;

    /**
     * The arrays of the callback registry, bound by reference: the loop
     * reads them on every event without going through the registry.
     *
     * @var array<string, callable>
     */
    private array $serverCallbacks;

    /** @var array<int, array<string, callable>> */
    private array $portCallbacks;

    private Tasks $tasks;

    /** @var \WeakReference<Server> */
    private \WeakReference $server;

    public function __construct(ServerState $state, Server $server)
    {
        $this->ffi = $state->ffi;
        $this->handle = &$state->handle;
        $this->event = $this->ffi->new('swoole_event');
        $this->timerType = $state->native->define('SWOOLE_EVENT_TIMER');
        $this->pipeType = $state->native->define('SWOOLE_EVENT_PIPE_MESSAGE');
        $decoder = new EventDecoder($state);
        $this->names = $decoder->names;
        $this->builders = $decoder->builders;
        $this->serverCallbacks = &$state->callbacks->server;
        $this->portCallbacks = &$state->callbacks->ports;
        $this->tasks = $state->tasks;
        $this->server = \WeakReference::create($server);
    }

    /** start(): runs events until the server stops. Tasks a callback queued run after it. */
    public function run(): void
    {
        if (!$this->coroutines) {
            $this->loop();

            return;
        }
        do {
            $this->fiber = new \Fiber($this->loop(...));
            $this->fiber->start();
        } while (!$this->fiber->isTerminated());
        $this->fiber = null;
    }

    private function loop(): void
    {
        $me = \Fiber::getCurrent();
        $ev = FFI::addr($this->event);
        while ($this->handle !== null && $this->ffi->server_next($this->handle, $ev, 1) === 1) {
            $this->dispatch($this->event);
            if ($me !== $this->fiber) {
                return; // this fiber was suspended, the loop moved on: its callback has now ended
            }
            if ($this->tasks->pending() && ($server = $this->server->get()) !== null) {
                $this->tasks->runQueued($server);
            }
        }
    }

    /**
     * Runs the close callbacks that the call just made produced (close(),
     * disconnect(), $response->close(), end() without keep-alive): Swoole
     * runs them inside that call.
     */
    public function drain(): void
    {
        if ($this->handle === null) {
            return;
        }
        $ev = FFI::addr($this->event);
        while ($this->ffi->server_next($this->handle, $ev, 0) === 1) {
            $this->dispatch($this->event);
        }
    }

    /**
     * Keeps the event in flight from being finished: its coroutine has
     * suspended. Returns the token for release(), or 0.
     */
    public function hold(): int
    {
        return $this->handle === null ? 0 : max(0, $this->ffi->server_hold($this->handle));
    }

    /** Finishes a held event once its coroutine has ended. */
    public function release(int $token): void
    {
        if ($this->handle !== null && $this->ffi->server_release($this->handle, $token) === 0) {
            $this->drain(); // finishing it may have closed the connection
        }
    }

    /**
     * Runs a user callback outside the event dispatch (a task, its
     * result): counted as running, its exception reported.
     */
    public function invoke(callable $fn, mixed ...$args): void
    {
        ++$this->depth;
        try {
            $fn(...$args);
        } catch (\Throwable $e) {
            ErrorReporter::uncaught($e);
        } finally {
            --$this->depth;
        }
    }

    private function dispatch(CData $ev): void
    {
        $type = $ev->type;
        if ($type === $this->timerType) {
            try {
                \Swoole\Timer::fire($ev->timer_id, $this->coroutines);
            } catch (\Throwable $e) {
                ErrorReporter::uncaught($e);
            }

            return;
        }
        $server = $this->server->get();
        if ($type === $this->pipeType) {
            // Another process's message: onPipeMessage, or a task's result.
            $server === null || $this->tasks->receive($server, $ev);

            return;
        }
        $name = $this->names[$type] ?? null;
        if ($server === null || $name === null) {
            return;
        }
        $cb = $this->portCallbacks[$ev->server_port][$name] ?? $this->serverCallbacks[$name] ?? null;
        if ($cb === null) {
            return;
        }
        // Everything is read from $ev before the callback, which may reuse it.
        $args = $this->builders[$type]($server, $ev);
        ++$this->depth;
        try {
            if (!$this->coroutines || $name === 'workerstop' || $name === 'shutdown') {
                $cb(...$args);
            } elseif ($this->depth === 1 && $this->fiber !== null && \Fiber::getCurrent() === $this->fiber) {
                Scheduler::inline($cb, $args, $this);
            } else {
                // A close callback run inside a call (drain()), or a
                // callback in a fiber that is no longer the loop's.
                Scheduler::spawn($cb, $args, $this);
            }
        } catch (\Throwable $e) {
            ErrorReporter::uncaught($e);
        } finally {
            --$this->depth;
        }
        if ($name === 'workerstart' || $name === 'workerstop') {
            $this->tasks->asEachWorker($server, $cb);
        }
    }
}
