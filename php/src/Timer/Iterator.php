<?php

namespace Swoole\Timer;

/** What Swoole\Timer::list() returns. */
class Iterator extends \ArrayIterator
{
}
