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

    public Native $native;

    public FFI $ffi;

    /** swoole_server*; null once freed */
    public ?CData $handle;

    public int $kind;

    public Callbacks $callbacks;

    public Tasks $tasks;

    public Connections $connections;

    public EventLoop $loop;

    public function __construct(Native $native, CData $handle, int $kind, Server $server)
    {
        $this->native = $native;
        $this->ffi = $native->ffi;
        $this->handle = $handle;
        $this->kind = $kind;
        $this->callbacks = new Callbacks();
        $this->tasks = new Tasks($this);
        $this->connections = new Connections($this);
        $this->loop = new EventLoop($this, $server);
    }

    /**
     * Registers a callback for the server, or for one of its ports (the
     * port's replaces the server's for the connections on that port).
     */
    public function on(string $name, callable $callback, ?int $port = null): bool
    {
        if ($this->ffi->server_handle($this->handle, $name, 1) < 0) {
            self::warn('Swoole\\Server\\Port::on()', $this);

            return false;
        }
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
        if ($this->handle !== null && $this->loop->depth === 0) {
            $handle = $this->handle;
            $this->handle = null;
            $this->ffi->server_free($handle);
        }
    }
}
