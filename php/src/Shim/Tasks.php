<?php

namespace Swoole\Shim;

use Swoole\Server;

/**
 * Task workers.
 *
 * With several workers (worker_num > 1, SWOOLE_BASE) they are processes,
 * as Swoole's: the manager forks them after the workers (ids worker_num
 * and up); a task crosses to one over its socket (Pipes), onTask runs
 * there (serve(), a loop without the library), and the result comes back
 * to the sending worker's loop as a message, for onFinish, task()'s
 * callback or a taskwait() suspended meanwhile.
 *
 * With one worker they run on the PHP thread: a task() runs once the
 * callback that queued it has returned, before the next event, as task
 * worker number worker_num + index ($server->worker_id and ->taskworker
 * say so while it runs), and its results reach onFinish (or task()'s
 * callback) right after; taskwait() runs the task at once.
 *
 * Data crosses as it does between Swoole's processes: strings as they are,
 * anything else serialized, so each side has its own copy.
 *
 * @internal
 */
final class Tasks
{
    /** Task ids count from 0, as Swoole's do. */
    private int $nextId = 0;

    /** @var list<array{int, string, bool, int}> queued tasks: id, data, serialized, task worker index */
    private array $queue = [];

    /** @var array<int, callable> task id => the finish callback given to task() */
    private array $callbacks = [];

    /** @var list<array{string, bool}>|null what finish() sent from the running onTask; null outside one */
    private ?array $results = null;

    /** Round robin over the task worker processes. */
    private int $next = 0;

    /** @var array<int, \Swoole\Coroutine\Channel> task id => where its result goes: a taskwait() in a coroutine */
    private array $waiting = [];

    /** @var array<int, true> tasks whose taskwait() gave up: their results are dropped, as Swoole drops them */
    private array $expired = [];

    public function __construct(private readonly ServerState $state)
    {
    }

    /** task_worker_num of the server's settings. */
    public static function workerNum(Server $server): int
    {
        return (int) ($server->setting['task_worker_num'] ?? 0);
    }

    /**
     * Swoole's checks before a task is sent: a warning at the user's call
     * and false when one fails.
     */
    public function check(Server $server, string $method, int $index): bool
    {
        $num = self::workerNum($server);
        $message = match (true) {
            $server->master_pid === 0 => 'server is not running',
            $num === 0 => "task method can't be executed without task worker",
            $index > 0 && $index >= $num => "worker_id must be less than task_worker_num[$num]",
            $server->taskworker => 'Server->task() cannot use in the task-worker',
            default => null,
        };
        if ($message !== null) {
            ErrorReporter::raise(E_WARNING, "Swoole\\Server::$method(): $message");

            return false;
        }

        return true;
    }

    /** Queues a task for after the running callback (or sends it to a task worker); its id. */
    public function add(Server $server, mixed $data, int $index, ?callable $finish): int|false
    {
        if ($this->state->pipes !== null) {
            $id = $this->send($server, $data, $index);
            if ($id !== false && $finish !== null) {
                $this->callbacks[$id] = $finish;
            }

            return $id;
        }
        $task = $this->create($server, $data, $index);
        $this->queue[] = $task;
        $id = $task[0];
        if ($finish !== null) {
            $this->callbacks[$id] = $finish;
        }

        return $id;
    }

    public function pending(): bool
    {
        return $this->queue !== [];
    }

    /** Runs the queued tasks, and the tasks their onFinish callbacks queue. */
    public function runQueued(Server $server): void
    {
        while ($this->queue !== []) {
            $task = array_shift($this->queue);
            $id = $task[0];
            foreach ($this->execute($server, ...$task) as [$result, $serialized]) {
                $this->deliver($server, $id, self::unpack($result, $serialized));
            }
            unset($this->callbacks[$id]);
        }
    }

    /**
     * taskwait() and the like: what each task finished with, by position,
     * false for one that finished with nothing or not before the timeout.
     * Task worker processes run them at the same time; on the PHP thread
     * each runs now, in turn (Swoole waits out the timeout for one that
     * finishes with nothing; here it has already ended).
     *
     * @param list<mixed> $tasks
     * @return list<mixed>
     */
    public function wait(Server $server, array $tasks, int $index, float $timeout): array
    {
        if ($this->state->pipes === null) {
            return array_map(function (mixed $data) use ($server, $index): mixed {
                $results = $this->execute($server, ...$this->create($server, $data, $index));

                return $results === [] ? false : self::unpack(...$results[0]);
            }, $tasks);
        }
        $ids = [];
        foreach ($tasks as $data) {
            $ids[] = $this->send($server, $data, $index);
        }

        return $this->await($server, $ids, $timeout);
    }

    /**
     * The results of tasks sent to task worker processes. A coroutine
     * suspends meanwhile and the loop serves the others; outside one the
     * worker waits on its socket, keeping for later whatever else arrives.
     *
     * @param list<int|false> $ids
     * @return list<mixed>
     */
    private function await(Server $server, array $ids, float $timeout): array
    {
        $results = array_fill(0, count($ids), false);
        $slot = array_flip(array_filter($ids, 'is_int'));
        $deadline = microtime(true) + max(0.001, $timeout);
        if (\Swoole\Coroutine::getCid() > 0) {
            $chan = new \Swoole\Coroutine\Channel(count($slot) ?: 1);
            foreach ($slot as $id => $_) {
                $this->waiting[$id] = $chan;
            }
            while ($slot !== [] && ($left = $deadline - microtime(true)) > 0) {
                $got = $chan->pop($left);
                if ($got === false) {
                    break;
                }
                $results[$slot[$got[0]]] = $got[1];
                unset($slot[$got[0]]);
            }
            foreach ($ids as $id) {
                unset($this->waiting[$id]);
            }
            $this->expired += $slot;

            return $results;
        }
        $fd = $this->state->pipes->receivingEnd($server->worker_id);
        $later = [];
        while ($slot !== [] && ($left = $deadline - microtime(true)) > 0) {
            if (!Libc::poll($fd, (int) ceil($left * 1000))) {
                continue;
            }
            $message = Pipes::decode((string) Libc::read($fd, Pipes::MAX_DATAGRAM, false));
            if ($message[0] === Pipes::RESULT && isset($slot[$message[2]])) {
                $results[$slot[$message[2]]] = $message[3];
                unset($slot[$message[2]]);
            } else {
                $later[] = $message;
            }
        }
        $this->expired += $slot;
        foreach ($later as $message) {
            $this->handle($server, ...$message);
        }

        return $results;
    }

    /** A message from another process, read by the loop (SWOOLE_EVENT_PIPE_MESSAGE). */
    public function receive(Server $server, \FFI\CData $ev): void
    {
        $this->handle($server, ...Pipes::decode(\FFI::string($ev->data, $ev->data_len)));
    }

    private function handle(Server $server, int $kind, int $src, int $taskId, mixed $data): void
    {
        if ($kind === Pipes::RESULT) {
            if (isset($this->expired[$taskId])) {
                unset($this->expired[$taskId]);
            } elseif (isset($this->waiting[$taskId])) {
                // Room for every result: the push never waits, but a
                // channel is only used from a coroutine.
                $chan = $this->waiting[$taskId];
                \Swoole\Coroutine::create(static fn () => $chan->push([$taskId, $data]));
            } else {
                $this->deliver($server, $taskId, $data);
                unset($this->callbacks[$taskId]);
            }
        } elseif ($kind === Pipes::MESSAGE && ($cb = $this->state->callbacks->get('pipemessage')) !== null) {
            $this->state->loop->invoke($cb, $server, $src, $data);
        }
    }

    /** Sends a task to a task worker process (the one asked for, else round robin); its id. */
    private function send(Server $server, mixed $data, int $index): int|false
    {
        $id = $this->nextId++;
        $index = $index >= 0 ? $index : $this->next++ % self::workerNum($server);
        $dst = (int) ($server->setting['worker_num'] ?? 1) + $index;

        return $this->state->pipes->send($dst, Pipes::TASK, $server->worker_id, $data, $id) ? $id : false;
    }

    /**
     * A task worker process: runs the tasks (and pipe messages) that
     * arrive on its socket until SIGTERM, with onWorkerStart and
     * onWorkerStop around. It never loads the library. Its exit status.
     */
    public function serve(Server $server, int $id): int
    {
        $server->worker_id = $id;
        $server->worker_pid = getmypid();
        $server->taskworker = true;
        $stop = false;
        foreach ([SIGTERM, SIGINT] as $signal) {
            pcntl_signal($signal, static function () use (&$stop): void {
                $stop = true;
            }, false);
        }
        $call = function (string $name, mixed ...$args): void {
            $cb = $this->state->callbacks->get($name);
            try {
                $cb === null || $cb(...$args);
            } catch (\Throwable $e) {
                ErrorReporter::uncaught($e);
            }
        };
        $this->state->shared?->setStatus($id, SWOOLE_WORKER_IDLE);
        $call('workerstart', $server, $id);
        $fd = $this->state->pipes->receivingEnd($id);
        $onTask = $this->state->callbacks->get('task');
        while (!$stop) {
            // A short poll: a stop asked between two waits is seen at once.
            if (Libc::poll($fd, 200) && ($datagram = Libc::read($fd, Pipes::MAX_DATAGRAM, false)) !== false) {
                [$kind, $src, $taskId, $data] = Pipes::decode($datagram);
                if ($kind === Pipes::MESSAGE) {
                    $call('pipemessage', $server, $src, $data);
                } elseif ($kind === Pipes::TASK && $onTask !== null) {
                    $this->state->shared?->setStatus($id, SWOOLE_WORKER_BUSY);
                    foreach ($this->runTask($server, $onTask, $taskId, $src, $data) as $result) {
                        $this->state->pipes->send($src, Pipes::RESULT, $id, self::unpack(...$result), $taskId);
                    }
                    $this->state->shared?->setStatus($id, SWOOLE_WORKER_IDLE);
                }
            }
            pcntl_signal_dispatch();
        }
        $call('workerstop', $server, $id);

        return 0;
    }

    /** finish() from the running onTask; false outside one. */
    public function finish(mixed $data): bool
    {
        if ($this->results === null) {
            return false;
        }
        $this->results[] = self::pack($data);

        return true;
    }

    /**
     * Runs a callback as each task worker in turn (WorkerStart and
     * WorkerStop run in every task worker too).
     */
    public function asEachWorker(Server $server, callable $callback): void
    {
        if ($this->state->pipes !== null) {
            return; // they are processes that run their own
        }
        for ($i = 0, $n = self::workerNum($server); $i < $n; $i++) {
            $this->asWorker($server, $i, static fn () => $callback($server, $server->worker_id));
        }
    }

    /**
     * A new task: its id, its data packed, and the task worker index it
     * goes to (the one asked for, else round robin).
     *
     * @return array{int, string, bool, int}
     */
    private function create(Server $server, mixed $data, int $index): array
    {
        $id = $this->nextId++;
        [$packed, $serialized] = self::pack($data);

        return [$id, $packed, $serialized, $index >= 0 ? $index : $id % self::workerNum($server)];
    }

    /** @return list<array{string, bool}> what the task finished with */
    private function execute(Server $server, int $id, string $packed, bool $serialized, int $index): array
    {
        $onTask = $this->state->callbacks->get('task');
        if ($onTask === null) {
            return [];
        }
        $results = [];
        $data = self::unpack($packed, $serialized);
        $this->asWorker($server, $index, function () use ($server, $onTask, $id, $data, &$results): void {
            $results = $this->runTask($server, $onTask, $id, 0, $data);
        });

        return $results;
    }

    /**
     * Runs onTask for one task, with Swoole's arguments; what it finished
     * with (its return value, or finish()).
     *
     * @return list<array{string, bool}>
     */
    private function runTask(Server $server, callable $onTask, int $id, int $src, mixed $data): array
    {
        $outer = $this->results;
        $this->results = [];
        try {
            $ret = !empty($server->setting['task_enable_coroutine']) || !empty($server->setting['task_object'])
                ? $onTask($server, new Server\Task($id, $src, $data))
                : $onTask($server, $id, $src, $data);
            if ($ret !== null) {
                $this->finish($ret);
            }
        } catch (\Throwable $e) {
            ErrorReporter::uncaught($e);
        } finally {
            $results = $this->results;
            $this->results = $outer;
        }

        return $results;
    }

    /** Runs $run with the server looking like task worker $index. */
    private function asWorker(Server $server, int $index, callable $run): void
    {
        [$workerId, $taskworker] = [$server->worker_id, $server->taskworker];
        $server->worker_id = 1 + $index;
        $server->taskworker = true;
        try {
            $this->state->loop->invoke($run);
        } finally {
            $server->worker_id = $workerId;
            $server->taskworker = $taskworker;
        }
    }

    /** A task's result back in the worker: task()'s callback, else onFinish. */
    private function deliver(Server $server, int $id, mixed $data): void
    {
        $callback = $this->callbacks[$id] ?? $this->state->callbacks->get('finish');
        if ($callback === null) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Server::start(): require onFinish callback');

            return;
        }
        $this->state->loop->invoke($callback, $server, $id, $data);
    }

    /** @return array{string, bool} the data as a string, and whether it was serialized */
    private static function pack(mixed $data): array
    {
        return is_string($data) ? [$data, false] : [serialize($data), true];
    }

    private static function unpack(string $data, bool $serialized): mixed
    {
        if (!$serialized) {
            return $data;
        }
        $value = @unserialize($data);

        return $value === false && $data !== serialize(false) ? $data : $value;
    }
}
