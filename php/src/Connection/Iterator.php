<?php

namespace Swoole\Connection;

use Swoole\Shim\Connections;

/**
 * $server->connections: foreach gives every open connection's fd,
 * count() their number, $server->connections[$fd] its client info.
 * The server makes it (Connections::iterator()); the constructor is
 * Swoole's refusal.
 */
class Iterator implements \Iterator, \Countable, \ArrayAccess
{
    /** @var list<int> */
    private array $fds = [];

    private int $index = 0;

    private Connections $connections;

    private bool $websocket = false;

    public function __construct()
    {
        throw new \Error('please use the Swoole\\Server->connections');
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

    public function offsetSet(mixed $fd, mixed $value): void
    {
        throw new \Swoole\Exception('connections is read-only');
    }

    public function offsetUnset(mixed $fd): void
    {
        throw new \Swoole\Exception('connections is read-only');
    }
}
