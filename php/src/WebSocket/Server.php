<?php

namespace Swoole\WebSocket;

use Swoole\Shim\ErrorReporter;
use Swoole\Shim\ServerState;

class Server extends \Swoole\Http\Server
{
    /**
     * @param Frame|string $data
     * @param int|bool $flags
     */
    public function push(
        int $fd,
        $data,
        int $opcode = WEBSOCKET_OPCODE_TEXT,
        $flags = SWOOLE_WEBSOCKET_FLAG_FIN
    ): bool {
        if ($data instanceof Frame) {
            $opcode = (int) $data->opcode;
            $flags = ((int) $data->flags & ~SWOOLE_WEBSOCKET_FLAG_FIN)
                | ($data->finish ? SWOOLE_WEBSOCKET_FLAG_FIN : 0);
            if ($data instanceof CloseFrame) {
                $payload = pack('n', (int) $data->code) . (string) $data->reason;
            } else {
                $payload = (string) $data->data;
            }
        } elseif (is_scalar($data) || $data === null || $data instanceof \Stringable) {
            $payload = (string) $data;
        } else {
            throw ErrorReporter::relocate(new \TypeError(sprintf(
                'Swoole\\WebSocket\\Server::push(): Argument #2 ($data) must be of type '
                . 'Swoole\\WebSocket\\Frame|string, %s given',
                get_debug_type($data)
            )));
        }
        if (is_bool($flags)) {
            $flags = $flags ? SWOOLE_WEBSOCKET_FLAG_FIN : 0;
        }
        $st = ServerState::of($this);
        if ($st->ffi->push($st->handle, $fd, $payload, strlen($payload), $opcode, (int) $flags) < 0) {
            ServerState::warn('Swoole\\WebSocket\\Server::push()', $st);

            return false;
        }

        return true;
    }

    public function disconnect(int $fd, int $code = WEBSOCKET_CLOSE_NORMAL, string $reason = ''): bool
    {
        $st = ServerState::of($this);
        if ($st->ffi->server_disconnect($st->handle, $fd, $code, $reason, strlen($reason)) < 0) {
            ServerState::warn('Swoole\\WebSocket\\Server::disconnect()', $st);

            return false;
        }
        $st->drain();

        return true;
    }

    public function isEstablished(int $fd): bool
    {
        $st = ServerState::of($this);

        return $st->ffi->server_is_established($st->handle, $fd) === 1;
    }

    /** Encodes one frame as a server sends it (unmasked). */
    public static function pack(
        $data,
        int $opcode = WEBSOCKET_OPCODE_TEXT,
        int $flags = SWOOLE_WEBSOCKET_FLAG_FIN
    ): string {
        if ($data instanceof Frame) {
            $opcode = (int) $data->opcode;
            $flags = ((int) $data->flags & ~SWOOLE_WEBSOCKET_FLAG_FIN)
                | ($data->finish ? SWOOLE_WEBSOCKET_FLAG_FIN : 0);
            $data = $data instanceof CloseFrame
                ? pack('n', (int) $data->code) . (string) $data->reason
                : (string) $data->data;
        }
        $data = (string) $data;
        $b0 = ($flags & SWOOLE_WEBSOCKET_FLAG_FIN ? 0x80 : 0)
            | ($flags & (SWOOLE_WEBSOCKET_FLAG_RSV1 | SWOOLE_WEBSOCKET_FLAG_COMPRESS) ? 0x40 : 0)
            | ($flags & SWOOLE_WEBSOCKET_FLAG_RSV2 ? 0x20 : 0)
            | ($flags & SWOOLE_WEBSOCKET_FLAG_RSV3 ? 0x10 : 0)
            | ($opcode & 0x0f);
        $len = strlen($data);
        if ($len < 126) {
            $head = pack('CC', $b0, $len);
        } elseif ($len < 65536) {
            $head = pack('CCn', $b0, 126, $len);
        } else {
            $head = pack('CCJ', $b0, 127, $len);
        }

        return $head . $data;
    }

    /** Decodes one frame; false when the data is not a whole frame. */
    public static function unpack(string $data): Frame|false
    {
        $n = strlen($data);
        if ($n < 2) {
            return false;
        }
        $b0 = ord($data[0]);
        $b1 = ord($data[1]);
        $len = $b1 & 0x7f;
        $pos = 2;
        if ($len === 126) {
            if ($n < 4) {
                return false;
            }
            $len = unpack('n', $data, 2)[1];
            $pos = 4;
        } elseif ($len === 127) {
            if ($n < 10) {
                return false;
            }
            $len = unpack('J', $data, 2)[1];
            $pos = 10;
        }
        $mask = null;
        if ($b1 & 0x80) {
            if ($n < $pos + 4) {
                return false;
            }
            $mask = substr($data, $pos, 4);
            $pos += 4;
        }
        if ($n < $pos + $len) {
            return false;
        }
        $payload = (string) substr($data, $pos, $len);
        if ($mask !== null && $len > 0) {
            $payload ^= str_repeat($mask, intdiv($len + 3, 4));
            $payload = substr($payload, 0, $len);
        }
        $opcode = $b0 & 0x0f;
        $flags = ($b0 & 0x80 ? SWOOLE_WEBSOCKET_FLAG_FIN : 0)
            | ($b0 & 0x40 ? SWOOLE_WEBSOCKET_FLAG_RSV1 : 0)
            | ($b0 & 0x20 ? SWOOLE_WEBSOCKET_FLAG_RSV2 : 0)
            | ($b0 & 0x10 ? SWOOLE_WEBSOCKET_FLAG_RSV3 : 0)
            | ($mask !== null ? SWOOLE_WEBSOCKET_FLAG_MASK : 0);
        if ($opcode === WEBSOCKET_OPCODE_CLOSE) {
            $frame = new CloseFrame();
            if ($len >= 2) {
                $frame->code = unpack('n', $payload)[1];
                $frame->reason = (string) substr($payload, 2);
            }
        } else {
            $frame = new Frame();
            $frame->data = $payload;
            $frame->opcode = $opcode;
        }
        $frame->flags = $flags;
        $frame->finish = ($b0 & 0x80) !== 0;

        return $frame;
    }
}
