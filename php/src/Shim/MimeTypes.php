<?php

namespace Swoole\Shim;

/**
 * Swoole's MIME table (swoole_mime_type_*()), from core/mimetype/mime.txt,
 * which the library embeds for the static handler and sendfile(). Read
 * here without the library (a process that forks workers must not load
 * it); what the script changes reaches the library's table when the
 * library is loaded in this process: at once, or when a server is built.
 *
 * @internal
 */
final class MimeTypes
{
    /** @var array<string, string>|null suffix => type */
    private static ?array $types = null;

    /** @var list<array{0: string, 1: string|null}> changes not yet given to the library (null type: deleted) */
    private static array $pending = [];

    /** @return array<string, string> */
    public static function all(): array
    {
        if (self::$types === null) {
            self::$types = [];
            foreach (file(dirname(__DIR__, 3) . '/core/mimetype/mime.txt', FILE_IGNORE_NEW_LINES) ?: [] as $line) {
                $pair = explode(' ', trim($line), 2);
                if (count($pair) === 2 && $pair[0][0] !== '#') {
                    self::$types[$pair[0]] ??= $pair[1];
                }
            }
        }

        return self::$types;
    }

    /** The suffix Swoole looks up: after the last dot, lower-cased (the whole name without one). */
    public static function suffix(string $filename): string
    {
        $dot = strrpos($filename, '.');

        return strtolower($dot === false ? $filename : substr($filename, $dot + 1));
    }

    public static function set(string $suffix, ?string $type): void
    {
        self::all();
        if ($type === null) {
            unset(self::$types[$suffix]);
        } else {
            self::$types[$suffix] = $type;
        }
        self::$pending[] = [$suffix, $type];
        if (Native::$loadedAt !== null) {
            self::flush(Native::get());
        }
    }

    /** Gives the library the changes it has not seen. */
    public static function flush(Native $native): void
    {
        foreach (self::$pending as [$suffix, $type]) {
            $native->ffi->mime_type_set($suffix, $type);
        }
        self::$pending = [];
    }
}
