<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;

/**
 * What the library tells of a server's connections: which are open and
 * each one's client info ($server->connections, getClientInfo(),
 * exist()). Every query answers "none" once the server is freed.
 *
 * @internal
 */
final class Connections
{
    /** The swoole_client_info that get_client_info() fills, allocated on first use. */
    private ?CData $info = null;

    public function __construct(private readonly ServerState $state)
    {
    }

    public function count(): int
    {
        $st = $this->state;

        return $st->handle === null ? 0 : max(0, $st->ffi->server_connection_count($st->handle));
    }

    public function exists(int $fd): bool
    {
        $st = $this->state;

        return $st->handle !== null && $st->ffi->server_exist($st->handle, $fd) === 1;
    }

    /** @return list<int> the fds of every open connection, ascending */
    public function fds(): array
    {
        $st = $this->state;
        if ($st->handle === null) {
            return [];
        }
        $fds = [];
        // One page holds them all unless connections arrive meanwhile.
        $page = $this->count() + 64;
        $buf = $st->ffi->new("int64_t[$page]");
        $start = 0;
        do {
            $n = $st->ffi->server_client_list($st->handle, $start, $buf, $page);
            for ($i = 0; $i < $n; $i++) {
                $fds[] = $buf[$i];
            }
            $start = $n > 0 ? $buf[$n - 1] : $start;
        } while ($n === $page);

        return $fds;
    }

    /** @return array<string, mixed>|false */
    public function clientInfo(int $fd, bool $websocket): array|false
    {
        $st = $this->state;
        if ($st->handle === null) {
            return false;
        }
        $this->info ??= $st->ffi->new('swoole_client_info');
        $info = $this->info;
        if ($st->ffi->get_client_info($st->handle, $fd, FFI::addr($info)) < 0) {
            return false;
        }
        $out = [];
        if ($info->uid !== 0) {
            $out['uid'] = $info->uid;
        }
        if ($websocket) {
            $out['websocket_status'] = $info->websocket_status;
        }
        $out['server_port'] = $info->server_port;
        $out['server_fd'] = $info->server_fd;
        $out['socket_fd'] = $info->socket_fd;
        $out['socket_type'] = $info->socket_type;
        $out['remote_port'] = $info->remote_port;
        $out['remote_ip'] = FFI::string($info->remote_ip);
        $out['reactor_id'] = $info->reactor_id;
        $out['connect_time'] = $info->connect_time;
        $out['last_time'] = $info->last_time;
        $out['last_recv_time'] = (float) $info->last_recv_time;
        $out['last_send_time'] = (float) $info->last_send_time;
        $out['last_dispatch_time'] = (float) $info->last_dispatch_time;
        $out['close_errno'] = $info->close_errno;
        $out['recv_queued_bytes'] = $info->recv_queued_bytes;
        $out['send_queued_bytes'] = $info->send_queued_bytes;

        return $out;
    }

    /** $server->connections: made without the constructor, which refuses as Swoole's does. */
    public function iterator(bool $websocket): \Swoole\Connection\Iterator
    {
        $it = (new \ReflectionClass(\Swoole\Connection\Iterator::class))->newInstanceWithoutConstructor();
        (function (Connections $connections, bool $websocket): void {
            $this->connections = $connections;
            $this->websocket = $websocket;
        })->call($it, $this, $websocket);

        return $it;
    }
}
