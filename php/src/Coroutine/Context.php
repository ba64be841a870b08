<?php

namespace Swoole\Coroutine;

/** A coroutine's own storage (Coroutine::getContext()), gone with it. */
class Context extends \ArrayObject
{
}
