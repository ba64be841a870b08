<?php

namespace Swoole;

use Swoole\Shim\ErrorReporter;
use Swoole\Shim\Names;
use Swoole\Shim\Native;
use Swoole\Shim\ServerState;
use Swoole\Shim\Store;
use Swoole\Shim\Tasks;

class Server
{
    public $setting = null;
    public $connections = null;
    public $host = '';
    public $port = 0;
    public $type = 0;
    public $ssl = false;
    public $mode = 0;
    public $ports = null;
    public $master_pid = 0;
    public $manager_pid = 0;
    public $worker_id = -1;
    public $taskworker = false;
    public $worker_pid = 0;

    public function __construct(
        string $host = '0.0.0.0',
        int $port = 0,
        int $mode = SWOOLE_BASE,
        int $sock_type = SWOOLE_SOCK_TCP
    ) {
        // Bound here, as Swoole's constructor does, but without the library:
        // start() may fork workers, which a process running Go cannot do.
        $kind = Native::defines()[$this instanceof WebSocket\Server ? 'SWOOLE_SHIM_WEBSOCKET' : 'SWOOLE_SHIM_HTTP'];
        $st = new ServerState($kind, $this);
        try {
            $bound = $st->setup->listen($host, $port, $sock_type);
        } catch (Exception $e) {
            throw ErrorReporter::relocate($e);
        }
        Store::$servers[$this] = $st;
        Store::$current = \WeakReference::create($st);
        $this->connections = $st->connections->iterator($this instanceof WebSocket\Server);
        $this->host = $host;
        $this->port = $bound;
        $this->type = $sock_type;
        $this->ssl = ($sock_type & SWOOLE_SSL) !== 0;
        $this->mode = $mode;
        $this->ports = [new Server\Port($st, $host, $this->port, $sock_type)];
        $this->ports[0]->connections = $this->connections;
    }

    public function __destruct()
    {
        $st = Store::$servers[$this] ?? null;
        if ($st !== null) {
            $st->free();
        }
    }

    public function set(array $settings): bool
    {
        $st = ServerState::of($this);
        foreach ($settings as $key => $value) {
            $key = (string) $key;
            if (is_bool($value)) {
                $value = $value ? '1' : '0';
            } elseif (is_array($value) || is_object($value)) {
                $value = (string) json_encode($value);
            } else {
                $value = (string) $value;
            }
            if ($this->ssl && ($key === 'ssl_cert_file' || $key === 'ssl_key_file') && !is_readable($value)) {
                // Swoole's Port::set() checks them (access(R_OK)) before anything runs.
                $what = $key === 'ssl_cert_file' ? 'cert' : 'key';
                ErrorReporter::fatal("Swoole\\Server\\Port::set(): ssl $what file[$value] not found");
            }
            if (!Names::isOption($key)) {
                $this->warnOption("unsupported option [$key]");
            } elseif ($st->handle === null) {
                $st->setup->options[$key] = $value; // given to the library at start()
            } elseif ($st->ffi->server_set($st->handle, $key, $value) < 0) {
                $this->warnOption($st->native->lastErrorMsg());
            }
        }
        $this->setting = array_merge($this->setting ?? [], $settings);

        return true;
    }

    /**
     * Swoole checks options in its PHP library (Server\Helper::checkOptions),
     * which warns with trigger_error() there and prints a backtrace.
     */
    private function warnOption(string $message): void
    {
        ErrorReporter::raiseAt(E_USER_WARNING, $message, '@swoole/library/core/Server/Helper.php', 218);
        $lines = [
            '[internal function]: Swoole\\Server\\Helper::checkOptions()',
            '[internal function]: Swoole\\Server\\Port->set()',
        ];
        foreach (array_slice(debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS), 1) as $frame) {
            $where = isset($frame['file']) ? $frame['file'] . '(' . $frame['line'] . ')' : '[internal function]';
            $lines[] = $where . ': ' . ($frame['class'] ?? '') . ($frame['type'] ?? '') . $frame['function'] . '()';
        }
        foreach ($lines as $i => $line) {
            echo '#', $i, ' ', $line, "\n";
        }
    }

    public function on(string $event_name, callable $callback): bool
    {
        return ServerState::of($this)->on($event_name, $callback);
    }

    /** Listens on one more address; returns its Swoole\Server\Port, or false. */
    public function listen(string $host, int $port, int $sock_type): Server\Port|false
    {
        $st = ServerState::of($this);
        try {
            $bound = $st->setup->listen($host, $port, $sock_type);
        } catch (Exception $e) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Server::listen(): ' . $e->getMessage());

            return false;
        }
        $p = new Server\Port($st, $host, $bound, $sock_type);
        $p->connections = $this->connections;
        $this->ports[] = $p;

        return $p;
    }

    public function addlistener(string $host, int $port, int $sock_type): Server\Port|false
    {
        return $this->listen($host, $port, $sock_type);
    }

    /**
     * The callback as on() was given it (a Closure, a function's name, or a
     * [class or object, method] array); an invokable object, which Swoole's
     * declared type leaves out, as a Closure.
     */
    public function getCallback(string $event_name): \Closure|array|string|null
    {
        $cb = ServerState::of($this)->callbacks->get($event_name);

        return is_object($cb) && !$cb instanceof \Closure ? \Closure::fromCallable($cb) : $cb;
    }

    public function start(): bool
    {
        $st = ServerState::of($this);
        $st->startSite = ErrorReporter::callSite();
        if ($this->master_pid !== 0) {
            $message = 'The server is running, unable to execute ' . get_class($this) . '->start()';
            ErrorReporter::raise(E_WARNING, "Swoole\\Server::start(): $message");

            return false;
        }
        $this->setting ??= []; // null until set() or start(), as Swoole's
        if (Shim\Scheduler::looping()) {
            $message = 'The event-loop has already been created, unable to start ' . get_class($this);
            ErrorReporter::raise(E_WARNING, "Swoole\\Server::start(): $message");

            return false;
        }
        if (!empty($this->setting['daemonize']) && getenv('SWOOLE_SHIM_DAEMON') !== '1') {
            $this->daemonize($st);
        }
        // SWOOLE_PROCESS: as many workers as CPUs unless set, as Swoole's.
        $default = $this->mode === SWOOLE_PROCESS ? swoole_cpu_num() : 1;
        $workerNum = max(1, (int) ($this->setting['worker_num'] ?? $default));
        $maxRequest = (int) ($this->setting['max_request'] ?? 0);
        if ($workerNum > 1 || $maxRequest > 0 || $st->processes !== []) {
            $this->setting['worker_num'] = $workerNum; // as Swoole's start() fills it in
            return Shim\Workers::start($this, $st, $workerNum);
        }
        $refused = $st->attach();
        if ($refused === false) {
            ErrorReporter::fatal('Swoole\\Server::start(): ' . $st->native->lastErrorMsg());
        }
        foreach ($refused as $message) {
            $this->warnOption($message);
        }
        $st->loop->coroutines = (bool) ($this->setting['enable_coroutine'] ?? true);
        $pid = getmypid();
        $this->master_pid = $pid;
        $this->worker_pid = $pid;
        $this->worker_id = 0;
        if ($st->ffi->server_begin($st->handle) < 0) {
            $msg = $st->native->lastErrorMsg();
            $fatal = ['require onMessage callback', 'require onRequest callback'];
            if (in_array($msg, $fatal, true) || str_starts_with($msg, 'failed to start server.')) {
                ErrorReporter::fatal("Swoole\\Server::start(): $msg");
            }
            $this->worker_id = -1;
            $this->master_pid = 0;
            $this->worker_pid = 0;
            ErrorReporter::raise(E_WARNING, "Swoole\\Server::start(): $msg");

            return false;
        }
        $st->loop->run();

        return true;
    }

    /**
     * daemonize: the Go runtime cannot survive fork(), so the script is run
     * again as a new session leader (setsid) with SWOOLE_SHIM_DAEMON=1 and
     * its output sent to log_file (or /dev/null), after this process has
     * let go of the port; this process then exits 0, as Swoole's parent
     * does. The script's code before start() runs once more in the daemon.
     */
    private function daemonize(ServerState $st): never
    {
        $launcher = getenv('SWOOLE_SHIM_LAUNCHER') === '1' ? dirname(__DIR__, 2) . '/bin/php-swoole' : PHP_BINARY;
        $out = (string) ($this->setting['log_file'] ?? '/dev/null');
        $st->free();
        $env = getenv();
        $env['SWOOLE_SHIM_DAEMON'] = '1';
        $io = [0 => ['file', '/dev/null', 'r'], 1 => ['file', $out, 'a'], 2 => ['file', $out, 'a']];
        $proc = proc_open(array_merge(['setsid', $launcher], $_SERVER['argv']), $io, $pipes, null, $env);
        if ($proc === false) {
            ErrorReporter::fatal('Swoole\\Server::start(): daemonize failed: cannot start the daemon');
        }
        exit(0);
    }

    public function shutdown(): bool
    {
        $st = ServerState::of($this);
        if ($this->manager_pid > 0) {
            return posix_kill($this->manager_pid, SIGTERM);
        }

        return $st->handle !== null && $st->ffi->server_shutdown($st->handle) >= 0;
    }

    /**
     * A process the manager forks with the workers, and forks again when it
     * exits (SWOOLE_BASE: the server then always has a manager). Its index
     * among the added processes, also set as $process->id.
     */
    public function addProcess(Process $process): int|false
    {
        $st = ServerState::of($this);
        if ($this->master_pid !== 0) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Server::addProcess(): server is running, cannot add process');

            return false;
        }
        $st->processes[] = $process;
        $process->id = count($st->processes) - 1;

        return $process->id;
    }

    /**
     * Runs onPipeMessage in worker $dst_worker_id with $message (any value
     * serialize() takes), as Swoole's does; workers only exist as processes
     * with worker_num > 1 (SWOOLE_BASE).
     */
    public function sendMessage(mixed $message, int $dst_worker_id): bool
    {
        $st = ServerState::of($this);
        $fail = static function (string $why): bool {
            ErrorReporter::raise(E_WARNING, "Swoole\\Server::sendMessage(): $why");

            return false;
        };
        if (!$this->running('sendMessage')) {
            return false;
        }
        if ($st->callbacks->get('pipemessage') === null) {
            return $fail("onPipeMessage is null, can't use sendMessage");
        }
        if ($dst_worker_id === $this->worker_id) {
            return $fail("can't send messages to self");
        }
        $workers = (int) ($this->setting['worker_num'] ?? 1) + Tasks::workerNum($this);
        if ($st->pipes === null || $dst_worker_id < 0 || $dst_worker_id >= $workers) {
            return $fail("worker_id[$dst_worker_id] is invalid");
        }

        return $st->pipes->send($dst_worker_id, Shim\Pipes::MESSAGE, $this->worker_id, $message);
    }

    /**
     * The connections the heartbeat would close now (heartbeat_idle_time
     * without a byte from them), closed too with $ifCloseConnection; false
     * without heartbeat_check_interval. Swoole's default is true in its
     * stub but false in fact (an omitted argument closes nothing): kept.
     *
     * @return list<int>|false
     */
    public function heartbeat(bool $ifCloseConnection = true): array|false
    {
        $st = ServerState::of($this);
        if (!$this->running('heartbeat')) {
            return false;
        }
        $close = func_num_args() > 0 && $ifCloseConnection;
        $cap = 1024;
        $buf = $st->ffi->new("int64_t[$cap]");
        $n = $st->ffi->server_idle($st->handle, $buf, $cap);
        if ($n > $cap) {
            $cap = $n;
            $buf = $st->ffi->new("int64_t[$cap]");
            $n = min($cap, $st->ffi->server_idle($st->handle, $buf, $cap));
        }
        if ($n < 0) {
            return false;
        }
        $fds = [];
        for ($i = 0; $i < $n; $i++) {
            $fds[] = $buf[$i];
        }
        foreach ($close ? $fds : [] as $fd) {
            $this->close($fd);
        }

        return $fds;
    }

    /**
     * Stops worker $workerId (this one by default), as Swoole's
     * kill_worker(): the manager forks it again; with one process the
     * server stops.
     */
    public function stop(int $workerId = -1): bool
    {
        $st = ServerState::of($this);
        if (!$this->running('stop')) {
            return false;
        }
        if ($workerId < 0 || $workerId === $this->worker_id) {
            return $st->handle !== null && $st->ffi->server_shutdown($st->handle) >= 0;
        }
        $pid = $workerId < $this->workerCount() ? ($st->shared?->workerPid($workerId) ?? 0) : 0;
        if ($pid <= 0) {
            Native::warning("Server::kill_worker() (ERRNO 505): the worker_id[$workerId] is invalid");

            return false;
        }

        return posix_kill($pid, SIGTERM);
    }

    /**
     * Restarts every worker (or, with $only_reload_taskworker, the task
     * workers) one at a time; the manager does it (SIGUSR1, SIGUSR2).
     */
    public function reload(bool $only_reload_taskworker = false): bool
    {
        $st = ServerState::of($this);
        if (!$this->running('reload')) {
            return false;
        }
        if ($this->manager_pid === 0) {
            Native::warning('Server::reload() (ERRNO 507): not supported with single process mode');

            return false;
        }

        return posix_kill($this->manager_pid, $only_reload_taskworker ? SIGUSR2 : SIGUSR1);
    }

    public function send(int|string $fd, string $send_data, int $serverSocket = -1): bool
    {
        $st = ServerState::of($this);

        return $st->ffi->server_send($st->handle, (int) $fd, $send_data, strlen($send_data)) === 0
            || $st->forward((int) $fd, 'send', [(int) $fd, $send_data]) !== null;
    }

    public function bind(int $fd, int $uid): bool
    {
        $st = ServerState::of($this);

        return $st->ffi->server_bind($st->handle, $fd, $uid) === 0;
    }

    /**
     * Queues a task for onTask; see Shim\Tasks for how task workers run
     * here. The task id, or false.
     */
    public function task(mixed $data, int $taskWorkerIndex = -1, ?callable $finishCallback = null): int|false
    {
        $st = ServerState::of($this);
        if (!$st->tasks->check($this, 'task', $taskWorkerIndex)) {
            return false;
        }

        return $st->tasks->add($this, $data, $taskWorkerIndex, $finishCallback);
    }

    public function taskwait(mixed $data, float $timeout = 0.5, int $taskWorkerIndex = -1): mixed
    {
        $st = ServerState::of($this);
        if (!$st->tasks->check($this, 'taskwait', $taskWorkerIndex)) {
            return false;
        }

        return $st->tasks->wait($this, [$data], $taskWorkerIndex, $timeout)[0];
    }

    /** @param array<mixed> $tasks */
    public function taskWaitMulti(array $tasks, float $timeout = 0.5): array|false
    {
        return $this->waitAll('taskWaitMulti', $tasks, false, $timeout);
    }

    /** @param array<mixed> $tasks */
    public function taskCo(array $tasks, float $timeout = 0.5): array|false
    {
        return $this->waitAll('taskCo', $tasks, true, $timeout);
    }

    /**
     * taskWaitMulti() leaves out the tasks that finished with nothing,
     * taskCo() gives false for them; both keep the positions of $tasks.
     *
     * @param array<mixed> $tasks
     * @return array<int, mixed>|false
     */
    private function waitAll(string $method, array $tasks, bool $fill, float $timeout): array|false
    {
        $st = ServerState::of($this);
        if (!$st->tasks->check($this, $method, -1)) {
            return false;
        }
        $results = [];
        foreach ($st->tasks->wait($this, array_values($tasks), -1, $timeout) as $i => $result) {
            if ($result !== false || $fill) {
                $results[$i] = $result;
            }
        }

        return $results;
    }

    /** Sends the running task's result to onFinish (or to taskwait()). */
    public function finish(mixed $data): bool
    {
        $st = ServerState::of($this);
        if (!$this->running('finish')) {
            return false;
        }
        if (!empty($this->setting['task_enable_coroutine'])) {
            ErrorReporter::fatal('Swoole\\Server::finish(): please use Swoole\\Server\\Task->finish instead'
                . ' when task_enable_coroutine is enable');
        }

        return $st->tasks->finish($data);
    }

    /** @return array<string, int>|false */
    public function stats(): array|false
    {
        $st = ServerState::of($this);
        if (!$this->running('stats')) {
            return false;
        }
        [$coroutines, $peak] = Shim\Scheduler::counts();
        $s = $st->ffi->new('swoole_stats');
        $st->ffi->server_stats($st->handle, \FFI::addr($s));

        // Swoole's keys, in its order, for one worker in BASE mode.
        return [
            'start_time' => $s->start_time,
            'connection_num' => $s->connection_num,
            'abort_count' => 0,
            'accept_count' => $s->accept_count,
            'close_count' => $s->close_count,
            'worker_num' => max(1, (int) ($this->setting['worker_num'] ?? 1)),
            'task_worker_num' => Tasks::workerNum($this),
            'user_worker_num' => 0,
            'idle_worker_num' => $this->idleWorkers(0, max(1, (int) ($this->setting['worker_num'] ?? 1))),
            'dispatch_count' => $s->dispatch_count,
            'request_count' => $s->request_count,
            'response_count' => $s->response_count,
            'total_recv_bytes' => $s->total_recv_bytes,
            'total_send_bytes' => $s->total_send_bytes,
            'pipe_packet_msg_id' => 0,
            'concurrency' => 1,
            'session_round' => $s->session_round,
            'min_fd' => $s->min_fd,
            'max_fd' => $s->max_fd,
            'worker_request_count' => $s->request_count,
            'worker_response_count' => $s->response_count,
            'worker_dispatch_count' => $s->dispatch_count,
            'worker_concurrency' => 1,
            'coroutine_num' => $coroutines,
            'coroutine_peek_num' => $peak,
        ];
    }

    public function exist(int $fd): bool
    {
        $st = ServerState::of($this);

        return $st->connections->exists($fd) || $st->forward($fd) !== null;
    }

    public function exists(int $fd): bool
    {
        return $this->exist($fd);
    }

    public function close(int $fd, bool $reset = false): bool
    {
        $st = ServerState::of($this);

        $ok = $st->ffi->server_close($st->handle, $fd, (int) $reset) >= 0
            || $st->forward($fd, 'close', [$fd, $reset]) !== null;
        $st->loop->drain();

        return $ok;
    }

    /** @return array<string, mixed>|false */
    public function getClientInfo(int $fd, int $reactor_id = -1, bool $ignoreError = false): array|false
    {
        return ServerState::of($this)->connections->clientInfo($fd, $this instanceof WebSocket\Server);
    }

    /** @return array<string, mixed>|false */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName -- Swoole's name
    public function connection_info(int $fd, int $reactor_id = -1, bool $ignoreError = false): array|false
    {
        return $this->getClientInfo($fd, $reactor_id, $ignoreError);
    }

    /** @return list<int>|false */
    public function getClientList(int $start_fd = 0, int $find_count = 10): array|false
    {
        if ($find_count > 100) {
            ErrorReporter::raise(
                E_WARNING,
                'Swoole\\Server::getClientList(): swoole_connection_list max_find_count=100'
            );

            return false;
        }
        if ($find_count <= 0) {
            return false;
        }
        $st = ServerState::of($this);
        $buf = $st->ffi->new("int64_t[$find_count]");
        $n = $st->ffi->server_client_list($st->handle, $start_fd, $buf, $find_count);
        if ($n <= 0) {
            return false;
        }
        $list = [];
        for ($i = 0; $i < $n; $i++) {
            $list[] = $buf[$i];
        }

        return $list;
    }

    /** @return list<int>|false */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName -- Swoole's name
    public function connection_list(int $start_fd = 0, int $find_count = 10): array|false
    {
        return $this->getClientList($start_fd, $find_count);
    }

    public function getLastError(): int
    {
        return Native::get()->lastError();
    }

    public function getMasterPid(): int
    {
        return $this->master_pid;
    }

    public function getManagerPid(): int
    {
        return $this->manager_pid;
    }

    public function getWorkerId(): int|false
    {
        return $this->worker_id < 0 ? false : $this->worker_id;
    }

    public function getWorkerPid(int $worker_id = -1): int|false
    {
        $shared = ServerState::of($this)->shared;
        if ($worker_id < 0 || $worker_id === $this->worker_id) {
            return $this->worker_pid > 0 ? $this->worker_pid : false;
        }
        $pid = $shared !== null && $worker_id < $this->workerCount() ? $shared->workerPid($worker_id) : 0;

        return $pid > 0 ? $pid : false;
    }

    /**
     * SWOOLE_WORKER_BUSY while the worker runs a callback, IDLE while it
     * waits, EXIT once it has exited (before its replacement starts).
     */
    public function getWorkerStatus(int $worker_id = -1): int|false
    {
        $shared = ServerState::of($this)->shared;
        if (!$this->running('getWorkerStatus')) {
            return false;
        }
        if ($worker_id < 0 || $worker_id === $this->worker_id) {
            return SWOOLE_WORKER_BUSY; // running this call
        }
        if ($shared === null || $worker_id >= $this->workerCount()) {
            return false;
        }

        return $shared->status($worker_id) ?: false;
    }

    /** How many of workers $from .. $to - 1 wait for work (0 with one process: it runs this call). */
    private function idleWorkers(int $from, int $to): int
    {
        $shared = ServerState::of($this)->shared;
        $n = 0;
        for ($id = $from; $shared !== null && $id < $to; ++$id) {
            $n += (int) ($id !== $this->worker_id && $shared->status($id) === SWOOLE_WORKER_IDLE);
        }

        return $n;
    }

    /**
     * Whether start() has run; if not, Swoole's "server is not running"
     * warning for $method.
     */
    private function running(string $method): bool
    {
        if ($this->master_pid !== 0) {
            return true;
        }
        ErrorReporter::raise(E_WARNING, "Swoole\\Server::$method(): server is not running");

        return false;
    }

    /** Workers and task workers (with one worker, task workers are not processes: 1). */
    private function workerCount(): int
    {
        return ServerState::of($this)->shared === null
            ? 1
            : max(1, (int) ($this->setting['worker_num'] ?? 1)) + Tasks::workerNum($this);
    }
}
