<?php

namespace Swoole\WebSocket;

use Swoole\Shim\Native;
use Swoole\Shim\ServerState;

class Server extends \Swoole\Http\Server
{
    public function push(
        int $fd,
        Frame|string $data,
        int $opcode = \WEBSOCKET_OPCODE_TEXT,
        int $flags = \SWOOLE_WEBSOCKET_FLAG_FIN
    ): bool {
        if (\is_string($data)) {
            $payload = $data; // the common case, without frameArgs()'s array
        } else {
            [$payload, $opcode, $flags] = self::frameArgs($data, $opcode, $flags);
        }
        $st = ServerState::of($this);
        if ($st->ffi->push($st->handle, $fd, $payload, strlen($payload), $opcode, $flags) < 0) {
            ServerState::warn('Swoole\\WebSocket\\Server::push()', $st);

            return false;
        }

        return true;
    }

    /**
     * The payload, opcode and flags that push() and pack() send: a Frame's
     * own, its FIN bit set or cleared by $finish unless that is null, as in
     * Swoole; a string with the opcode and flags given.
     *
     * @return array{string, int, int}
     */
    private static function frameArgs(Frame|string $data, int $opcode, int $flags): array
    {
        if (!$data instanceof Frame) {
            return [$data, $opcode, $flags];
        }
        $flags = (int) $data->flags;
        if ($data->finish !== null) {
            $flags = ($flags & ~SWOOLE_WEBSOCKET_FLAG_FIN) | ($data->finish ? SWOOLE_WEBSOCKET_FLAG_FIN : 0);
        }
        $payload = $data instanceof CloseFrame
            ? pack('n', (int) $data->code) . (string) $data->reason
            : (string) $data->data;

        return [$payload, (int) $data->opcode, $flags];
    }

    public function disconnect(int $fd, int $code = WEBSOCKET_CLOSE_NORMAL, string $reason = ''): bool
    {
        $st = ServerState::of($this);
        if ($st->ffi->server_disconnect($st->handle, $fd, $code, $reason, strlen($reason)) < 0) {
            ServerState::warn('Swoole\\WebSocket\\Server::disconnect()', $st);

            return false;
        }
        $st->loop->drain();

        return true;
    }

    public function ping(int $fd, string $data = ''): bool
    {
        $st = ServerState::of($this);
        $ok = $st->ffi->push($st->handle, $fd, $data, strlen($data), WEBSOCKET_OPCODE_PING, SWOOLE_WEBSOCKET_FLAG_FIN);
        if ($ok < 0) {
            ServerState::warn('Swoole\\WebSocket\\Server::ping()', $st);

            return false;
        }

        return true;
    }

    public function isEstablished(int $fd): bool
    {
        $st = ServerState::of($this);

        return $st->ffi->server_is_established($st->handle, $fd) === 1;
    }

    /** Encodes one frame as a server sends it (unmasked). */
    public static function pack(
        Frame|string $data,
        int $opcode = WEBSOCKET_OPCODE_TEXT,
        int $flags = SWOOLE_WEBSOCKET_FLAG_FIN
    ): string {
        [$payload, $opcode, $flags] = self::frameArgs($data, $opcode, $flags);
        $ffi = Native::get()->ffi;
        $cap = strlen($payload) + 10;
        $out = $ffi->new("uint8_t[$cap]");
        $n = $ffi->frame_pack($payload, strlen($payload), $opcode, $flags, $out, $cap);
        if ($n > $cap) { // compressed data that grew
            $out = $ffi->new("uint8_t[$n]");
            $ffi->frame_pack($payload, strlen($payload), $opcode, $flags, $out, $n);
        }

        return \FFI::string($out, $n);
    }

    /** Decodes one frame; false when the data is not a whole frame. */
    public static function unpack(string $data): Frame|false
    {
        $ffi = Native::get()->ffi;
        $opcode = $ffi->new('int');
        $flags = $ffi->new('int');
        $cap = max(1, strlen($data));
        $buf = $ffi->new("uint8_t[$cap]");
        $n = $ffi->frame_unpack($data, strlen($data), \FFI::addr($opcode), \FFI::addr($flags), $buf, $cap);
        if ($n < 0) {
            return false;
        }
        $payload = \FFI::string($buf, $n);
        if ($opcode->cdata === WEBSOCKET_OPCODE_CLOSE) {
            $frame = new CloseFrame();
            if ($n >= 2) {
                $frame->code = unpack('n', $payload)[1];
                $frame->reason = (string) substr($payload, 2);
            }
        } else {
            $frame = new Frame();
            $frame->data = $payload;
            $frame->opcode = $opcode->cdata;
        }
        $frame->flags = $flags->cdata;
        $frame->finish = ($flags->cdata & SWOOLE_WEBSOCKET_FLAG_FIN) !== 0;

        return $frame;
    }
}
