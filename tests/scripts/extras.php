<?php
// ping(), send() and bind().
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->on('Message', function ($ws, $frame) {
    switch ($frame->data) {
        case 'ping':
            var_dump($ws->ping($frame->fd, 'hi'), $ws->ping(9999));
            break;
        case 'send':
            // A whole frame, written raw.
            var_dump($ws->send($frame->fd, "\x81\x03raw"), $ws->send(9999, 'x'));
            break;
        case 'bind':
            var_dump($ws->bind($frame->fd, 42), $ws->bind(9999, 1));
            $info = $ws->getClientInfo($frame->fd);
            echo array_key_first($info), ' ', $info['uid'], "\n";
            $ws->push($frame->fd, 'bound');
            break;
        case 'scalar':
            $ws->push($frame->fd, 42);
            $ws->push($frame->fd, 1.5);
            break;
        case 'reset':
            var_dump($ws->close($frame->fd, true));
            break;
        case 'stats':
            $s = $ws->stats();
            echo implode(',', array_keys($s)), "\n";
            echo $s['connection_num'], ' ', $s['accept_count'], ' ', $s['session_round'], ' ',
                $s['request_count'] >= 4 ? 'counted' : 'not counted', ' ',
                $s['total_recv_bytes'] > 0 && $s['total_send_bytes'] > 0 ? 'bytes' : 'no bytes', ' ',
                $s['coroutine_num'] >= 1 && $s['coroutine_peek_num'] >= $s['coroutine_num'] ? 'coroutines' : 'none', "\n";
            $ws->push($frame->fd, 'stats');
            break;
    }
});
$ws->start();
