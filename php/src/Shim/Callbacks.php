<?php

namespace Swoole\Shim;

/**
 * The user's callbacks of one server, by event name, and those a port
 * has of its own. Plain PHP, apart from the native handle: what on()
 * recorded does not depend on the library.
 *
 * The arrays are public so that the event loop can bind them by
 * reference: it reads them on every event, where a method call would
 * cost more than the lookup.
 *
 * @internal
 */
final class Callbacks
{
    /** @var array<string, callable> lower-case event name => callback */
    public array $server = [];

    /** @var array<int, array<string, callable>> port => lower-case event name => its own callback */
    public array $ports = [];

    /** Records $callback for the server, or for $port only. */
    public function set(string $name, callable $callback, ?int $port = null): void
    {
        if ($port === null) {
            $this->server[strtolower($name)] = $callback;
        } else {
            $this->ports[$port][strtolower($name)] = $callback;
        }
    }

    /** The callback set for the server, or the one $port has of its own. */
    public function get(string $name, ?int $port = null): ?callable
    {
        return $port === null
            ? $this->server[strtolower($name)] ?? null
            : $this->ports[$port][strtolower($name)] ?? null;
    }
}
