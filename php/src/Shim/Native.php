<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;

/**
 * Loads libswoole_shim through FFI, once per process.
 *
 * The header capi/swoole_shim.h is the one source of truth: the C
 * declarations are given to FFI::cdef and the #define values are read from
 * the same text.
 *
 * @internal
 */
final class Native
{
    private static ?self $instance = null;

    public FFI $ffi;

    /** @var array<string, int> the #define NAME NUMBER values of the header */
    public array $defines = [];

    /** @var array{0: string, 1: int}|null the user's file and line that made this process load the library */
    public static ?array $loadedAt = null;

    /** @var array{0: string, 1: string}|null the header's path and text */
    private static ?array $header = null;

    /** @var array<string, int>|null the header's defines, read without loading the library */
    private static ?array $headerDefines = null;

    /** Reused buffer for swoole_last_error_msg(). */
    private CData $errBuf;

    private const ERR_CAP = 1024;

    private function __construct(string $library)
    {
        $this->defines = self::defines();
        $this->ffi = FFI::cdef(self::prepareHeader(self::header()[1]), $library);
        $this->errBuf = $this->ffi->new('char[' . self::ERR_CAP . ']');
    }

    /**
     * Turns the C header into what FFI::cdef accepts and what suits PHP,
     * without changing the ABI:
     * - lines starting with '#' are removed (FFI has no preprocessor);
     * - function parameters declared `const uint8_t *` become `const char *`
     *   so PHP strings can be passed as they are (FFI only accepts PHP
     *   strings for char and void pointers);
     * - in struct swoole_event, `const char *` fields become
     *   `const uint8_t *`, otherwise FFI reads them as NUL-terminated PHP
     *   strings and ignores the *_len fields (not binary safe, and unsafe if
     *   the library does not NUL-terminate them).
     */
    public static function prepareHeader(string $text): string
    {
        $text = preg_replace('/^[ \t]*#.*$/m', '', $text);
        $text = preg_replace('/\bconst\s+uint8_t\s*\*/', 'const char *', $text);

        return preg_replace_callback(
            '/typedef\s+struct\s+swoole_event\s*\{.*?\}\s*swoole_event\s*;/s',
            static fn (array $m): string => preg_replace('/\bconst\s+char\s*\*/', 'const uint8_t *', $m[0]),
            $text
        );
    }

    /**
     * The header's #define NAME NUMBER values, without loading the library
     * (a process that forks the workers must not).
     *
     * @return array<string, int>
     */
    public static function defines(): array
    {
        if (self::$headerDefines === null) {
            self::$headerDefines = [];
            $pattern = '/^\s*#\s*define\s+(SWOOLE_\w+)\s+(-?\d+)\b/m';
            if (preg_match_all($pattern, self::header()[1], $m, PREG_SET_ORDER)) {
                foreach ($m as $d) {
                    self::$headerDefines[$d[1]] = (int) $d[2];
                }
            }
        }

        return self::$headerDefines;
    }

    /** @return array{0: string, 1: string} */
    private static function header(): array
    {
        if (self::$header === null) {
            $path = getenv('SWOOLE_SHIM_HEADER');
            if ($path === false || $path === '') {
                $path = dirname(__DIR__, 3) . '/capi/swoole_shim.h';
            }
            $text = @file_get_contents($path);
            if ($text === false) {
                ErrorReporter::fatal("swoole-shim: cannot read the C header $path");
            }
            self::$header = [$path, $text];
        }

        return self::$header;
    }

    public static function get(): self
    {
        if (self::$instance === null) {
            $lib = getenv('SWOOLE_SHIM_LIB');
            if ($lib === false || $lib === '') {
                $lib = dirname(__DIR__, 3) . '/build/libswoole_shim.so';
            }
            self::$loadedAt = ErrorReporter::callSite();
            try {
                self::$instance = new self($lib);
            } catch (\FFI\Exception $e) {
                ErrorReporter::fatal('swoole-shim: cannot load ' . $lib . ': ' . $e->getMessage());
            }
        }

        return self::$instance;
    }

    public function define(string $name): int
    {
        if (!isset($this->defines[$name])) {
            throw new \LogicException("the C header does not define $name");
        }

        return $this->defines[$name];
    }

    public function lastError(): int
    {
        return $this->ffi->swoole_last_error();
    }

    public function lastErrorMsg(): string
    {
        $len = $this->ffi->swoole_last_error_msg($this->errBuf, self::ERR_CAP);
        if ($len <= 0) {
            return '';
        }

        return FFI::string($this->errBuf, min($len, self::ERR_CAP - 1));
    }

    /** Reads a (pointer, length) pair of an event; NULL or 0 gives ''. */
    /**
     * Writes a WARNING line to Swoole's log: the server's, or without one
     * stdout, from PHP (Log), so that a Table used before start() does not
     * load the library.
     */
    public static function warning(string $message): void
    {
        $server = ServerState::current();
        if ($server === null) {
            Log::warning($message);

            return;
        }
        self::get()->ffi->server_log($server->handle, 4, $message, strlen($message));
    }

    public static function bytes(?CData $ptr, int $len): string
    {
        if ($ptr === null || $len <= 0) {
            return '';
        }

        return FFI::string($ptr, $len);
    }
}
