<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;
use Swoole\Http\Request;
use Swoole\Http\Response;
use Swoole\Server;
use Swoole\WebSocket\CloseFrame;
use Swoole\WebSocket\Frame;

/**
 * The native side of one Swoole\Server object: its handle, its callbacks
 * and the one dispatcher through which the library calls PHP.
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

    /** @var array<string, callable> lower-case event name => callback */
    public array $callbacks = [];

    /** @var array<int, array<string, callable>> port => name => its own callback */
    public array $portCallbacks = [];

    /** @var \WeakReference<Server> */
    private \WeakReference $server;

    /** The swoole_event that server_next() fills, allocated once. */
    private CData $event;

    /** @var array<int, string> event type => lower-case event name */
    private array $eventNames;

    private int $evOpen;
    private int $evMessage;
    private int $evRequest;
    private int $evConnect;
    private int $evClose;
    private int $evDisconnect;
    private int $evWorkerStart;
    private int $evWorkerStop;
    private int $evShutdown;
    private int $evTimer;
    private int $evHandShake;
    private int $evBeforeHandshakeResponse;

    private ?CData $clientInfo = null;

    public Tasks $tasks;

    /** enable_coroutine: callbacks run in coroutines (Swoole's default) */
    public bool $coroutines = true;

    /** The fiber the loop runs in, while it does. */
    private ?\Fiber $loopFiber = null;

    /** How many callbacks are running (nested calls included). */
    public int $depth = 0;

    public function __construct(Native $native, CData $handle, int $kind, Server $server)
    {
        $this->native = $native;
        $this->ffi = $native->ffi;
        $this->handle = $handle;
        $this->kind = $kind;
        $this->server = \WeakReference::create($server);

        $d = $native->defines;
        $this->eventNames = [
            $d['SWOOLE_EVENT_START'] => 'start',
            $d['SWOOLE_EVENT_WORKER_START'] => 'workerstart',
            $d['SWOOLE_EVENT_CONNECT'] => 'connect',
            $d['SWOOLE_EVENT_OPEN'] => 'open',
            $d['SWOOLE_EVENT_MESSAGE'] => 'message',
            $d['SWOOLE_EVENT_REQUEST'] => 'request',
            $d['SWOOLE_EVENT_CLOSE'] => 'close',
            $d['SWOOLE_EVENT_DISCONNECT'] => 'disconnect',
            $d['SWOOLE_EVENT_WORKER_STOP'] => 'workerstop',
            $d['SWOOLE_EVENT_SHUTDOWN'] => 'shutdown',
            $d['SWOOLE_EVENT_BEFORE_SHUTDOWN'] => 'beforeshutdown',
            $d['SWOOLE_EVENT_HANDSHAKE'] => 'handshake',
            $d['SWOOLE_EVENT_BEFORE_HANDSHAKE_RESPONSE'] => 'beforehandshakeresponse',
        ];
        $this->evOpen = $d['SWOOLE_EVENT_OPEN'];
        $this->evMessage = $d['SWOOLE_EVENT_MESSAGE'];
        $this->evRequest = $d['SWOOLE_EVENT_REQUEST'];
        $this->evConnect = $d['SWOOLE_EVENT_CONNECT'];
        $this->evClose = $d['SWOOLE_EVENT_CLOSE'];
        $this->evDisconnect = $d['SWOOLE_EVENT_DISCONNECT'];
        $this->evWorkerStart = $d['SWOOLE_EVENT_WORKER_START'];
        $this->evWorkerStop = $d['SWOOLE_EVENT_WORKER_STOP'];
        $this->evShutdown = $d['SWOOLE_EVENT_SHUTDOWN'];
        $this->evTimer = $d['SWOOLE_EVENT_TIMER'];
        $this->evHandShake = $d['SWOOLE_EVENT_HANDSHAKE'];
        $this->evBeforeHandshakeResponse = $d['SWOOLE_EVENT_BEFORE_HANDSHAKE_RESPONSE'];

        $this->event = $this->ffi->new('swoole_event');
        $this->tasks = new Tasks($this);
    }

    /**
     * The event loop of start(): the library hands out events and PHP runs
     * each callback itself, so exceptions and exit() unwind through PHP
     * only, never through C. Tasks a callback queued run after it.
     *
     * With coroutines the loop runs in a fiber, and each callback runs as
     * a coroutine inside it (Scheduler::inline()). If one suspends, so
     * does that fiber: the loop goes on in a new one, and the old one
     * ends once its callback has.
     */
    public function run(): void
    {
        if (!$this->coroutines) {
            $this->loop();

            return;
        }
        do {
            $this->loopFiber = new \Fiber($this->loop(...));
            $this->loopFiber->start();
        } while (!$this->loopFiber->isTerminated());
        $this->loopFiber = null;
    }

    private function loop(): void
    {
        $me = \Fiber::getCurrent();
        $ev = FFI::addr($this->event);
        while ($this->handle !== null && $this->ffi->server_next($this->handle, $ev, 1) === 1) {
            $this->dispatch($this->event);
            if ($me !== $this->loopFiber) {
                return; // this fiber was suspended, the loop moved on: its callback has now ended
            }
            if ($this->tasks->pending() && ($server = $this->server->get()) !== null) {
                $this->tasks->runQueued($server);
            }
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
     * Registers a callback for the server, or for one of its ports (the
     * port's replaces the server's for the connections on that port).
     */
    public function on(string $name, callable $callback, ?int $port = null): bool
    {
        if ($this->ffi->server_handle($this->handle, $name, 1) < 0) {
            self::warn('Swoole\\Server\\Port::on()', $this);

            return false;
        }
        if ($port === null) {
            $this->callbacks[strtolower($name)] = $callback;
        } else {
            $this->portCallbacks[$port][strtolower($name)] = $callback;
        }

        return true;
    }

    /** The state of the server constructed last, if it is still alive. */
    public static function current(): ?self
    {
        $st = Store::$current?->get();

        return $st !== null && $st->handle !== null ? $st : null;
    }

    private function dispatch(CData $ev): void
    {
        $type = $ev->type;
        if ($type === $this->evTimer) {
            try {
                \Swoole\Timer::fire($ev->timer_id, $this->coroutines);
            } catch (\Throwable $e) {
                ErrorReporter::uncaught($e);
            }

            return;
        }
        $server = $this->server->get();
        $name = $this->eventNames[$type] ?? null;
        if ($server === null || $name === null) {
            return;
        }
        $cb = $this->portCallbacks[$ev->server_port][$name] ?? $this->callbacks[$name] ?? null;
        if ($cb === null) {
            return;
        }
        // Everything is read from $ev before the callback, which may reuse it.
        $args = $this->arguments($server, $type, $ev);
        ++$this->depth;
        try {
            if (!$this->coroutines || $type === $this->evWorkerStop || $type === $this->evShutdown) {
                $cb(...$args);
            } elseif ($this->depth === 1 && $this->loopFiber !== null && \Fiber::getCurrent() === $this->loopFiber) {
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
        if ($type === $this->evWorkerStart || $type === $this->evWorkerStop) {
            $this->tasks->asEachWorker($server, $cb);
        }
    }

    /** @return list<mixed> the arguments of the user callback */
    private function arguments(Server $server, int $type, CData $ev): array
    {
        switch ($type) {
            case $this->evMessage:
                return [$server, $this->frame($ev)];
            case $this->evOpen:
                return [$server, $this->request($ev)];
            case $this->evRequest:
            case $this->evHandShake:
                return [$this->request($ev), $this->response($ev)];
            case $this->evBeforeHandshakeResponse:
                return [$server, $this->request($ev), $this->response($ev)];
            case $this->evConnect:
            case $this->evClose:
                return [$server, $ev->fd, $ev->reactor_id];
            case $this->evDisconnect:
                return [$server, $ev->fd];
            case $this->evWorkerStart:
            case $this->evWorkerStop:
                return [$server, $ev->worker_id];
            default:
                return [$server];
        }
    }

    private function response(CData $ev): Response
    {
        $response = new Response();
        $response->fd = $ev->fd;
        Store::$responses[$response] = new ResponseState($this->native, $this, $ev->response);

        return $response;
    }

    private function frame(CData $ev): Frame
    {
        $len = $ev->data_len;
        $data = $len > 0 ? FFI::string($ev->data, $len) : '';
        $opcode = $ev->opcode;
        if ($opcode === 8) {
            $frame = new CloseFrame();
            if (strlen($data) >= 2) {
                $frame->code = unpack('n', $data)[1];
                $frame->reason = (string) substr($data, 2);
            }
        } else {
            $frame = new Frame();
            $frame->data = $data;
            $frame->opcode = $opcode;
        }
        $frame->fd = $ev->fd;
        $frame->flags = $ev->flags;
        $frame->finish = $ev->finish !== 0;

        return $frame;
    }

    private function request(CData $ev): Request
    {
        $request = new Request();
        $request->fd = $ev->fd;

        $parts = null;
        if ($ev->php_len > 0) {
            $parts = unserialize(Native::bytes($ev->php, $ev->php_len), ['allowed_classes' => false]);
        }
        if (is_array($parts)) {
            $request->header = isset($parts[0]) && $parts[0] !== [] ? $parts[0] : null;
            $request->server = isset($parts[1]) && $parts[1] !== [] ? $parts[1] : null;
            $request->cookie = isset($parts[2]) && $parts[2] !== [] ? $parts[2] : null;
        }

        $query = Native::bytes($ev->query, $ev->query_len);
        if ($query !== '') {
            parse_str($query, $get);
            $request->get = $get;
        }

        Store::$raw[$request] = Native::bytes($ev->raw, $ev->raw_len);
        $body = Native::bytes($ev->data, $ev->data_len);
        if ($body !== '') {
            Store::$bodies[$request] = $body;
            $contentType = $request->header['content-type'] ?? '';
            if (is_string($contentType) && strncasecmp($contentType, 'application/x-www-form-urlencoded', 33) === 0) {
                parse_str($body, $post);
                $request->post = $post;
            }
        }
        if (is_array($parts) && ($parts[4] ?? '') !== '') {
            parse_str($parts[4], $post); // a multipart body's fields
            $request->post = $post;
        }
        if (is_array($parts) && !empty($parts[3])) {
            [$request->files, $request->tmpfiles] = self::files($parts[3]);
        }

        return $request;
    }

    /**
     * $request->files in the shape of PHP's $_FILES ("doc[]" and "a[b]"
     * fields nest as PHP nests them), and $request->tmpfiles.
     *
     * @param list<array{string, string, string, string, int, int}> $uploads
     * @return array{array<string, mixed>, list<string>}
     */
    private static function files(array $uploads): array
    {
        $files = [];
        $tmp = [];
        foreach ($uploads as [$field, $name, $type, $tmpName, $error, $size]) {
            $open = strpos($field, '[');
            $base = $open === false ? $field : substr($field, 0, $open);
            $rest = $open === false ? '' : substr($field, $open);
            $query = '';
            $attributes = [
                'name' => $name, 'type' => $type, 'tmp_name' => $tmpName, 'error' => $error, 'size' => $size,
            ];
            foreach ($attributes as $key => $value) {
                $query .= '&' . rawurlencode($base) . "[$key]" . $rest . '=' . rawurlencode((string) $value);
            }
            parse_str($query, $one);
            $files = array_merge_recursive($files, $one);
            if ($tmpName !== '') {
                $tmp[] = $tmpName;
            }
        }
        // parse_str() gives strings: error and size are ints in $_FILES.
        foreach ($files as &$file) {
            foreach (['error', 'size'] as $key) {
                if (is_array($file[$key])) {
                    array_walk_recursive($file[$key], static function (&$value) {
                        $value = (int) $value;
                    });
                } else {
                    $file[$key] = (int) $file[$key];
                }
            }
        }
        unset($file);

        return [$files, $tmp];
    }

    /** @return list<int> the fds of every open connection, ascending */
    public function fds(): array
    {
        if ($this->handle === null) {
            return [];
        }
        $fds = [];
        // One page holds them all unless connections arrive meanwhile.
        $page = max(64, $this->ffi->server_connection_count($this->handle) + 64);
        $buf = $this->ffi->new("int64_t[$page]");
        $start = 0;
        do {
            $n = $this->ffi->server_client_list($this->handle, $start, $buf, $page);
            for ($i = 0; $i < $n; $i++) {
                $fds[] = $buf[$i];
            }
            $start = $n > 0 ? $buf[$n - 1] : $start;
        } while ($n === $page);

        return $fds;
    }

    /** @return array<string, mixed>|false */
    public function clientInfo(int $fd, bool $websocket): array|false
    {
        if ($this->handle === null) {
            return false;
        }
        $this->clientInfo ??= $this->ffi->new('swoole_client_info');
        $info = $this->clientInfo;
        if ($this->ffi->get_client_info($this->handle, $fd, FFI::addr($info)) < 0) {
            return false;
        }
        $out = [];
        if ($info->uid !== 0) {
            $out['uid'] = $info->uid;
        }
        if ($websocket) {
            $out['websocket_status'] = $info->websocket_status;
        }
        $out['server_port'] = $info->server_port;
        $out['server_fd'] = $info->server_fd;
        $out['socket_fd'] = $info->socket_fd;
        $out['socket_type'] = $info->socket_type;
        $out['remote_port'] = $info->remote_port;
        $out['remote_ip'] = FFI::string($info->remote_ip);
        $out['reactor_id'] = $info->reactor_id;
        $out['connect_time'] = $info->connect_time;
        $out['last_time'] = $info->last_time;
        $out['last_recv_time'] = (float) $info->last_recv_time;
        $out['last_send_time'] = (float) $info->last_send_time;
        $out['last_dispatch_time'] = (float) $info->last_dispatch_time;
        $out['close_errno'] = $info->close_errno;
        $out['recv_queued_bytes'] = $info->recv_queued_bytes;
        $out['send_queued_bytes'] = $info->send_queued_bytes;

        return $out;
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

    public function free(): void
    {
        if ($this->handle !== null && $this->depth === 0) {
            $handle = $this->handle;
            $this->handle = null;
            $this->ffi->server_free($handle);
        }
    }
}
