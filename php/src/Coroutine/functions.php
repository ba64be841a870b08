<?php

// Swoole's coroutine functions and short names (swoole.use_shortname on,
// its default): go(), defer(), Co\run(), Co, chan and the Co\ classes.

namespace Swoole\Coroutine {

    /** Runs $fn in a coroutine and returns when every coroutine has ended. */
    function run(callable $fn, ...$args)
    {
        return \Swoole\Shim\Scheduler::run($fn, $args);
    }
}

namespace Co {

    function run(callable $fn, ...$args)
    {
        return \Swoole\Shim\Scheduler::run($fn, $args);
    }
}

namespace {

    if (!function_exists('go')) {
        function go(callable $func, mixed ...$params): int|false
        {
            return Swoole\Coroutine::create($func, ...$params);
        }
    }

    if (!function_exists('defer')) {
        function defer(callable $callback): void
        {
            Swoole\Coroutine::defer($callback);
        }
    }

    class_alias(Swoole\Coroutine::class, 'Co');
    class_alias(Swoole\Coroutine\Channel::class, 'chan');
    class_alias(Swoole\Coroutine\Channel::class, 'Co\Channel');
    class_alias(Swoole\Coroutine\Context::class, 'Co\Context');
    class_alias(Swoole\Coroutine\Iterator::class, 'Co\Iterator');
    class_alias(Swoole\Coroutine\System::class, 'Co\System');
    class_alias(Swoole\Coroutine\WaitGroup::class, 'Co\WaitGroup');
}
