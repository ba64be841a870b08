<?php

namespace Swoole\Connection;

use Swoole\Shim\Connections;

/**
 * $server->connections: foreach gives every open connection's fd,
 * count() their number, $server->connections[$fd] its client info.
 */
class Iterator implements \Iterator, \Countable, \ArrayAccess
{
    /** @var list<int> */
    private array $fds = [];

    private int $index = 0;

    public function __construct(private Connections $connections, private bool $websocket)
    {
    }

    public function rewind(): void
    {
        $this->fds = $this->connections->fds();
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
        return $this->connections->count();
    }

    public function offsetExists(mixed $fd): bool
    {
        return $this->connections->exists((int) $fd);
    }

    public function offsetGet(mixed $fd): mixed
    {
        return $this->connections->clientInfo((int) $fd, $this->websocket);
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
