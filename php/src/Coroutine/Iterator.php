<?php

namespace Swoole\Coroutine;

/** The ids of the coroutines alive (Coroutine::list()). */
class Iterator extends \ArrayIterator
{
}
