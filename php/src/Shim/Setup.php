<?php

namespace Swoole\Shim;

use FFI\CData;

/**
 * What a script does to a server before start(), kept without the library:
 * its listening sockets, options and events. start() builds the library's
 * server from it in the process that runs the server: this one, or each
 * worker after the fork (a process that has started the Go runtime cannot
 * fork a child that calls into Go).
 *
 * @internal
 */
final class Setup
{
    /** Swoole's listen backlog. */
    private const BACKLOG = 512;

    /** SW_ERROR_SERVER_INVALID_LISTEN_PORT */
    private const INVALID_PORT = 9004;

    /** @var list<array{fd: int, host: string, type: int}> the constructor's port, then listen()'s */
    public array $ports = [];

    /** @var array<string, string> option => its string form, as set() gave them */
    public array $options = [];

    /** @var array<string, true> lower-case names of the events on() registered */
    public array $events = [];

    /**
     * Binds and listens as Swoole's constructor and listen() do; returns the
     * port bound, or throws Swoole\Exception with Swoole's message.
     */
    public function listen(string $host, int $port, int $type): int
    {
        if ($port < 0 || $port > 65535) {
            Log::write([], '%', 0, SWOOLE_LOG_ERROR, "invalid port [$port]");
            $code = self::INVALID_PORT;
            throw new \Swoole\Exception(
                "failed to listen server port[$host:$port], Error: invalid port [$port][$code]",
                $code
            );
        }
        try {
            [$fd, $bound] = Libc::listenTCP($host, $port, self::BACKLOG);
        } catch (\RuntimeException $e) {
            $errno = $e->getCode();
            throw new \Swoole\Exception(
                "failed to listen server port[$host:$port], Error: {$e->getMessage()}[$errno]",
                $errno
            );
        }
        $this->ports[] = ['fd' => $fd, 'host' => $host, 'type' => $type];

        return $bound;
    }

    /**
     * Makes the library's server from what was recorded.
     *
     * @param list<string> $skip events not to register: in a worker of
     *   several, those whose callbacks the manager runs
     * @return array{0: CData|null, 1: list<string>} the handle (null on
     *   failure, the library's error set), and the set() options it refused
     */
    public function build(Native $native, int $kind, array $skip = []): array
    {
        $ffi = $native->ffi;
        MimeTypes::flush($native);
        $first = $this->ports[0];
        $handle = $ffi->server_new_fd($first['fd'], $first['host'], $first['type'], $kind);
        if ($handle === null || \FFI::isNull($handle)) {
            return [null, []];
        }
        foreach (array_slice($this->ports, 1) as $p) {
            $ffi->server_listen_fd($handle, $p['fd'], $p['host'], $p['type']);
        }
        $refused = [];
        foreach ($this->options as $key => $value) {
            if ($ffi->server_set($handle, $key, $value) < 0) {
                $refused[] = $native->lastErrorMsg();
            }
        }
        $ffi->server_set_max_input_vars($handle, (int) ini_get('max_input_vars'));
        foreach ($this->events as $name => $_) {
            if (!in_array($name, $skip, true)) {
                $ffi->server_handle($handle, $name, 1);
            }
        }

        return [$handle, $refused];
    }

    /** Closes the listening sockets of a server that never started here. */
    public function close(): void
    {
        foreach ($this->ports as $p) {
            Libc::close($p['fd']);
        }
        $this->ports = [];
    }
}
