<?php

namespace Swoole\Http;

use Swoole\Shim\ErrorReporter;
use Swoole\Shim\Native;
use Swoole\Shim\ResponseState;
use Swoole\Shim\ServerState;
use Swoole\Shim\Store;

class Response
{
    public $fd = 0;
    public $socket = null;
    public $header = null;
    public $cookie = null;
    public $trailer = null;

    /** Swoole's "response already finished / unavailable" error: no warning. */
    private const ERR_UNAVAILABLE = 7106;

    public function status(int $http_code, string $reason = ''): bool
    {
        $st = $this->state();
        $ok = $st?->native->ffi->response_status(
            $st->server->handle,
            $st->handle,
            $http_code,
            $reason === '' ? null : $reason,
            strlen($reason)
        );

        return $this->result($ok, 'status');
    }

    public function setStatusCode(int $http_code, string $reason = ''): bool
    {
        return $this->status($http_code, $reason);
    }

    /**
     * @param string|array<mixed>|null $value null removes the header
     */
    public function header(string $key, $value, bool $format = true): bool
    {
        $st = $this->state();
        if ($value === null) {
            $ok = $st?->native->ffi->response_header($st->server->handle, $st->handle, $key, strlen($key), null, 0, 0);

            return $this->result($ok, 'header');
        }
        if ($st === null) {
            return false;
        }
        // An array sends one line per element: the first replaces, the
        // others add.
        $flags = $format ? $st->native->define('SWOOLE_SHIM_HEADER_FORMAT') : 0;
        foreach (is_array($value) ? $value : [$value] as $v) {
            $v = (string) $v;
            $ok = $st->native->ffi->response_header(
                $st->server->handle,
                $st->handle,
                $key,
                strlen($key),
                $v,
                strlen($v),
                $flags
            );
            $flags |= $st->native->define('SWOOLE_SHIM_HEADER_APPEND');
            if (!$this->result($ok, 'header')) {
                return false;
            }
        }

        return true;
    }

    public function setHeader(string $key, $value, bool $format = true): bool
    {
        return $this->header($key, $value, $format);
    }

    public function write(string $content): bool
    {
        $st = $this->state();
        $ok = $st?->native->ffi->response_write($st->server->handle, $st->handle, $content, strlen($content));

        return $this->result($ok, 'write');
    }

    public function end(?string $content = null): bool
    {
        return $this->finish('end', $content ?? '');
    }

    /** end() on behalf of $method, whose name its warnings carry. */
    private function finish(string $method, string $content): bool
    {
        $st = $this->state();
        $ok = $st?->native->ffi->response_end($st->server->handle, $st->handle, $content, strlen($content));
        $st?->server->loop->drain();

        return $this->result($ok, $method);
    }

    public function close(): bool
    {
        $st = $this->state();
        $ok = $st?->native->ffi->response_close($st->server->handle, $st->handle);
        $st?->server->loop->drain();

        return $this->result($ok, 'close');
    }

    public function trailer(string $key, ?string $value): bool
    {
        $value ??= '';
        $st = $this->state();
        $ok = $st?->native->ffi->response_trailer(
            $st->server->handle,
            $st->handle,
            $key,
            strlen($key),
            $value,
            strlen($value)
        );

        return $this->result($ok, 'trailer');
    }

    /** Keeps the response open after the callback, to end it later. */
    public function detach(): bool
    {
        $st = $this->state();

        return $this->result($st?->native->ffi->response_detach($st->server->handle, $st->handle), 'detach');
    }

    /**
     * A response for a connection outside its Request callback:
     * create($server, $fd), or create($fd) for the server constructed last.
     */
    public static function create(object|array|int $server = -1, int $fd = -1): Response|false
    {
        if (is_int($server)) {
            [$fd, $st] = [$server, ServerState::current()];
        } else {
            $st = is_object($server) ? ServerState::of($server) : null;
        }
        if ($st === null || $st->handle === null) {
            return false;
        }
        $handle = $st->ffi->response_create($st->handle, $fd);
        if ($handle === 0) {
            return false;
        }
        $response = new self();
        $response->fd = $fd;
        Store::$responses[$response] = new ResponseState($st->native, $st, $handle);

        return $response;
    }

    public function isWritable(): bool
    {
        $st = $this->state();

        return $st?->native->ffi->response_writable($st->server->handle, $st->handle) === 1;
    }

    public function redirect(string $location, int $http_code = 302): bool
    {
        if (!$this->header('Location', $location, false) || !$this->status($http_code)) {
            return false;
        }

        return $this->finish('redirect', '');
    }

    public function sendfile(string $filename, int $offset = 0, int $length = 0): bool
    {
        $st = $this->state();
        if ($st === null) {
            return false;
        }
        $ok = $st->native->ffi->response_sendfile($st->server->handle, $st->handle, $filename, $offset, $length);
        $st->server->loop->drain();
        if ($ok < 0 && $st->native->lastError() !== self::ERR_UNAVAILABLE) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Http\\Response::sendfile(): ' . $st->native->lastErrorMsg());

            return false;
        }

        return $ok >= 0 && $this->result($ok, 'sendfile');
    }

    public function cookie(
        string $name,
        string $value = '',
        int $expires = 0,
        string $path = '',
        string $domain = '',
        bool $secure = false,
        bool $httponly = false,
        string $samesite = '',
        string $priority = '',
        bool $partitioned = false
    ): bool {
        return $this->sendCookie(
            'cookie',
            false,
            $name,
            $value,
            $expires,
            $path,
            $domain,
            $secure,
            $httponly,
            $samesite,
            $priority,
            $partitioned
        );
    }

    public function setCookie(
        string $name,
        string $value = '',
        int $expires = 0,
        string $path = '',
        string $domain = '',
        bool $secure = false,
        bool $httponly = false,
        string $samesite = '',
        string $priority = '',
        bool $partitioned = false
    ): bool {
        return $this->cookie(...func_get_args());
    }

    public function rawcookie(
        string $name,
        string $value = '',
        int $expires = 0,
        string $path = '',
        string $domain = '',
        bool $secure = false,
        bool $httponly = false,
        string $samesite = '',
        string $priority = '',
        bool $partitioned = false
    ): bool {
        return $this->sendCookie(
            'rawcookie',
            true,
            $name,
            $value,
            $expires,
            $path,
            $domain,
            $secure,
            $httponly,
            $samesite,
            $priority,
            $partitioned
        );
    }

    public function setRawCookie(
        string $name,
        string $value = '',
        int $expires = 0,
        string $path = '',
        string $domain = '',
        bool $secure = false,
        bool $httponly = false,
        string $samesite = '',
        string $priority = '',
        bool $partitioned = false
    ): bool {
        return $this->rawcookie(...func_get_args());
    }

    private function sendCookie(
        string $method,
        bool $raw,
        string $name,
        string $value,
        int $expires,
        string $path,
        string $domain,
        bool $secure,
        bool $httponly,
        string $samesite,
        string $priority,
        bool $partitioned
    ): bool {
        $st = $this->state();
        $ok = $st?->native->ffi->response_cookie(
            $st->server->handle,
            $st->handle,
            $name,
            $value,
            $expires,
            $path,
            $domain,
            (int) $secure,
            (int) $httponly,
            $samesite,
            $priority,
            (int) $partitioned,
            (int) $raw
        );

        return $this->result($ok, $method);
    }

    /**
     * The response's native state, or null for an object the server did
     * not make: every method then returns false without a call (the ?->
     * of each native call, and result()).
     */
    private function state(): ?ResponseState
    {
        return Store::$responses[$this] ?? null;
    }

    /**
     * Turns a native call's result into bool, warning as Swoole does on
     * failure, and for the warnings of a call that succeeded (a count > 0);
     * null (no state, no call) is false.
     */
    private function result(?int $ok, string $method): bool
    {
        if ($ok === null) {
            return false;
        }
        if ($ok > 0) {
            foreach (explode("\n", Native::get()->lastErrorMsg()) as $warning) {
                ErrorReporter::raise(E_WARNING, "Swoole\\Http\\Response::$method(): $warning");
            }
        }
        if ($ok >= 0) {
            return true;
        }
        $native = Native::get();
        $code = $native->lastError();
        // Swoole fails these silently: a finished response (7106) and a bad
        // header name.
        if ($code !== self::ERR_UNAVAILABLE && $code !== $native->define('SWOOLE_SHIM_EINVAL')) {
            $msg = $native->lastErrorMsg();
            if ($msg !== '') {
                ErrorReporter::raise(E_WARNING, "Swoole\\Http\\Response::$method(): $msg");
            }
        }

        return false;
    }
}
