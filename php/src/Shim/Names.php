<?php

namespace Swoole\Shim;

/**
 * The event names and option keys Swoole accepts, from core/names.txt,
 * which the library embeds too: on() and set() are checked before start()
 * in a process that must not load the library.
 *
 * @internal
 */
final class Names
{
    /** @var array<string, array<string, true>>|null section => name => true */
    private static ?array $names = null;

    public static function isEvent(string $name): bool
    {
        return isset(self::load()['events'][strtolower($name)]);
    }

    public static function isOption(string $key): bool
    {
        return isset(self::load()['options'][strtolower($key)]);
    }

    /** @return array<string, array<string, true>> */
    private static function load(): array
    {
        if (self::$names === null) {
            self::$names = [];
            $section = '';
            foreach (file(dirname(__DIR__, 3) . '/core/names.txt', FILE_IGNORE_NEW_LINES) ?: [] as $line) {
                $line = trim($line);
                if ($line === '' || $line[0] === '#') {
                    continue;
                }
                if ($line[0] === '[') {
                    $section = trim($line, '[]');
                    continue;
                }
                foreach (preg_split('/\s+/', $line) as $name) {
                    self::$names[$section][$name] = true;
                }
            }
        }

        return self::$names;
    }
}
