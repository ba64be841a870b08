<?php

namespace Swoole\Server;

use Swoole\Shim\ServerState;

/**
 * One listening port of a server: the constructor's ($server->ports[0])
 * or one added by listen()/addlistener(). Its callbacks replace the
 * server's for the connections that come in on it; by default it shares
 * the server's.
 */
class Port
{
    public $host = null;
    public $port = 0;
    public $type = 0;
    public $sock = -1;
    public $ssl = false;
    public $setting = null;
    public $connections = null;

    /** @internal */
    public function __construct(private ServerState $state, string $host, int $port, int $type)
    {
        $this->host = $host;
        $this->port = $port;
        $this->type = $type;
        $this->ssl = ($type & SWOOLE_SSL) !== 0;
    }

    public function on(string $event_name, callable $callback): bool
    {
        return $this->state->on($event_name, $callback, $this->port);
    }

    public function getCallback(string $event_name): ?\Closure
    {
        $cb = $this->state->callbacks->get($event_name, $this->port);

        return $cb === null ? null : \Closure::fromCallable($cb);
    }

    /** The options are kept in $setting; a port shares the server's. */
    public function set(array $settings): void
    {
        $this->setting = array_merge($this->setting ?? [], $settings);
    }
}
