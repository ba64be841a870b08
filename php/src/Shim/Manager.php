<?php

namespace Swoole\Shim;

use Swoole\Server;

/**
 * Swoole's manager process: forks the workers, forks a new one when one
 * exits, reloads them one at a time (reload(), SIGUSR1), and stops them
 * all on SIGTERM/SIGINT/shutdown().
 *
 * It never loads the library: a process that has started the Go runtime
 * cannot fork a child that calls into Go. In SWOOLE_BASE mode the process
 * that called start() is the manager, as in Swoole.
 *
 * @internal
 */
final class Manager
{
    /** @var array<int, int> worker id => pid */
    private array $pids = [];

    private bool $running = true;

    /** @var list<int> pids still to stop for a reload, one at a time */
    private array $reloadQueue = [];

    /**
     * @param int $workerNum workers, then $taskWorkerNum task workers (ids from $workerNum), then $processNum
     *   processes of addProcess()
     * @param \Closure(int): int $work runs worker $id in the child; returns its exit status
     * @param \Closure(string, mixed...): void $call runs one of the server's callbacks here
     */
    public function __construct(
        private readonly Server $server,
        private readonly int $workerNum,
        private readonly int $taskWorkerNum,
        private readonly int $processNum,
        private readonly Shared $shared,
        private readonly \Closure $work,
        private readonly \Closure $call,
    ) {
    }

    /** The signals the manager waits for (blocked, taken with sigwaitinfo: no race with a wait). */
    private const SIGNALS = [SIGCHLD, SIGTERM, SIGINT, SIGUSR1, SIGUSR2];

    /** Runs until the server stops; every worker has exited when it returns. */
    public function run(): void
    {
        $this->server->manager_pid = getmypid();
        pcntl_sigprocmask(SIG_BLOCK, self::SIGNALS);
        for ($id = 0; $id < $this->workerNum + $this->taskWorkerNum + $this->processNum; ++$id) {
            $this->spawn($id);
        }
        ($this->call)('managerstart', $this->server);

        while ($this->running) {
            switch (pcntl_sigwaitinfo(self::SIGNALS)) {
                case SIGCHLD:
                    $this->reap();
                    break;
                case SIGTERM:
                case SIGINT:
                    $this->running = false;
                    break;
                case SIGUSR1:
                    $this->log(SWOOLE_LOG_INFO, 'Server is reloading all workers now');
                    ($this->call)('beforereload', $this->server);
                    $this->reloadQueue = array_values($this->pids);
                    $this->stopNext();
                    break;
                case SIGUSR2:
                    if ($this->taskWorkerNum === 0) {
                        $this->log(SWOOLE_LOG_WARNING, 'cannot reload task workers, task workers is not started');
                        break;
                    }
                    $this->log(SWOOLE_LOG_INFO, 'Server is reloading task workers now');
                    ($this->call)('beforereload', $this->server);
                    $this->reloadQueue = array_values(array_filter(
                        $this->pids,
                        fn (int $id): bool => $id >= $this->workerNum,
                        ARRAY_FILTER_USE_KEY
                    ));
                    $this->stopNext();
                    break;
            }
        }

        $this->shared->shutdown();
        foreach ($this->pids as $pid) {
            posix_kill($pid, SIGTERM);
        }
        while ($this->pids !== [] && pcntl_sigwaitinfo([SIGCHLD]) !== false) {
            $this->reap();
        }
        pcntl_sigprocmask(SIG_UNBLOCK, self::SIGNALS);
        ($this->call)('managerstop', $this->server);
    }

    /** Takes every worker that has exited. */
    private function reap(): void
    {
        while (($pid = pcntl_waitpid(-1, $status, WNOHANG)) > 0) {
            $this->exited($pid, $status);
        }
    }

    private function exited(int $pid, int $status): void
    {
        $id = array_search($pid, $this->pids, true);
        if ($id === false) {
            return;
        }
        unset($this->pids[$id]);
        $this->shared->workerGone($id);
        $this->shared->setStatus($id, SWOOLE_WORKER_EXIT);
        if (!$this->running) {
            return; // stopping: the manager asked it to
        }
        $code = pcntl_wifexited($status) ? pcntl_wexitstatus($status) : 0;
        $signal = pcntl_wifsignaled($status) ? pcntl_wtermsig($status) : 0;
        if ($code !== 0 || $signal !== 0) {
            $this->log(
                SWOOLE_LOG_WARNING,
                "Worker::report_error(): worker(pid=$pid, id=$id) abnormal exit, status=$code, signal=$signal"
            );
        }
        $this->spawn($id);
        if ($this->reloadQueue !== []) {
            $this->reloadQueue = array_values(array_diff($this->reloadQueue, [$pid]));
            if ($this->reloadQueue === []) {
                ($this->call)('afterreload', $this->server);
            } else {
                $this->stopNext();
            }
        }
    }

    /** A reload stops the workers one by one; each is replaced when it has exited. */
    private function stopNext(): void
    {
        if ($this->reloadQueue !== []) {
            posix_kill($this->reloadQueue[0], SIGTERM);
        }
    }

    private function spawn(int $id): void
    {
        $pid = pcntl_fork();
        if ($pid < 0) {
            $this->log(SWOOLE_LOG_ERROR, 'failed to fork event worker');

            return;
        }
        if ($pid === 0) {
            pcntl_sigprocmask(SIG_UNBLOCK, self::SIGNALS);
            exit(($this->work)($id));
        }
        $this->pids[$id] = $pid;
        $this->shared->setWorkerPid($id, $pid);
    }

    private function log(int $level, string $message): void
    {
        Log::write($this->server->setting, '$', 0, $level, $message);
    }
}
