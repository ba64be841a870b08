<?php

namespace Swoole\Coroutine;

/** A coroutine's own storage (Coroutine::getContext()), gone with it. */
final class Context extends \ArrayObject
{
}
