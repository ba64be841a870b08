<?php

namespace Swoole\Connection;

use Swoole\Shim\ServerState;

/**
 * $server->connections: foreach gives every open connection's fd,
 * count() their number, $server->connections[$fd] its client info.
 */
class Iterator implements \Iterator, \Countable, \ArrayAccess
{
    /** @var list<int> */
    private array $fds = [];

    private int $index = 0;

    public function __construct(private ServerState $state, private bool $websocket)
    {
    }

    public function rewind(): void
    {
        $this->fds = $this->state->fds();
        $this->index = 0;
    }

    public function current(): mixed
    {
        return $this->fds[$this->index] ?? null;
    }

    public function key(): mixed
    {
        return $this->index;
    }

    public function next(): void
    {
        $this->index++;
    }

    public function valid(): bool
    {
        return $this->index < count($this->fds);
    }

    public function count(): int
    {
        $st = $this->state;

        return $st->handle === null ? 0 : max(0, $st->ffi->server_connection_count($st->handle));
    }

    public function offsetExists(mixed $fd): bool
    {
        $st = $this->state;

        return $st->handle !== null && $st->ffi->server_exist($st->handle, (int) $fd) === 1;
    }

    public function offsetGet(mixed $fd): mixed
    {
        return $this->state->clientInfo((int) $fd, $this->websocket);
    }

    public function offsetSet(mixed $offset, mixed $value): void
    {
        throw new \Swoole\Exception('connections is read-only');
    }

    public function offsetUnset(mixed $offset): void
    {
        throw new \Swoole\Exception('connections is read-only');
    }
}
