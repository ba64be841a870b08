<?php

namespace Swoole\Shim;

/**
 * swoole_strerror()'s texts. Swoole's own codes read as their names do
 * (SWOOLE_ERROR_SESSION_NOT_EXIST is "Session not exist"), with the few
 * words Swoole spells otherwise; everything else is the C library's text.
 *
 * @internal
 */
final class ErrorText
{
    /** SW_ERROR_BEGIN and SW_ERROR_END: the codes between are Swoole's. */
    private const BEGIN = 500;
    private const END = 10020;

    /** Words of the constants' names that Swoole's texts spell otherwise. */
    private const WORDS = ['php' => 'PHP', 'ssl' => 'SSL', 'dnslookup' => 'DNS Lookup', 'co' => 'Coroutine'];

    /** @var array<int, string>|null code => text */
    private static ?array $texts = null;

    public static function get(int $errno, int $type): string
    {
        return match (true) {
            $type === SWOOLE_STRERROR_GAI => Libc::gaiStrerror($errno),
            $type === SWOOLE_STRERROR_DNS => Libc::hstrerror($errno),
            $type === SWOOLE_STRERROR_SWOOLE && $errno < self::BEGIN => Libc::strerror($errno),
            $type === SWOOLE_STRERROR_SWOOLE, $errno > self::BEGIN && $errno < self::END =>
                self::swoole()[$errno] ?? "Unknown error $errno",
            default => Libc::strerror($errno),
        };
    }

    /** @return array<int, string> */
    private static function swoole(): array
    {
        if (self::$texts === null) {
            self::$texts = [];
            foreach (get_defined_constants(true)['user'] as $name => $code) {
                if (str_starts_with($name, 'SWOOLE_ERROR_')) {
                    $words = explode('_', strtolower(substr($name, strlen('SWOOLE_ERROR_'))));
                    $words = array_map(static fn (string $w): string => self::WORDS[$w] ?? $w, $words);
                    self::$texts[$code] = ucfirst(implode(' ', $words));
                }
            }
        }

        return self::$texts;
    }
}
