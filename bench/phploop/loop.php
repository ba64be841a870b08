<?php

// bench/phploop: STUB_EVENTS message events through start()'s loop, an
// empty onMessage; prints the time per event.
$server = new Swoole\WebSocket\Server('127.0.0.1', 0);
$server->on('message', static function ($server, $frame) {
});
$t = hrtime(true);
$server->start();
printf("%.0f ns per message event\n", (hrtime(true) - $t) / max(1, (int) getenv('STUB_EVENTS')));
