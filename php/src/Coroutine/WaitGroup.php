<?php

namespace Swoole\Coroutine;

/**
 * Swoole\Coroutine\WaitGroup (from Swoole's PHP library): wait() returns
 * once done() has been called as many times as add() counted, or false
 * after $timeout seconds.
 */
class WaitGroup
{
    protected $chan;
    protected $count = 0;
    protected $waiting = false;

    public function __construct(int $delta = 0)
    {
        $this->chan = new Channel(1);
        if ($delta > 0) {
            $this->add($delta);
        }
    }

    public function add(int $delta = 1): void
    {
        if ($this->waiting) {
            throw new \BadMethodCallException('WaitGroup misuse: add called concurrently with wait');
        }
        if ($this->count + $delta < 0) {
            throw new \InvalidArgumentException('negative WaitGroup counter');
        }
        $this->count += $delta;
    }

    public function done(): void
    {
        if ($this->count === 0) {
            throw new \BadMethodCallException('negative WaitGroup counter');
        }
        if (--$this->count === 0 && $this->waiting) {
            $this->chan->push(true);
        }
    }

    public function wait(float $timeout = -1): bool
    {
        if ($this->count === 0) {
            return true;
        }
        $this->waiting = true;
        $done = $this->chan->pop($timeout);
        $this->waiting = false;

        return $done === true;
    }

    public function count(): int
    {
        return $this->count;
    }
}
