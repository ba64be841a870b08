<?php

namespace Swoole\Server;

use Swoole\Shim\ServerState;

/**
 * What onTask gets, instead of ($task_id, $src_worker_id, $data), when
 * task_enable_coroutine or task_object is set.
 */
final class Task
{
    public mixed $data = null;
    public float $dispatch_time = 0;
    public int $id = -1;
    public int $worker_id = -1;
    public int $flags = 0;

    /** @internal */
    public function __construct(int $id, int $worker_id, mixed $data)
    {
        $this->id = $id;
        $this->worker_id = $worker_id;
        $this->data = $data;
        $this->dispatch_time = microtime(true);
    }

    /** Sends the task's result to onFinish (or to taskwait()). */
    public function finish(mixed $data): bool
    {
        return ServerState::current()?->tasks->finish($data) ?? false;
    }
}
