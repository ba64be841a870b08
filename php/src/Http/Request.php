<?php

namespace Swoole\Http;

use Swoole\Shim\Store;

class Request
{
    public $fd = 0;
    public $streamId = 0;
    public $header = null;
    public $server = null;
    public $cookie = null;
    public $get = null;
    public $files = null;
    public $post = null;
    public $tmpfiles = null;

    /** The raw body, or false when there is none. */
    /** The body; "" when there is none, as Swoole 6.1.9 answers. */
    public function getContent(): string|false
    {
        return Store::$bodies[$this] ?? '';
    }

    public function rawContent(): string|false
    {
        return $this->getContent();
    }

    /** The whole request as received: request line, headers and body. */
    public function getData(): string|false
    {
        $raw = Store::$raw[$this] ?? '';

        return $raw === '' ? false : $raw;
    }

    public function getMethod(): string|false
    {
        return $this->server['request_method'] ?? false;
    }
}
