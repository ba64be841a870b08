<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;
use Swoole\Server;

/**
 * The native side of one Swoole\Server object: its handle and the parts
 * that work on it, the user's callbacks (Callbacks), the event loop that
 * runs them (EventLoop), the connection queries (Connections) and the
 * task workers (Tasks).
 *
 * @internal
 */
final class ServerState
{
    /** SW_ERROR_OUTPUT_BUFFER_OVERFLOW */
    private const OUTPUT_OVERFLOW = 1009;

    /** The library, loaded when first needed (see __get()). */
    public Native $native;

    public FFI $ffi;

    /** The event loop, made with the library's server (see __get()). */
    public EventLoop $loop;

    /** swoole_server*; null before start() and once freed */
    public ?CData $handle = null;

    public int $kind;

    /** What the script did before start(), kept without the library. */
    public Setup $setup;

    /** The sockets between the workers, when there are several. */
    public ?Pipes $pipes = null;

    /** What the workers share, when there are several. */
    public ?Shared $shared = null;

    /** @var list<\Swoole\Process> the processes of addProcess(), forked by the manager */
    public array $processes = [];

    public Callbacks $callbacks;

    public Tasks $tasks;

    public Connections $connections;

    /**
     * Where the script called start(): the file and line of the warnings
     * Swoole raises while its event loop runs (inside start()).
     *
     * @var array{0: string, 1: int}
     */
    public array $startSite = ['Unknown', 0];

    /** @var \WeakReference<Server> */
    private \WeakReference $server;

    public function __construct(int $kind, Server $server)
    {
        $this->kind = $kind;
        $this->server = \WeakReference::create($server);
        $this->setup = new Setup();
        $this->callbacks = new Callbacks();
        $this->tasks = new Tasks($this);
        $this->connections = new Connections($this);
        // Loaded on first use: a server that forks its workers must not
        // load the library before start().
        unset($this->native, $this->ffi, $this->loop);
    }

    /**
     * The library and the loop, on first use: at start(), or before it if
     * the script calls what needs them (then start() cannot fork).
     */
    public function __get(string $name): mixed
    {
        if (!isset($this->native)) {
            $this->native = Native::get();
            $this->ffi = $this->native->ffi;
        }
        if ($name === 'loop') {
            $this->loop = new EventLoop($this, $this->server->get());
        }

        return $this->$name;
    }

    /**
     * Makes the library's server from the setup, in the process that runs
     * it; false (the library's error set) if it cannot be made.
     *
     * @param list<string> $skip events whose callbacks another process runs
     * @return list<string> the set() options the library refused
     */
    public function attach(array $skip = []): array|false
    {
        [$handle, $refused] = $this->setup->build($this->native, $this->kind, $skip);
        if ($handle === null) {
            return false;
        }
        $this->handle = $handle;

        return $refused;
    }

    /**
     * Registers a callback for the server, or for one of its ports (the
     * port's replaces the server's for the connections on that port).
     */
    public function on(string $name, callable $callback, ?int $port = null): bool
    {
        if (!Names::isEvent($name)) {
            ErrorReporter::raise(E_WARNING, "Swoole\\Server\\Port::on(): unknown event types[$name]");

            return false;
        }
        if ($this->handle !== null && $this->ffi->server_handle($this->handle, $name, 1) < 0) {
            self::warn('Swoole\\Server\\Port::on()', $this);

            return false;
        }
        $this->setup->events[strtolower($name)] = true;
        $this->callbacks->set($name, $callback, $port);

        return true;
    }

    /** The state of the server constructed last, if it is still alive. */
    public static function current(): ?self
    {
        $st = Store::$current?->get();

        return $st !== null && $st->handle !== null ? $st : null;
    }

    /** The state of a server object; Swoole\Error if it was not constructed. */
    public static function of(object $server): self
    {
        $st = Store::$servers[$server] ?? null;
        if ($st === null) {
            throw ErrorReporter::relocate(
                new \Swoole\Error('the server was not constructed (missing parent::__construct() call?)')
            );
        }

        return $st;
    }

    /**
     * Warning "{$function}: {library message}" at the user's call site,
     * except for the failures Swoole reports in its log instead (the core
     * has logged them): bad arguments and output buffer overflow.
     */
    public static function warn(string $function, self $st): void
    {
        $msg = $st->native->lastErrorMsg();
        $code = $st->native->lastError();
        if ($msg !== '' && $code !== $st->native->define('SWOOLE_SHIM_EINVAL') && $code !== self::OUTPUT_OVERFLOW) {
            ErrorReporter::raise(E_WARNING, "$function: $msg");
        }
    }

    /** Frees the native server, unless a callback is running (the server's destructor may run in one). */
    public function free(): void
    {
        if ($this->handle === null) {
            $this->setup->close();
        } elseif ($this->loop->depth === 0) {
            $handle = $this->handle;
            $this->handle = null;
            $this->ffi->server_free($handle);
        }
    }
}
