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

function swoole_strerror(int $errno, int $error_type = SWOOLE_STRERROR_SYSTEM): string
{
    return \Swoole\Shim\ErrorText::get($errno, $error_type);
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

function swoole_mime_type_add(string $suffix, string $mime_type): bool
{
    if (isset(\Swoole\Shim\MimeTypes::all()[$suffix])) {
        return false;
    }
    \Swoole\Shim\MimeTypes::set($suffix, $mime_type);

    return true;
}

function swoole_mime_type_set(string $suffix, string $mime_type): void
{
    \Swoole\Shim\MimeTypes::set($suffix, $mime_type);
}

function swoole_mime_type_delete(string $suffix): bool
{
    if (!isset(\Swoole\Shim\MimeTypes::all()[$suffix])) {
        return false;
    }
    \Swoole\Shim\MimeTypes::set($suffix, null);

    return true;
}

function swoole_mime_type_get(string $filename): string
{
    return \Swoole\Shim\MimeTypes::all()[\Swoole\Shim\MimeTypes::suffix($filename)] ?? 'application/octet-stream';
}

function swoole_get_mime_type(string $filename): string
{
    return swoole_mime_type_get($filename);
}

function swoole_mime_type_exists(string $filename): bool
{
    return isset(\Swoole\Shim\MimeTypes::all()[\Swoole\Shim\MimeTypes::suffix($filename)]);
}

/** @return list<string> the types, one for each suffix */
function swoole_mime_type_list(): array
{
    return array_values(\Swoole\Shim\MimeTypes::all());
}
