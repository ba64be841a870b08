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

    /** Reused buffer for swoole_last_error_msg(). */
    private CData $errBuf;

    private const ERR_CAP = 1024;

    private function __construct(string $header, string $library)
    {
        $text = @file_get_contents($header);
        if ($text === false) {
            throw new \RuntimeException("cannot read the C header $header");
        }
        if (preg_match_all('/^\s*#\s*define\s+(SWOOLE_\w+)\s+(-?\d+)\b/m', $text, $m, PREG_SET_ORDER)) {
            foreach ($m as $d) {
                $this->defines[$d[1]] = (int) $d[2];
            }
        }
        $this->ffi = FFI::cdef(self::prepareHeader($text), $library);
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

    public static function get(): self
    {
        if (self::$instance === null) {
            $root = dirname(__DIR__, 3);
            $lib = getenv('SWOOLE_SHIM_LIB');
            if ($lib === false || $lib === '') {
                $lib = $root . '/build/libswoole_shim.so';
            }
            $header = getenv('SWOOLE_SHIM_HEADER');
            if ($header === false || $header === '') {
                $header = $root . '/capi/swoole_shim.h';
            }
            try {
                self::$instance = new self($header, $lib);
            } catch (\FFI\Exception | \RuntimeException $e) {
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
