<?php

namespace Swoole\Shim;

use Swoole\Server;

/**
 * start() of a SWOOLE_BASE server with several workers: this process
 * becomes the manager (as Swoole's BASE mode makes it) and forks the
 * workers; each loads the library after the fork, adopts the listening
 * sockets and serves the connections it accepts. Session ids and the
 * connection count are shared (Shared).
 *
 * @internal
 */
final class Workers
{
    /** Callbacks the manager runs, never a worker. */
    private const MANAGER_EVENTS = ['start', 'shutdown', 'managerstart', 'managerstop', 'beforereload', 'afterreload'];

    public static function start(Server $server, ServerState $st, int $workerNum): bool
    {
        if (Native::$loadedAt !== null) {
            [$file, $line] = Native::$loadedAt;
            ErrorReporter::fatal(
                'Swoole\\Server::start(): swoole-shim cannot fork worker processes: the library was loaded in this'
                . " process before start() (by the call in $file on line $line); make that call in a callback"
                . ' (onWorkerStart) or set worker_num to 1'
            );
        }
        $missing = self::missingCallback($server, $st);
        if ($missing !== null) {
            ErrorReporter::fatal("Swoole\\Server::start(): $missing");
        }
        $shared = $st->shared = new Shared();
        $taskWorkerNum = Tasks::workerNum($server);
        $tmpdir = (string) ($server->setting['task_tmpdir'] ?? sys_get_temp_dir());
        $st->pipes = new Pipes($workerNum + $taskWorkerNum, $tmpdir);
        $pid = getmypid();
        $server->master_pid = $server->manager_pid = $pid;
        $shared->setMasterPid($pid);
        $pidFile = (string) ($server->setting['pid_file'] ?? '');
        if ($pidFile !== '') {
            file_put_contents($pidFile, (string) $pid);
        }
        $call = static function (string $name, mixed ...$args) use ($st): void {
            $cb = $st->callbacks->get($name);
            if ($cb === null) {
                return;
            }
            try {
                $cb(...$args);
            } catch (\Throwable $e) {
                ErrorReporter::uncaught($e);
            }
        };
        $manager = new Manager(
            $server,
            $workerNum,
            $taskWorkerNum,
            count($st->processes),
            $shared,
            static fn (int $id): int => match (true) {
                $id < $workerNum => self::work($server, $st, $id, $shared),
                $id < $workerNum + $taskWorkerNum => $st->tasks->serve($server, $id),
                default => self::runProcess($server, $st->processes[$id - $workerNum - $taskWorkerNum], $id),
            },
            $call
        );
        $manager->run();
        $call('shutdown', $server);
        if ($pidFile !== '') {
            @unlink($pidFile);
        }

        return true;
    }

    /** Runs worker $id, in the child the manager forked; its exit status. */
    private static function work(Server $server, ServerState $st, int $id, Shared $shared): int
    {
        $server->worker_id = $id;
        $server->worker_pid = getmypid();
        $skip = self::MANAGER_EVENTS;
        if ($id !== 0) {
            $skip[] = 'beforeshutdown';
        } elseif (($cb = $st->callbacks->get('beforeshutdown')) !== null) {
            // Worker 0 runs it when the server stops, not when it is reloaded.
            $st->callbacks->set('beforeshutdown', static function (Server $s) use ($cb, $shared): void {
                if ($shared->shuttingDown()) {
                    $cb($s);
                }
            });
        }
        $st->setup->options = array_diff_key($st->setup->options, ['pid_file' => true]);
        $st->setup->events['pipemessage'] = true; // task results and sendMessage() arrive as pipe messages
        if (
            $st->attach($skip) === false
            || $st->ffi->server_worker($st->handle, $id, $shared->memory()) < 0
            || $st->ffi->server_watch($st->handle, $st->pipes->receivingEnd($id)) < 0
        ) {
            ErrorReporter::fatal('Swoole\\Server::start(): ' . $st->native->lastErrorMsg());
        }
        $st->loop->coroutines = (bool) ($server->setting['enable_coroutine'] ?? true);
        if ($st->ffi->server_begin($st->handle) < 0) {
            ErrorReporter::fatal('Swoole\\Server::start(): ' . $st->native->lastErrorMsg());
        }
        if ($id === 0 && $shared->claimStart()) {
            $shared->setMasterPid($server->worker_pid);
            $server->master_pid = $server->worker_pid;
            if (($cb = $st->callbacks->get('start')) !== null) {
                $st->loop->invoke($cb, $server);
            }
        } else {
            $server->master_pid = $shared->masterPid();
        }
        $st->loop->run();

        return 0;
    }

    /** Runs a process of addProcess() in the child the manager forked. */
    private static function runProcess(Server $server, \Swoole\Process $process, int $id): int
    {
        $server->worker_id = $id;
        $server->worker_pid = getmypid();
        // Process::start()'s child side, which exits when the callback returns.
        \Closure::bind(fn () => $this->run(), $process, \Swoole\Process::class)();
    }

    /**
     * Why start() refuses to run, checked here as Swoole's start() checks
     * it, before anything forks (a worker that failed would be forked again
     * and again); null if nothing is missing. The library checks the same
     * for a server of one process (core's Server.Begin).
     */
    private static function missingCallback(Server $server, ServerState $st): ?string
    {
        if ($server instanceof \Swoole\WebSocket\Server) {
            if ($st->callbacks->get('message') === null) {
                return 'require onMessage callback';
            }
        } elseif ($st->callbacks->get('request') === null) {
            return 'require onRequest callback';
        }
        if ((int) ($server->setting['task_worker_num'] ?? 0) > 0 && $st->callbacks->get('task') === null) {
            $reason = "Server::start_check() (ERRNO 9015): require 'onTask' callback";
            Log::write($server->setting, '%', 0, SWOOLE_LOG_WARNING, $reason);

            return "failed to start server. Error: $reason";
        }

        return null;
    }
}
