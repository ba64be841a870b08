<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;
use Swoole\Http\Request;
use Swoole\Http\Response;
use Swoole\Server;
use Swoole\WebSocket\CloseFrame;
use Swoole\WebSocket\Frame;

/**
 * Turns a swoole_event of the library into the name of the callback it
 * calls and that callback's arguments (Swoole's signatures), reading
 * everything from the event before the callback runs and the event is
 * reused.
 *
 * @internal
 */
final class EventDecoder
{
    /**
     * For each event type of the C header: the callback it calls, and the
     * method that builds that callback's arguments (Swoole's signatures).
     */
    private const TYPES = [
        'SWOOLE_EVENT_START' => ['start', 'serverOnly'],
        'SWOOLE_EVENT_WORKER_START' => ['workerstart', 'serverWorker'],
        'SWOOLE_EVENT_CONNECT' => ['connect', 'serverFdReactor'],
        'SWOOLE_EVENT_OPEN' => ['open', 'serverRequest'],
        'SWOOLE_EVENT_MESSAGE' => ['message', 'serverFrame'],
        'SWOOLE_EVENT_REQUEST' => ['request', 'requestResponse'],
        'SWOOLE_EVENT_CLOSE' => ['close', 'serverFdReactor'],
        'SWOOLE_EVENT_DISCONNECT' => ['disconnect', 'serverFd'],
        'SWOOLE_EVENT_WORKER_STOP' => ['workerstop', 'serverWorker'],
        'SWOOLE_EVENT_SHUTDOWN' => ['shutdown', 'serverOnly'],
        'SWOOLE_EVENT_BEFORE_SHUTDOWN' => ['beforeshutdown', 'serverOnly'],
        'SWOOLE_EVENT_HANDSHAKE' => ['handshake', 'requestResponse'],
        'SWOOLE_EVENT_BEFORE_HANDSHAKE_RESPONSE' => ['beforehandshakeresponse', 'serverRequestResponse'],
    ];

    /** @var array<int, string> event type => lower-case callback name */
    public readonly array $names;

    /**
     * @var array<int, \Closure(Server, CData): list<mixed>> event type =>
     * what builds its callback's arguments; closures made once, so the
     * loop calls the builder directly, with no call in between
     */
    public readonly array $builders;

    public function __construct(private readonly ServerState $state)
    {
        $names = $builders = [];
        foreach (self::TYPES as $define => [$name, $method]) {
            $type = $state->native->define($define);
            $names[$type] = $name;
            $builders[$type] = $this->$method(...);
        }
        $this->names = $names;
        $this->builders = $builders;
    }

    /** @return list<mixed> */
    private function serverOnly(Server $server, CData $ev): array
    {
        return [$server];
    }

    /**
     * Message: the server and the frame (a CloseFrame for a close frame),
     * built here rather than in a helper: on the hottest path, one PHP
     * call less is 3 % of the whole dispatch.
     *
     * @return array{Server, Frame}
     */
    private function serverFrame(Server $server, CData $ev): array
    {
        $len = $ev->data_len;
        $data = $len > 0 ? FFI::string($ev->data, $len) : '';
        $opcode = $ev->opcode;
        if ($opcode === 8) {
            $frame = new CloseFrame();
            if (strlen($data) >= 2) {
                $frame->code = unpack('n', $data)[1];
                $frame->reason = (string) substr($data, 2);
            }
        } else {
            $frame = new Frame();
            $frame->data = $data;
            $frame->opcode = $opcode;
        }
        $frame->fd = $ev->fd;
        $frame->flags = $ev->flags;
        $frame->finish = $ev->finish !== 0;

        return [$server, $frame];
    }

    /** @return list<mixed> */
    private function serverRequest(Server $server, CData $ev): array
    {
        return [$server, $this->request($ev)];
    }

    /** @return list<mixed> */
    private function requestResponse(Server $server, CData $ev): array
    {
        return [$this->request($ev), $this->response($ev)];
    }

    /** @return list<mixed> */
    private function serverRequestResponse(Server $server, CData $ev): array
    {
        return [$server, $this->request($ev), $this->response($ev)];
    }

    /** @return list<mixed> */
    private function serverFdReactor(Server $server, CData $ev): array
    {
        return [$server, $ev->fd, $ev->reactor_id];
    }

    /** @return list<mixed> */
    private function serverFd(Server $server, CData $ev): array
    {
        return [$server, $ev->fd];
    }

    /** @return list<mixed> */
    private function serverWorker(Server $server, CData $ev): array
    {
        return [$server, $ev->worker_id];
    }

    private function response(CData $ev): Response
    {
        $response = new Response();
        $response->fd = $ev->fd;
        Store::$responses[$response] = new ResponseState($this->state->native, $this->state, $ev->response);

        return $response;
    }

    private function request(CData $ev): Request
    {
        $request = new Request();
        $request->fd = $ev->fd;

        $parts = null;
        if ($ev->php_len > 0) {
            $parts = unserialize(Native::bytes($ev->php, $ev->php_len), ['allowed_classes' => false]);
        }
        if (is_array($parts)) {
            $request->header = isset($parts[0]) && $parts[0] !== [] ? $parts[0] : null;
            $request->server = isset($parts[1]) && $parts[1] !== [] ? $parts[1] : null;
            $request->cookie = isset($parts[2]) && $parts[2] !== [] ? $parts[2] : null;
        }

        // The core bounds the variables by max_input_vars: parse_str()
        // gets the part of the query and of the body that holds them.
        $query = Native::bytes($ev->query, $ev->query_len);
        if ($query !== '') {
            parse_str(substr($query, 0, $parts[5] ?? 0), $get);
            $request->get = $get;
        }

        Store::$raw[$request] = Native::bytes($ev->raw, $ev->raw_len);
        $body = Native::bytes($ev->data, $ev->data_len);
        if ($body !== '') {
            Store::$bodies[$request] = $body;
            $contentType = $request->header['content-type'] ?? '';
            if (is_string($contentType) && strncasecmp($contentType, 'application/x-www-form-urlencoded', 33) === 0) {
                parse_str(substr($body, 0, $parts[6] ?? 0), $post);
                $request->post = $post;
            }
        }
        if (is_array($parts) && ($parts[7] ?? 0) === 1) {
            $limit = (int) ini_get('max_input_vars');
            ErrorReporter::raiseAt(
                E_WARNING,
                "Swoole\\Server::start(): Input variables exceeded $limit. "
                . 'To increase the limit change max_input_vars in php.ini',
                ...$this->state->startSite
            );
        }
        if (is_array($parts) && ($parts[4] ?? '') !== '') {
            parse_str($parts[4], $post); // a multipart body's fields
            $request->post = $post;
        }
        if (is_array($parts) && !empty($parts[3])) {
            [$request->files, $request->tmpfiles] = self::files($parts[3]);
        }

        return $request;
    }

    /**
     * $request->files in the shape of PHP's $_FILES ("doc[]" and "a[b]"
     * fields nest as PHP nests them), and $request->tmpfiles.
     *
     * @param list<array{string, string, string, string, int, int}> $uploads
     * @return array{array<string, mixed>, list<string>}
     */
    private static function files(array $uploads): array
    {
        $files = [];
        $tmp = [];
        foreach ($uploads as [$field, $name, $type, $tmpName, $error, $size]) {
            $open = strpos($field, '[');
            $base = $open === false ? $field : substr($field, 0, $open);
            $rest = $open === false ? '' : substr($field, $open);
            $query = '';
            $attributes = [
                'name' => $name, 'type' => $type, 'tmp_name' => $tmpName, 'error' => $error, 'size' => $size,
            ];
            foreach ($attributes as $key => $value) {
                $query .= '&' . rawurlencode($base) . "[$key]" . $rest . '=' . rawurlencode((string) $value);
            }
            parse_str($query, $one);
            $files = array_merge_recursive($files, $one);
            if ($tmpName !== '') {
                $tmp[] = $tmpName;
            }
        }
        // parse_str() gives strings: error and size are ints in $_FILES.
        foreach ($files as &$file) {
            foreach (['error', 'size'] as $key) {
                if (is_array($file[$key])) {
                    array_walk_recursive($file[$key], static function (&$value) {
                        $value = (int) $value;
                    });
                } else {
                    $file[$key] = (int) $file[$key];
                }
            }
        }
        unset($file);

        return [$files, $tmp];
    }
}
