<?php

namespace Swoole\WebSocket;

class Frame
{
    public $fd = 0;
    public $data = '';
    public $opcode = 1;
    public $flags = 1;
    public $finish = false;
}
