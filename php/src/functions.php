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
