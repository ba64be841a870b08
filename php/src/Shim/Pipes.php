<?php

namespace Swoole\Shim;

/**
 * The sockets Swoole's processes talk over: one Unix datagram socket pair
 * per worker, made before the fork. Anyone sends to worker i on its pair's
 * first end; worker i's loop reads the second (server_watch()), where each
 * datagram is one whole message (many senders cannot interleave).
 *
 * A message is a 16-byte head (kind, flags, source worker, task id) and
 * the data, serialize()d unless it is a string; data too large for one
 * datagram travels in a temporary file, as Swoole's large tasks do
 * (task_tmpdir).
 *
 * @internal
 */
final class Pipes
{
    /** Kinds of message: sendMessage(), a task, a task's result. */
    public const MESSAGE = 1;
    public const TASK = 2;
    public const RESULT = 3;

    /** The largest datagram, for a reader that takes one itself. */
    public const MAX_DATAGRAM = 256 << 10;

    private const SERIALIZED = 1;
    private const IN_FILE = 2;
    private const HEAD = 'CCxxlq';
    private const HEAD_SIZE = 16;

    /** Larger data goes through a file (a datagram cannot outgrow the socket's send buffer). */
    private const MAX_INLINE = 128 << 10;

    /** @var list<array{0: int, 1: int}> worker id => [sending end, receiving end] */
    private array $pairs = [];

    public function __construct(int $workers, private readonly string $tmpdir)
    {
        for ($i = 0; $i < $workers; ++$i) {
            $this->pairs[] = Libc::socketPair(2);
        }
    }

    /** The end worker $id reads. */
    public function receivingEnd(int $id): int
    {
        return $this->pairs[$id][1];
    }

    /** Sends $data to worker $dst; false if it could not be sent. */
    public function send(int $dst, int $kind, int $src, mixed $data, int $taskId = 0): bool
    {
        $flags = 0;
        if (!is_string($data)) {
            $data = serialize($data);
            $flags |= self::SERIALIZED;
        }
        if (strlen($data) > self::MAX_INLINE) {
            $file = tempnam($this->tmpdir, 'swoole.task.');
            if ($file === false || file_put_contents($file, $data) !== strlen($data)) {
                return false;
            }
            $data = $file;
            $flags |= self::IN_FILE;
        }
        $message = pack(self::HEAD, $kind, $flags, $src, $taskId) . $data;

        return Libc::write($this->pairs[$dst][0], $message, true) === strlen($message);
    }

    /**
     * Reads a datagram of the loop: [kind, source worker, task id, data].
     *
     * @return array{0: int, 1: int, 2: int, 3: mixed}
     */
    public static function decode(string $datagram): array
    {
        ['kind' => $kind, 'flags' => $flags, 'src' => $src, 'task' => $task]
            = unpack('Ckind/Cflags/x2/lsrc/qtask', $datagram);
        $data = substr($datagram, self::HEAD_SIZE);
        if ($flags & self::IN_FILE) {
            $file = $data;
            $data = (string) file_get_contents($file);
            @unlink($file);
        }

        return [$kind, $src, $task, ($flags & self::SERIALIZED) ? unserialize($data) : $data];
    }
}
