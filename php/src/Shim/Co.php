<?php

namespace Swoole\Shim;

use Fiber;
use Swoole\Coroutine\Context;

/**
 * One coroutine.
 *
 * @internal
 */
final class Co
{
    /** running, or what it is suspended in: sleep, channel, yield */
    public string $state = 'running';

    /** @var list<callable> Coroutine::defer() callbacks */
    public array $defers = [];

    public ?Context $context = null;

    /** hrtime() at its start */
    public int $start;

    public Fiber $fiber;

    public int $pcid;

    /** The loop whose event this coroutine runs, held while it is suspended. */
    public ?EventLoop $events = null;

    /** server_hold()'s token once held */
    public int $held = 0;

    /** @var (callable(int): void)|null what Coroutine::join() runs when it ends */
    public $joiner = null;
}
