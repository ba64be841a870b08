<?php

namespace Swoole\Shim;

use Swoole\Server;

/**
 * Task workers, run on the PHP thread. Swoole runs onTask in task-worker
 * processes; here a task() runs once the callback that queued it has
 * returned, before the next event, as task worker number
 * worker_num + index ($server->worker_id and ->taskworker say so while it
 * runs), and its results reach onFinish (or task()'s callback) right after.
 * taskwait() runs the task at once. Data crosses as it does between
 * Swoole's processes: strings as they are, anything else serialized, so
 * each side has its own copy.
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

    /** Queues a task for after the running callback; its id. */
    public function add(Server $server, mixed $data, int $index, ?callable $finish): int
    {
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
     * taskwait(): runs the task now and returns what it finished with, or
     * false if it finished with nothing (Swoole waits out the timeout
     * first; here the task has already ended).
     */
    public function wait(Server $server, mixed $data, int $index): mixed
    {
        $results = $this->execute($server, ...$this->create($server, $data, $index));
        if ($results === []) {
            return false;
        }

        return self::unpack(...$results[0]);
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
        $outer = $this->results;
        $this->results = [];
        try {
            $this->asWorker($server, $index, function () use ($server, $onTask, $id, $packed, $serialized): void {
                $data = self::unpack($packed, $serialized);
                $ret = !empty($server->setting['task_enable_coroutine']) || !empty($server->setting['task_object'])
                    ? $onTask($server, new Server\Task($id, 0, $data))
                    : $onTask($server, $id, 0, $data);
                if ($ret !== null) {
                    $this->finish($ret);
                }
            });

            return $this->results;
        } finally {
            $this->results = $outer;
        }
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
