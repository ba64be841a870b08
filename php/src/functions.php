<?php

/*
 * Swoole's global functions (the few the shim provides).
 */

function swoole_version(): string
{
    return SWOOLE_VERSION;
}

function swoole_last_error(): int
{
    return \Swoole\Shim\Native::get()->lastError();
}

function swoole_strerror(int $errno, int $error_type = 1): string
{
    if ($error_type === 1 || $errno < 1000) {
        $msg = function_exists('posix_strerror') ? posix_strerror($errno) : '';
        if ($msg !== '' || $error_type === 1) {
            return $msg !== '' ? $msg : "Unknown error $errno";
        }
    }

    return $errno === swoole_last_error() ? \Swoole\Shim\Native::get()->lastErrorMsg() : "Unknown error $errno";
}

function swoole_timer_tick(int $ms, callable $callback, mixed ...$params): int|false
{
    return \Swoole\Timer::tick($ms, $callback, ...$params);
}

function swoole_timer_after(int $ms, callable $callback, mixed ...$params): int|false
{
    return \Swoole\Timer::after($ms, $callback, ...$params);
}

function swoole_timer_clear(int $timer_id): bool
{
    return \Swoole\Timer::clear($timer_id);
}

function swoole_timer_clear_all(): bool
{
    return \Swoole\Timer::clearAll();
}

function swoole_timer_exists(int $timer_id): bool
{
    return \Swoole\Timer::exists($timer_id);
}

/** @return array<string, mixed>|null */
function swoole_timer_info(int $timer_id): ?array
{
    return \Swoole\Timer::info($timer_id);
}

function swoole_timer_list(): \Swoole\Timer\Iterator
{
    return \Swoole\Timer::list();
}

/** @return array{initialized: bool, num: int, round: int} */
function swoole_timer_stats(): array
{
    return \Swoole\Timer::stats();
}

function swoole_cpu_num(): int
{
    return \Swoole\Shim\Libc::cpuNum();
}

function swoole_set_process_name(string $process_name): bool
{
    return cli_set_process_title($process_name);
}
