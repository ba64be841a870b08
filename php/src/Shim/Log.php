<?php

namespace Swoole\Shim;

/**
 * Swoole's log line written from PHP, for a process without a server:
 * what core/swlog writes then (stdout, the local date, '%' as no worker
 * runs yet, worker id 0), without loading the Go library, which a process
 * that forks the workers must not do (see Libc).
 *
 * @internal
 */
final class Log
{
    public static function warning(string $message): void
    {
        $date = Libc::strftime('%Y-%m-%d %H:%M:%S');
        file_put_contents('php://stdout', sprintf("[%s %%%d.0]\tWARNING\t%s\n", $date, getmypid(), $message));
    }
}
