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
        $ok = $this->call('response_status', false, $http_code, $reason === '' ? null : $reason, strlen($reason));

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
        if ($value === null) {
            return $this->result($this->call('response_header', false, $key, strlen($key), null, 0, 0), 'header');
        }
        $values = is_array($value) ? $value : [$value];
        if ($values === []) {
            return isset(Store::$responses[$this]);
        }
        // An array sends one line per element: the first replaces, the
        // others add.
        $native = Native::get();
        $flags = $format ? $native->define('SWOOLE_SHIM_HEADER_FORMAT') : 0;
        foreach ($values as $v) {
            $v = (string) $v;
            $ok = $this->call('response_header', false, $key, strlen($key), $v, strlen($v), $flags);
            $flags |= $native->define('SWOOLE_SHIM_HEADER_APPEND');
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
        return $this->result($this->call('response_write', false, $content, strlen($content)), 'write');
    }

    public function end(?string $content = null): bool
    {
        return $this->finish('end', $content ?? '');
    }

    /** end() on behalf of $method, whose name its warnings carry. */
    private function finish(string $method, string $content): bool
    {
        return $this->result($this->call('response_end', true, $content, strlen($content)), $method);
    }

    public function close(): bool
    {
        return $this->result($this->call('response_close', true), 'close');
    }

    public function trailer(string $key, ?string $value): bool
    {
        $value ??= '';
        $ok = $this->call('response_trailer', false, $key, strlen($key), $value, strlen($value));

        return $this->result($ok, 'trailer');
    }

    /** Keeps the response open after the callback, to end it later. */
    public function detach(): bool
    {
        return $this->result($this->call('response_detach', false), 'detach');
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
        return $this->call('response_writable', false) === 1;
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
        $ok = $this->call('response_sendfile', true, $filename, $offset, $length);
        if ($ok === null) {
            return false;
        }
        if ($ok < 0 && Native::get()->lastError() !== self::ERR_UNAVAILABLE) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Http\\Response::sendfile(): ' . Native::get()->lastErrorMsg());

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
        $ok = $this->call(
            'response_cookie',
            false,
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
     * Calls the library's $function for this response; with $drain, then
     * runs the close callbacks the call produced. Null, without a call,
     * once the response is gone (an object the server did not make).
     */
    private function call(string $function, bool $drain, mixed ...$args): ?int
    {
        $st = Store::$responses[$this] ?? null;
        if ($st === null) {
            return null;
        }
        $ok = $st->native->ffi->$function($st->server->handle, $st->handle, ...$args);
        if ($drain) {
            $st->server->loop->drain();
        }

        return $ok;
    }

    /**
     * Turns call()'s result into bool, warning as Swoole does on failure,
     * and for the warnings of a call that succeeded (a count > 0).
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
