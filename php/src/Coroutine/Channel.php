<?php

namespace Swoole\Coroutine;

use Swoole\Shim\Scheduler;
use Swoole\Shim\Store;

/**
 * Swoole\Coroutine\Channel: a queue between coroutines, following
 * Swoole's src/coroutine/channel.cc: a pop on an empty channel (or behind
 * other waiting consumers) and a push on a full one wait, up to $timeout
 * seconds if it is positive; a push hands over to the first waiting
 * consumer and resumes it at once, as a pop does for a waiting producer.
 */
class Channel
{
    public $capacity = 0;
    public $errCode = 0;

    public function __construct(int $size = 1)
    {
        $this->capacity = max($size, 1);
        Store::$channels[$this] = ['queue' => new \SplQueue(), 'consumers' => [], 'producers' => [], 'closed' => false];
    }

    public function push(mixed $data, float $timeout = -1): bool
    {
        $cid = Scheduler::requireCid();
        $ch = &Store::$channels[$this];
        if ($ch['closed']) {
            return $this->fail(SWOOLE_CHANNEL_CLOSED);
        }
        if ($this->isFull() || $ch['producers'] !== []) {
            $error = $this->wait('producers', $cid, $timeout);
            if ($error !== SWOOLE_CHANNEL_OK) {
                return $this->fail($error);
            }
        }
        $ch['queue']->enqueue($data);
        $this->wake('consumers');
        $this->errCode = SWOOLE_CHANNEL_OK;

        return true;
    }

    public function pop(float $timeout = -1): mixed
    {
        $cid = Scheduler::requireCid();
        $ch = &Store::$channels[$this];
        if ($ch['closed'] && $ch['queue']->isEmpty()) {
            return $this->fail(SWOOLE_CHANNEL_CLOSED);
        }
        if ($ch['queue']->isEmpty() || $ch['consumers'] !== []) {
            $error = $this->wait('consumers', $cid, $timeout);
            if ($error !== SWOOLE_CHANNEL_OK) {
                return $this->fail($error);
            }
        }
        $data = $ch['queue']->dequeue();
        $this->wake('producers');
        $this->errCode = SWOOLE_CHANNEL_OK;

        return $data;
    }

    public function close(): bool
    {
        $ch = &Store::$channels[$this];
        if ($ch['closed']) {
            return false;
        }
        $ch['closed'] = true;
        while ($ch['producers'] !== []) {
            $this->wake('producers');
        }
        while ($ch['consumers'] !== []) {
            $this->wake('consumers');
        }

        return true;
    }

    /** @return array{consumer_num: int, producer_num: int, queue_num: int} */
    public function stats(): array
    {
        $ch = Store::$channels[$this];

        return [
            'consumer_num' => count($ch['consumers']),
            'producer_num' => count($ch['producers']),
            'queue_num' => count($ch['queue']),
        ];
    }

    public function length(): int
    {
        return count(Store::$channels[$this]['queue']);
    }

    public function isEmpty(): bool
    {
        return $this->length() === 0;
    }

    public function isFull(): bool
    {
        return $this->length() >= $this->capacity;
    }

    /**
     * Waits in line ($side: consumers or producers) until woken, closed
     * or timed out; SWOOLE_CHANNEL_OK, _CLOSED or _TIMEOUT.
     */
    private function wait(string $side, int $cid, float $timeout): int
    {
        $ch = &Store::$channels[$this];
        $ch[$side][$cid] = true;
        $timer = $timeout > 0 ? Scheduler::after($timeout, function () use ($side, $cid): void {
            unset(Store::$channels[$this][$side][$cid]);
            Scheduler::resume($cid, 'channel', SWOOLE_CHANNEL_TIMEOUT);
        }) : null;
        $error = Scheduler::suspend('channel');
        if ($timer !== null && $error !== SWOOLE_CHANNEL_TIMEOUT) {
            Scheduler::cancel($timer);
        }
        $closed = $ch['closed'] && ($side === 'producers' || $ch['queue']->isEmpty());

        return $error === SWOOLE_CHANNEL_OK && $closed ? SWOOLE_CHANNEL_CLOSED : $error;
    }

    /** Resumes the first coroutine waiting on $side, if any. */
    private function wake(string $side): void
    {
        $ch = &Store::$channels[$this];
        $cid = array_key_first($ch[$side]);
        if ($cid !== null) {
            unset($ch[$side][$cid]);
            Scheduler::resume($cid, 'channel', SWOOLE_CHANNEL_OK);
        }
    }

    private function fail(int $error): false
    {
        $this->errCode = $error;

        return false;
    }
}
