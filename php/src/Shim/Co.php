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

    /** @var list<callable> what waits for its end */
    public array $exit = [];

    public ?Context $context = null;

    /** hrtime() at its start */
    public int $start;

    public Fiber $fiber;

    public int $pcid;
}
