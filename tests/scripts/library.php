<?php
// What needs no server: swoole_strerror(), the MIME table functions,
// Swoole\Http\Cookie, Http\Status, Constant and the iterator Swoole makes.
foreach ([
    [SWOOLE_ERROR_SESSION_NOT_EXIST, SWOOLE_STRERROR_SYSTEM], [SWOOLE_ERROR_PHP_FATAL_ERROR, 0],
    [SWOOLE_ERROR_DNSLOOKUP_RESOLVE_FAILED, 0], [SWOOLE_ERROR_SSL_BAD_CLIENT, 0], [SWOOLE_ERROR_CO_TIMEDOUT, 0],
    [98, 0], [98, SWOOLE_STRERROR_SWOOLE], [9999, 0], [20000, 0], [-2, SWOOLE_STRERROR_GAI], [1, SWOOLE_STRERROR_DNS],
] as [$errno, $type]) {
    echo swoole_strerror($errno, $type), "\n";
}
echo swoole_strerror(SWOOLE_ERROR_HTTP_COOKIE_UNAVAILABLE), "\n";
var_dump(
    swoole_mime_type_get('/a.b/INDEX.HTML'),
    swoole_mime_type_get('x.php'),
    swoole_mime_type_exists('x.txt'),
    swoole_mime_type_add('txt', 'text/x'),
    swoole_mime_type_add('moc', 'application/x-mocha'),
    swoole_get_mime_type('a.moc'),
    swoole_mime_type_delete('moc'),
    swoole_mime_type_delete('moc'),
    swoole_mime_type_exists('a.moc'),
    in_array('text/plain', swoole_mime_type_list(), true),
);
swoole_mime_type_set('txt', 'text/x');
echo swoole_mime_type_get('a.txt'), "\n";

$c = (new Swoole\Http\Cookie())->withName('n')->withValue('a b;c')->withPath('/p')->withDomain('example.com')
    ->withSecure(true)->withHttpOnly(true)->withSameSite('Lax')->withPriority('High')->withPartitioned(true);
echo $c->toString(), "\n";
echo (new Swoole\Http\Cookie(false))->withName('n')->withValue('a%20b')->toString(), "\n";
echo (new Swoole\Http\Cookie())->withName('n')->withValue('')->toString(), "\n";
echo (new Swoole\Http\Cookie())->withName('n')->withValue('v')->withExpires(1)->toString(), "\n";
$bad = (new Swoole\Http\Cookie(false))->withName('n')->withValue('a b');
var_dump($bad->toString(), $bad->toArray());
echo Swoole\Http\Status::getReasonPhrase(Swoole\Http\Status::REQUEST_TIME_OUT), ' ',
    Swoole\Http\Status::getReasonPhrase(299), ' ', Swoole\Constant::OPTION_ENABLE_STATIC_HANDLER, "\n";
try {
    new Swoole\Connection\Iterator();
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
// A server never started: getCallback() as registered, setting null until set().
$server = new Swoole\Http\Server('127.0.0.1', 0);
$server->on('request', 'var_dump');
$server->on('close', new class {
    public function __invoke(): void
    {
    }
});
var_dump($server->getCallback('request'), $server->getCallback('close') instanceof Closure, $server->setting);
$server->set(['worker_num' => 1]);
echo json_encode($server->setting), "\n";
