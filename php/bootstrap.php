<?php

/*
 * swoole-shim: loaded before the user's script (auto_prepend_file) by
 * bin/php-swoole. Defines Swoole's constants, functions and classes on top
 * of libswoole_shim (through FFI). Does nothing when the real Swoole
 * extension is loaded.
 */

if (extension_loaded('swoole')) {
    return;
}

if (!extension_loaded('FFI')) {
    $message = 'php-swoole: the PHP FFI extension is required (install php8.2-cli with FFI, or enable ffi)';
    if (getenv('SWOOLE_SHIM_LAUNCHER') === '1') {
        // Run by bin/php-swoole: nothing can work, say so and stop.
        fwrite(STDERR, $message . "\n");
        exit(1);
    }
    // Loaded by Composer's autoloader: the application may not need Swoole.
    trigger_error($message, E_USER_WARNING);
    return;
}

// Swoole servers run forever; PHP's CPU-time limit would also count the Go
// runtime's threads.
set_time_limit(0);

require __DIR__ . '/src/constants.php';
require __DIR__ . '/src/functions.php';
require __DIR__ . '/src/Shim/Native.php';
require __DIR__ . '/src/Shim/ErrorReporter.php';
require __DIR__ . '/src/Shim/Store.php';
require __DIR__ . '/src/Shim/ServerState.php';
require __DIR__ . '/src/Shim/Callbacks.php';
require __DIR__ . '/src/Shim/Connections.php';
require __DIR__ . '/src/Shim/EventDecoder.php';
require __DIR__ . '/src/Shim/EventLoop.php';
require __DIR__ . '/src/Shim/ResponseState.php';
require __DIR__ . '/src/Shim/Tasks.php';
require __DIR__ . '/src/Shim/Libc.php';
require __DIR__ . '/src/Shim/ErrorText.php';
require __DIR__ . '/src/Shim/Log.php';
require __DIR__ . '/src/Shim/SharedMemory.php';
require __DIR__ . '/src/Shim/Counter.php';
require __DIR__ . '/src/Shim/TableData.php';
require __DIR__ . '/src/Shim/Int64.php';
require __DIR__ . '/src/Shim/Co.php';
require __DIR__ . '/src/Shim/Shared.php';
require __DIR__ . '/src/Shim/Manager.php';
require __DIR__ . '/src/Shim/Names.php';
require __DIR__ . '/src/Shim/MimeTypes.php';
require __DIR__ . '/src/Shim/Setup.php';
require __DIR__ . '/src/Shim/Workers.php';
require __DIR__ . '/src/Shim/Pipes.php';
require __DIR__ . '/src/Shim/Scheduler.php';
require __DIR__ . '/src/Shim/TimerLoop.php';
require __DIR__ . '/src/Shim/LockState.php';
require __DIR__ . '/src/Exception.php';
require __DIR__ . '/src/Error.php';
require __DIR__ . '/src/ExitException.php';
require __DIR__ . '/src/Constant.php';
require __DIR__ . '/src/WebSocket/Frame.php';
require __DIR__ . '/src/WebSocket/CloseFrame.php';
require __DIR__ . '/src/Http/Status.php';
require __DIR__ . '/src/Http/Cookie.php';
require __DIR__ . '/src/Http/Request.php';
require __DIR__ . '/src/Http/Response.php';
require __DIR__ . '/src/Connection/Iterator.php';
require __DIR__ . '/src/Server/Port.php';
require __DIR__ . '/src/Server/Task.php';
require __DIR__ . '/src/Server.php';
require __DIR__ . '/src/Process.php';
require __DIR__ . '/src/Timer.php';
require __DIR__ . '/src/Table.php';
require __DIR__ . '/src/Atomic.php';
require __DIR__ . '/src/Atomic/Long.php';
require __DIR__ . '/src/Lock.php';
require __DIR__ . '/src/Coroutine.php';
require __DIR__ . '/src/Coroutine/Context.php';
require __DIR__ . '/src/Coroutine/Iterator.php';
require __DIR__ . '/src/Coroutine/Channel.php';
require __DIR__ . '/src/Coroutine/System.php';
require __DIR__ . '/src/Coroutine/WaitGroup.php';
require __DIR__ . '/src/Coroutine/Lock.php';
require __DIR__ . '/src/Coroutine/Barrier.php';
require __DIR__ . '/src/Runtime.php';
require __DIR__ . '/src/Coroutine/functions.php';
require __DIR__ . '/src/Timer/Iterator.php';
require __DIR__ . '/src/Http/Server.php';
require __DIR__ . '/src/WebSocket/Server.php';

\Swoole\Shim\Store::init();
