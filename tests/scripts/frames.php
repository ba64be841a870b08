<?php
// pack(), unpack() and Frame::__toString(), byte for byte.
$f = new Swoole\WebSocket\Frame();
$f->data = 'hello';
echo bin2hex(Swoole\WebSocket\Server::pack($f)), "\n";
echo bin2hex((string) $f), "\n";
$f->finish = false;
echo bin2hex(Swoole\WebSocket\Frame::pack($f)), "\n";
echo bin2hex(Swoole\WebSocket\Server::pack('hi', WEBSOCKET_OPCODE_BINARY, 0)), "\n";
echo bin2hex(Swoole\WebSocket\Server::pack(str_repeat('a', 200))) === '817e00c8' . bin2hex(str_repeat('a', 200)) ? "long ok\n" : "long bad\n";
$c = new Swoole\WebSocket\CloseFrame();
$c->reason = 'bye';
echo bin2hex(Swoole\WebSocket\Server::pack($c)), "\n";
$u = Swoole\WebSocket\Frame::unpack(Swoole\WebSocket\Server::pack('hey', WEBSOCKET_OPCODE_TEXT, 0));
echo get_class($u), " {$u->opcode} {$u->flags} ", var_export($u->finish, true), " {$u->data}\n";
$u = Swoole\WebSocket\Server::unpack("\x88\x84\x01\x02\x03\x04" . ("\x03\xe8ok" ^ "\x01\x02\x03\x04"));
echo get_class($u), " {$u->opcode} {$u->flags} {$u->code} {$u->reason}\n";
var_dump(Swoole\WebSocket\Server::unpack("\x81\x05he"));
$random = random_bytes(70000);
$packed = Swoole\WebSocket\Server::pack($random, WEBSOCKET_OPCODE_BINARY, SWOOLE_WEBSOCKET_FLAG_FIN | SWOOLE_WEBSOCKET_FLAG_COMPRESS);
echo strlen($packed) > 70000 ? "incompressible ok\n" : "incompressible bad\n";
