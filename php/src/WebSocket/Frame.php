<?php

namespace Swoole\WebSocket;

class Frame implements \Stringable
{
    public $fd = 0;
    public $data = '';
    public $opcode = 1;
    public $flags = 1;
    public $finish = null;

    /** The frame's bytes, as pack() encodes it. */
    public function __toString(): string
    {
        return Server::pack($this);
    }

    /** Same as Swoole\WebSocket\Server::pack(). */
    public static function pack(
        Frame|string $data,
        int $opcode = WEBSOCKET_OPCODE_TEXT,
        int $flags = SWOOLE_WEBSOCKET_FLAG_FIN
    ): string {
        return Server::pack($data, $opcode, $flags);
    }

    /** Same as Swoole\WebSocket\Server::unpack(). */
    public static function unpack(string $data): Frame|false
    {
        return Server::unpack($data);
    }
}
