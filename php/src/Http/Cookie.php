<?php

namespace Swoole\Http;

use Swoole\Shim\ErrorReporter;

/**
 * Swoole 6.1's cookie object: built with the with*() methods (each returns
 * the cookie itself), then given to Response::cookie() or turned into a
 * Set-Cookie value by toString(). An empty string unsets a name, value,
 * path, domain, SameSite or Priority; a cookie without a value is the
 * deleted cookie.
 */
class Cookie
{
    /** What Swoole refuses in a name, a raw value, a path or a domain. */
    private const ILLEGAL = ",; \t\r\n\013\014";
    private const ILLEGAL_PRINT = '",", ";", " ", "\t", "\r", "\n", "\013", or "\014"';

    /** Year 10000, 0:00 UTC: expires must come before. */
    private const MAX_EXPIRES = 253402300800;

    private bool $encode;
    private string $name = '';
    private string $value = '';
    private string $path = '';
    private string $domain = '';
    private string $sameSite = '';
    private string $priority = '';
    private int $expires = 0;
    private bool $secure = false;
    private bool $httpOnly = false;
    private bool $partitioned = false;

    /** @param bool $encode url-encode the value, as setcookie() does (rawcookie() does not) */
    public function __construct(bool $encode = true)
    {
        $this->encode = $encode;
    }

    public function withName(string $name): Cookie
    {
        $this->name = $name;

        return $this;
    }

    public function withValue(string $value = ''): Cookie
    {
        $this->value = $value;

        return $this;
    }

    public function withExpires(int $expires = 0): Cookie
    {
        $this->expires = $expires;

        return $this;
    }

    public function withPath(string $path = '/'): Cookie
    {
        $this->path = $path;

        return $this;
    }

    public function withDomain(string $domain = ''): Cookie
    {
        $this->domain = $domain;

        return $this;
    }

    public function withSecure(bool $secure = false): Cookie
    {
        $this->secure = $secure;

        return $this;
    }

    public function withHttpOnly(bool $httpOnly = false): Cookie
    {
        $this->httpOnly = $httpOnly;

        return $this;
    }

    public function withSameSite(string $sameSite = ''): Cookie
    {
        $this->sameSite = $sameSite;

        return $this;
    }

    public function withPriority(string $priority = ''): Cookie
    {
        $this->priority = $priority;

        return $this;
    }

    public function withPartitioned(bool $partitioned = false): Cookie
    {
        $this->partitioned = $partitioned;

        return $this;
    }

    /**
     * @return array{name: string, value: string, path: string, domain: string, sameSite: string,
     *   priority: string, encode: bool, expires: int, secure: bool, httpOnly: bool, partitioned: bool}
     */
    public function toArray(): array
    {
        return [
            'name' => $this->name,
            'value' => $this->value,
            'path' => $this->path,
            'domain' => $this->domain,
            'sameSite' => $this->sameSite,
            'priority' => $this->priority,
            'encode' => $this->encode,
            'expires' => $this->expires,
            'secure' => $this->secure,
            'httpOnly' => $this->httpOnly,
            'partitioned' => $this->partitioned,
        ];
    }

    /**
     * The Set-Cookie value; false with Swoole's warning for a name or an
     * attribute Swoole refuses, which also resets the cookie, as Swoole's.
     */
    public function toString(): string|false
    {
        $error = match (true) {
            $this->name === '' => 'The name cannot be empty',
            strpbrk($this->name, '=' . self::ILLEGAL) !== false =>
                'The name cannot contain "=", ' . self::ILLEGAL_PRINT,
            $this->value !== '' && !$this->encode && strpbrk($this->value, self::ILLEGAL) !== false =>
                'The value cannot contain ' . self::ILLEGAL_PRINT,
            $this->value !== '' && $this->expires >= self::MAX_EXPIRES =>
                'The expires cannot have a year greater than 9999',
            strpbrk($this->path, self::ILLEGAL) !== false =>
                'The path option cannot contain ' . self::ILLEGAL_PRINT,
            strpbrk($this->domain, self::ILLEGAL) !== false =>
                'The domain option cannot contain ' . self::ILLEGAL_PRINT,
            default => null,
        };
        if ($error !== null) {
            ErrorReporter::raise(E_WARNING, 'Swoole\\Http\\Cookie::toString(): ' . $error);
            $this->reset();

            return false;
        }
        $s = $this->name;
        if ($this->value === '') {
            $s .= '=deleted; expires=' . gmdate('D, d-M-Y H:i:s', 1) . ' GMT; Max-Age=0';
        } else {
            $s .= '=' . ($this->encode ? urlencode($this->value) : $this->value);
            if ($this->expires > 0) {
                $s .= '; expires=' . gmdate('D, d-M-Y H:i:s', $this->expires) . ' GMT'
                    . '; Max-Age=' . max(0, $this->expires - time());
            }
        }
        $s .= $this->path !== '' ? '; path=' . $this->path : '';
        $s .= $this->domain !== '' ? '; domain=' . $this->domain : '';
        $s .= $this->secure ? '; secure' : '';
        $s .= $this->httpOnly ? '; HttpOnly' : '';
        $s .= $this->sameSite !== '' ? '; SameSite=' . $this->sameSite : '';
        $s .= $this->priority !== '' ? '; Priority=' . $this->priority : '';

        return $s . ($this->partitioned ? '; Partitioned' : '');
    }

    /** Back to a new cookie's state (encoding the value again). */
    public function reset(): void
    {
        foreach ((new \ReflectionClass($this))->getDefaultProperties() as $name => $value) {
            $this->$name = $value;
        }
        $this->encode = true;
    }
}
