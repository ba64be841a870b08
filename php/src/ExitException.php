<?php

namespace Swoole;

/**
 * What Swoole throws for exit() in a coroutine or a server callback, with
 * exit()'s status and where it was called (SWOOLE_EXIT_IN_COROUTINE,
 * SWOOLE_EXIT_IN_SERVER). Defined so that scripts which catch it load;
 * PHP 8.2's exit() cannot be turned into an exception here, so nothing
 * throws it (see docs/COMPATIBILITY.md).
 */
class ExitException extends Exception
{
    private $flags = 0;
    private $status = 0;

    public function getFlags(): int
    {
        return $this->flags;
    }

    public function getStatus(): mixed
    {
        return $this->status;
    }
}
