<?php

namespace Swoole\Shim;

/**
 * Swoole's log line written from PHP, by a process that has not loaded the
 * library (the manager, or any process before a server runs; a process
 * that forks the workers must not load it, see Libc); core/swlog writes
 * the same format for the others:
 *
 *     [2026-11-25 22:26:30 $31398.0]\tWARNING\tmessage
 *
 * @internal
 */
final class Log
{
    private const LEVELS = [0 => 'DEBUG', 1 => 'TRACE', 2 => 'INFO', 3 => 'NOTICE', 4 => 'WARNING', 5 => 'ERROR'];

    /**
     * @param array<string, mixed> $setting the server's set(): log_file, log_level
     * @param string $symbol Swoole's process symbol: '%' before a server runs, '$' manager, '*' worker
     */
    public static function write(array $setting, string $symbol, int $workerId, int $level, string $message): void
    {
        if ($level < (int) ($setting['log_level'] ?? SWOOLE_LOG_INFO) || !isset(self::LEVELS[$level])) {
            return;
        }
        $line = sprintf(
            "[%s %s%d.%d]\t%s\t%s\n",
            Libc::strftime('%Y-%m-%d %H:%M:%S'),
            $symbol,
            getmypid(),
            $workerId,
            self::LEVELS[$level],
            $message
        );
        $file = (string) ($setting['log_file'] ?? '');
        if ($file === '' || @file_put_contents($file, $line, FILE_APPEND) === false) {
            file_put_contents('php://stdout', $line);
        }
    }

    /** A WARNING line of a process without a server: stdout, '%', worker id 0. */
    public static function warning(string $message): void
    {
        self::write([], '%', 0, SWOOLE_LOG_WARNING, $message);
    }
}
