<?php

namespace Swoole\Shim;

/**
 * Reports warnings, fatals and uncaught exceptions the way PHP reports those
 * of an internal function: at the user's file and line, through the user's
 * error handler, then as php_error_cb() would (log and display).
 *
 * @internal
 */
final class ErrorReporter
{
    private const LABELS = [
        E_ERROR => 'Fatal error',
        E_WARNING => 'Warning',
        E_NOTICE => 'Notice',
        E_DEPRECATED => 'Deprecated',
        E_USER_ERROR => 'Fatal error',
        E_USER_WARNING => 'Warning',
        E_USER_NOTICE => 'Notice',
        E_USER_DEPRECATED => 'Deprecated',
    ];

    /** Directory of the PHP layer, with a trailing slash. */
    private static ?string $ownDir = null;

    /**
     * Raises a warning (or notice, deprecation) at the user's call site.
     * $message already carries its "Class::method(): " prefix.
     */
    public static function raise(int $type, string $message): void
    {
        [$file, $line] = self::callSite();
        self::raiseAt($type, $message, $file, $line);
    }

    /** Raises an error at the given place, through the user's handler first. */
    public static function raiseAt(int $type, string $message, string $file, int $line): void
    {
        $handler = set_error_handler(null);
        if ($handler === null) {
            restore_error_handler();
        } elseif (!($type & (E_ERROR | E_CORE_ERROR | E_COMPILE_ERROR | E_PARSE))) {
            // PHP calls the user handler whatever error_reporting() says, with
            // the handler unset while it runs; keep it unset (null pushed
            // above) for the call, then restore it.
            try {
                $result = $handler($type, $message, $file, $line);
            } finally {
                restore_error_handler();
            }
            if ($result !== false) {
                return;
            }
        } else {
            restore_error_handler();
        }

        self::emit($type, $message, $file, $line);
    }

    /**
     * A fatal error at the user's call site: reported like E_ERROR, then the
     * process exits with status 255 (shutdown functions still run).
     */
    public static function fatal(string $message): never
    {
        [$file, $line] = self::callSite();
        self::emit(E_ERROR, $message, $file, $line);
        exit(255);
    }

    /**
     * Reports an uncaught Throwable of a user callback exactly as PHP reports
     * an uncaught exception, but without ending the process.
     */
    public static function uncaught(\Throwable $e): void
    {
        try {
            self::cleanTrace($e);
        } catch (\Throwable $ignored) {
            // keep the trace as it is
        }
        try {
            $text = (string) $e;
        } catch (\Throwable $inner) {
            $text = get_class($e) . ': ' . $e->getMessage();
        }
        $file = $e->getFile();
        self::emit(E_ERROR, 'Uncaught ' . $text . "\n  thrown", $file !== '' ? $file : 'Unknown', $e->getLine());
    }

    /**
     * Moves a Throwable created in the PHP layer to the user's call site, as
     * for an exception thrown by an internal function.
     *
     * @template T of \Throwable
     * @param T $e
     * @return T
     */
    public static function relocate(\Throwable $e): \Throwable
    {
        [$file, $line] = self::callSite();
        self::property($e, 'file')->setValue($e, $file);
        self::property($e, 'line')->setValue($e, $line);

        return $e;
    }

    /**
     * Makes the trace of a Throwable look as with the real extension: the
     * frames of the PHP layer disappear and calls made from it (the user
     * callbacks) show as "[internal function]".
     */
    private static function cleanTrace(\Throwable $e): void
    {
        if (self::$ownDir === null) {
            self::$ownDir = dirname(__DIR__, 2) . '/';
        }
        $dir = self::$ownDir;
        $len = strlen($dir);
        $seen = [];
        for ($t = $e; $t !== null && !isset($seen[spl_object_id($t)]); $t = $t->getPrevious()) {
            $seen[spl_object_id($t)] = true;
            $out = [];
            foreach ($t->getTrace() as $frame) {
                $class = $frame['class'] ?? '';
                if ($class === 'Fiber') {
                    break; // a coroutine's trace ends at its function, as on Swoole's own stacks
                }
                if ($class === 'FFI' || strncmp($class, 'Swoole\\Shim\\', 12) === 0) {
                    continue;
                }
                if (isset($frame['file']) && strncmp($frame['file'], $dir, $len) === 0) {
                    unset($frame['file'], $frame['line']);
                }
                $out[] = $frame;
            }
            self::property($t, 'trace')->setValue($t, $out);
        }
    }

    private static function property(\Throwable $t, string $name): \ReflectionProperty
    {
        return new \ReflectionProperty($t instanceof \Exception ? \Exception::class : \Error::class, $name);
    }

    /** php_error_cb(): log and display according to the ini settings. */
    public static function emit(int $type, string $message, string $file, int $line): void
    {
        if (!(error_reporting() & $type)) {
            return;
        }
        $label = self::LABELS[$type] ?? 'Warning';

        if (self::iniBool((string) ini_get('log_errors'))) {
            // error_log() with type 0 is php_log_err(): the error_log file
            // (with its date prefix) or syslog, else the SAPI's log (stderr
            // plus "\n" in the CLI).
            error_log(sprintf('PHP %s:  %s in %s on line %d', $label, $message, $file, $line));
        }

        $display = self::displayMode((string) ini_get('display_errors'));
        if ($display === 2 && PHP_SAPI === 'cli') {
            fwrite(STDERR, sprintf("%s: %s in %s on line %d\n", $label, $message, $file, $line));
        } elseif ($display !== 0) {
            echo sprintf(
                "%s\n%s: %s in %s on line %d\n%s",
                (string) ini_get('error_prepend_string'),
                $label,
                $message,
                $file,
                $line,
                (string) ini_get('error_append_string')
            );
        }
    }

    /**
     * File and line of the innermost call made from outside the PHP layer:
     * the user's call of the Swoole function or method.
     *
     * @return array{0: string, 1: int}
     */
    public static function callSite(): array
    {
        if (self::$ownDir === null) {
            self::$ownDir = dirname(__DIR__, 2) . '/';
        }
        $dir = self::$ownDir;
        $len = strlen($dir);
        foreach (debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS) as $frame) {
            if (isset($frame['file']) && strncmp($frame['file'], $dir, $len) !== 0) {
                return [$frame['file'], $frame['line'] ?? 0];
            }
        }

        return ['Unknown', 0];
    }

    /** zend_ini_parse_bool() */
    private static function iniBool(string $value): bool
    {
        $v = strtolower(trim($value));
        if ($v === 'true' || $v === 'yes' || $v === 'on') {
            return true;
        }

        return (int) $v !== 0;
    }

    /** php_get_display_errors_mode(): 0 off, 1 stdout, 2 stderr. */
    private static function displayMode(string $value): int
    {
        $v = strtolower(trim($value));
        if ($v === 'on' || $v === 'yes' || $v === 'true' || $v === 'stdout') {
            return 1;
        }
        if ($v === 'stderr') {
            return 2;
        }

        return (int) $v;
    }
}
