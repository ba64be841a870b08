<?php

namespace Swoole;

use Swoole\Shim\ErrorReporter;
use Swoole\Shim\Libc;

/**
 * A child process with a Unix socket pair to its parent, as Swoole's.
 *
 * The child is a fork of the calling process: it runs the callback with
 * what the parent had made, then exits. A process that has loaded the
 * library cannot fork a child that calls into Go (see docs/ARCHITECTURE.md),
 * so a child of a server worker must not use the server or timers; user
 * processes added with Server::addProcess() are forked by the manager,
 * which never loads it.
 */
class Process
{
    public const IPC_NOWAIT = 256;
    public const PIPE_MASTER = 1;
    public const PIPE_WORKER = 2;
    public const PIPE_READ = 3;
    public const PIPE_WRITE = 4;
    public const PIPE_TYPE_NONE = 0;
    public const PIPE_TYPE_STREAM = 1;
    public const PIPE_TYPE_DGRAM = 2;

    public $pipe = null;
    public $msgQueueId = null;
    public $msgQueueKey = null;
    public $pid = null;
    public $id = null;
    private $callback = null;

    /** Both ends of the socket pair: [parent's, child's]; null without a pipe. */
    private ?array $ends = null;

    private bool $blocking = true;

    private bool $redirect = false;

    private static int $nextId = 1;

    public function __construct(
        callable $callback,
        bool $redirect_stdin_and_stdout = false,
        int $pipe_type = SOCK_DGRAM,
        bool $enable_coroutine = false
    ) {
        if ($this->callback !== null) {
            throw ErrorReporter::relocate(new \Error('Constructor of ' . static::class . ' can only be called once'));
        }
        if ($redirect_stdin_and_stdout) {
            $pipe_type = self::PIPE_TYPE_STREAM;
        }
        $this->callback = $callback;
        $this->id = self::$nextId++;
        if ($pipe_type > 0) {
            $this->ends = Libc::socketPair($pipe_type === self::PIPE_TYPE_STREAM ? 1 : 2);
            $this->pipe = $this->ends[0];
        }
        $this->redirect = $redirect_stdin_and_stdout;
    }

    public function start(): bool|int
    {
        if ($this->pid !== null && $this->pid !== getmypid() && posix_kill($this->pid, 0)) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Process::start(): process has already been started');

            return false;
        }
        $pid = pcntl_fork();
        if ($pid < 0) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Process::start(): fork() failed');

            return false;
        }
        if ($pid > 0) {
            $this->pid = $pid;

            return $pid;
        }
        $this->run();
    }

    /** The child's side of start(): runs the callback, then exits as Swoole's does. */
    private function run(): never
    {
        $this->pid = getmypid();
        if ($this->ends !== null) {
            $this->pipe = $this->ends[1];
            if ($this->redirect) {
                Libc::dup2($this->pipe, 0);
                Libc::dup2($this->pipe, 1);
                Libc::dup2($this->pipe, 2);
            }
        }
        try {
            ($this->callback)($this);
        } catch (\Throwable $e) {
            ErrorReporter::uncaught($e);
            exit(255);
        }
        exit(0);
    }

    public function write(string $data): false|int
    {
        if ($data === '') {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Process::write(): the data to send is empty');

            return false;
        }
        if ($this->pipe === null) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Process::write(): no pipe, cannot write into pipe');

            return false;
        }
        $n = Libc::write($this->pipe, $data, $this->blocking);

        return $n < 0 ? false : $n;
    }

    public function read(int $size = 8192): false|string
    {
        if ($this->pipe === null) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Process::read(): no pipe, cannot read from pipe');

            return false;
        }

        return Libc::read($this->pipe, $size, $this->blocking);
    }

    public function setBlocking(bool $blocking): bool
    {
        $this->blocking = $blocking;

        return true;
    }

    public function close(int $which = 0): bool
    {
        if ($this->pipe === null || $this->ends === null) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Process::close(): no pipe, cannot close the pipe');

            return false;
        }
        if ($which === self::PIPE_READ || $which === self::PIPE_WRITE) {
            return Libc::shutdown($this->pipe, $which === self::PIPE_READ ? 0 : 1);
        }
        foreach ($this->ends as $i => $fd) {
            if ($which === 0 || $which === ($i === 0 ? self::PIPE_MASTER : self::PIPE_WORKER)) {
                Libc::close($fd);
            }
        }
        if ($which === 0) {
            $this->ends = null;
            $this->pipe = null;
        }

        return true;
    }

    public function exit(int $exit_code = 0): void
    {
        if ($this->pid !== getmypid()) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Process::exit(): not current process');

            return;
        }
        if ($exit_code < 0 || $exit_code > 255) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Process::exit(): exit ret_code range is [>0 and <255] ');
            $exit_code = 1;
        }
        exit($exit_code);
    }

    public function name(string $process_name): bool
    {
        return swoole_set_process_name($process_name);
    }

    /** @return array{pid: int, code: int, signal: int}|false */
    public static function wait(bool $blocking = true): array|false
    {
        $pid = pcntl_waitpid(-1, $status, $blocking ? 0 : WNOHANG);
        if ($pid <= 0) {
            return false;
        }

        return [
            'pid' => $pid,
            'code' => pcntl_wifexited($status) ? pcntl_wexitstatus($status) : 0,
            'signal' => pcntl_wifsignaled($status) ? pcntl_wtermsig($status) : 0,
        ];
    }

    public static function kill(int $pid, int $signal_no = SIGTERM): bool
    {
        if (posix_kill($pid, $signal_no)) {
            return true;
        }
        $errno = posix_get_last_error();
        if (!($signal_no === 0 && $errno === 3)) {
            ErrorReporter::raise(
                E_WARNING,
                "Swoole\\Process::kill(): kill($pid, $signal_no) failed, Error: " . posix_strerror($errno) . "[$errno]"
            );
        }

        return false;
    }

    /**
     * Runs $callback when the signal arrives (between statements of PHP, not
     * in a loop of Swoole's); null restores the default action.
     */
    public static function signal(int $signal_no, ?callable $callback = null): bool
    {
        pcntl_async_signals(true);

        $handler = $callback === null ? SIG_DFL : static function (int $signo) use ($callback): void {
            $callback($signo);
        };

        return pcntl_signal($signal_no, $handler);
    }
}
