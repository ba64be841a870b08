<?php
// Drives most of the Swoole\WebSocket\Server API; tests/php_test.go sends
// the messages and requests and checks every line this prints.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
var_dump($ws->set(['package_max_length' => 1048576]), $ws->setting);
var_dump($ws->on('nope', function () {
}));
$ws->on('Start', function ($ws) {
    echo "start\n";
});
$ws->on('workerStart', function ($ws, $workerId) {
    echo "workerstart $workerId {$ws->worker_id}\n";
});
$ws->on('Connect', function ($ws, $fd, $reactorId) {
    echo "connect $fd $reactorId\n";
});
$ws->on('OPEN', function ($ws, $request) {
    echo "open {$request->fd}\n";
    echo implode(',', array_keys(get_object_vars($request))), "\n";
    echo implode(',', array_keys($request->server)), "\n";
    $info = $ws->getClientInfo($request->fd);
    echo implode(',', array_keys($info)), "\n";
    echo implode(',', array_map('gettype', $info)), "\n";
    var_dump($info['websocket_status'], $info['remote_ip'], $ws->exist($request->fd), $ws->isEstablished($request->fd));
    var_dump($ws->getClientList(), $ws->getClientInfo(9999), $ws->exist(9999));
    $ws->push($request->fd, "hello, welcome\n");
});
$ws->on('message', function ($ws, $frame) {
    echo "message {$frame->fd} {$frame->opcode} {$frame->flags} ", var_export($frame->finish, true), " {$frame->data}\n";
    switch ($frame->data) {
        case 'errors':
            var_dump($ws->push(9999, 'x'));
            var_dump($ws->disconnect(9999, 4000, 'bye'));
            break;
        case 'binary':
            var_dump($ws->push($frame->fd, "\x00\x01", WEBSOCKET_OPCODE_BINARY));
            break;
        case 'throw':
            throw new LogicException('bad');
        case 'bye':
            var_dump($ws->disconnect($frame->fd, 4000, 'bye'));
            var_dump($ws->push($frame->fd, 'x'));
            break;
        default:
            $ws->push($frame->fd, "server: {$frame->data}");
    }
});
$ws->on('request', function ($request, $response) use ($ws) {
    var_dump($request->get, $request->post, $request->cookie, $request->getContent(), $request->getMethod());
    echo $request->server['query_string'] ?? '-', ' ', $request->server['request_uri'], ' ', $request->header['content-type'] ?? '-', "\n";
    var_dump($ws->push($request->fd, 'x'), $ws->exist($request->fd), $ws->isEstablished($request->fd));
    $response->status(201);
    $response->header('x-custom', 'yes');
    $response->header('X-Multi', ['a', 'b']);
    $response->cookie('sid', 'a b', 0, '/', '', false, true);
    var_dump($response->end('created'), $response->end('again'));
    if ($request->server['request_uri'] === '/stop') {
        $ws->shutdown();
    }
});
$ws->on('Close', function ($ws, $fd, $reactorId) {
    echo "close $fd $reactorId ", var_export($ws->exist($fd), true), ' ', $ws->getClientInfo($fd)['websocket_status'], "\n";
});
$ws->on('WorkerStop', function ($ws, $workerId) {
    echo "workerstop $workerId\n";
});
$ws->on('Shutdown', function ($ws) {
    echo "shutdown\n";
});
var_dump($ws->start());
echo "after start\n";
