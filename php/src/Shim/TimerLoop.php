<?php

namespace Swoole\Shim;

/**
 * The timers of the loop without a server (Co\run()'s, and the one run
 * at the end of the script), on a min-heap of (wake time, sequence
 * number): the earliest runs first, and of equal ones the first set.
 *
 * A cancelled timer leaves its heap entry behind, skipped when it comes
 * up; the heap is dropped whenever no timer is left, so those entries
 * do not pile up.
 *
 * @internal
 */
final class TimerLoop
{
    /** @var \SplMinHeap<array{float, int}> wake time (microtime), id */
    private \SplMinHeap $heap;

    /** @var array<int, callable> id => callback, of the timers still to run */
    private array $callbacks = [];

    private int $lastId = 0;

    public function __construct()
    {
        $this->heap = new \SplMinHeap();
    }

    /** Calls $fn at $at (microtime); an id for cancel(). */
    public function add(float $at, callable $fn): int
    {
        $id = ++$this->lastId;
        $this->callbacks[$id] = $fn;
        $this->heap->insert([$at, $id]);

        return $id;
    }

    public function cancel(int $id): void
    {
        $this->forget($id);
    }

    /** Runs the timers as they fall due, sleeping in between, until none is left. */
    public function run(): void
    {
        while ($this->callbacks !== []) {
            [$at, $id] = $this->heap->extract();
            $fn = $this->callbacks[$id] ?? null;
            if ($fn === null) {
                continue; // cancelled
            }
            $wait = $at - microtime(true);
            if ($wait > 0) {
                usleep((int) ceil($wait * 1e6));
            }
            $this->forget($id);
            $fn();
        }
    }

    private function forget(int $id): void
    {
        unset($this->callbacks[$id]);
        if ($this->callbacks === []) {
            $this->heap = new \SplMinHeap();
        }
    }
}
