<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;

/**
 * The few libc calls that must work before the Go library is loaded.
 *
 * A process that has started the Go runtime cannot fork a child that calls
 * into Go, so the process that calls start() and forks the workers makes
 * its listening sockets and shared memory with libc alone; each worker
 * loads the library after the fork and adopts them.
 *
 * @internal
 */
final class Libc
{
    private static ?FFI $ffi = null;

    private const CDEF = <<<'C'
        typedef unsigned int socklen_t;
        typedef unsigned short sa_family_t;
        struct sockaddr { sa_family_t sa_family; char sa_data[14]; };
        struct sockaddr_in { sa_family_t sin_family; uint16_t sin_port; uint32_t sin_addr; char sin_zero[8]; };
        struct sockaddr_in6 {
            sa_family_t sin6_family; uint16_t sin6_port; uint32_t sin6_flowinfo;
            uint8_t sin6_addr[16]; uint32_t sin6_scope_id;
        };
        int socket(int domain, int type, int protocol);
        int setsockopt(int fd, int level, int name, const void *value, socklen_t len);
        int bind(int fd, const struct sockaddr *addr, socklen_t len);
        int listen(int fd, int backlog);
        int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
        int close(int fd);
        int socketpair(int domain, int type, int protocol, int sv[2]);
        int shutdown(int fd, int how);
        int dup2(int oldfd, int newfd);
        long sysconf(int name);
        ssize_t read(int fd, void *buf, size_t count);
        ssize_t send(int fd, const void *buf, size_t len, int flags);
        ssize_t recv(int fd, void *buf, size_t len, int flags);
        int inet_pton(int af, const char *src, void *dst);
        int *__errno_location(void);
        char *strerror(int errnum);
        void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset);
        C;

    public const AF_INET = 2;
    public const AF_INET6 = 10;
    private const SOCK_STREAM = 1;
    private const SOCK_NONBLOCK = 0o4000;
    private const SOCK_CLOEXEC = 0o2000000;
    private const AF_UNIX = 1;
    private const MSG_DONTWAIT = 0x40;
    private const MSG_NOSIGNAL = 0x4000;
    private const SOL_SOCKET = 1;
    private const SO_REUSEADDR = 2;
    private const PROT_READ_WRITE = 3;
    private const MAP_SHARED_ANONYMOUS = 0x01 | 0x20;

    public static function ffi(): FFI
    {
        return self::$ffi ??= FFI::cdef(self::CDEF, 'libc.so.6');
    }

    public static function errno(): int
    {
        return self::ffi()->__errno_location()[0];
    }

    /** strerror() as Swoole's messages print it ("Address already in use"). */
    public static function strerror(int $errno): string
    {
        return FFI::string(self::ffi()->strerror($errno));
    }

    /**
     * Makes a listening TCP socket as Swoole's make_server_socket() does:
     * SO_REUSEADDR, non-blocking, close-on-exec (the workers inherit it by
     * fork, never by exec), the given backlog.
     *
     * @return array{0: int, 1: int} the socket and the port bound
     * @throws \RuntimeException with the errno as its code
     */
    public static function listenTCP(string $host, int $port, int $backlog): array
    {
        $ffi = self::ffi();
        [$family, $addr] = self::sockaddr($host, $port);
        $fd = $ffi->socket($family, self::SOCK_STREAM | self::SOCK_NONBLOCK | self::SOCK_CLOEXEC, 0);
        if ($fd < 0) {
            throw new \RuntimeException(self::strerror(self::errno()), self::errno());
        }
        $one = $ffi->new('int');
        $one->cdata = 1;
        if (
            $ffi->setsockopt($fd, self::SOL_SOCKET, self::SO_REUSEADDR, FFI::addr($one), 4) < 0
            || $ffi->bind($fd, $ffi->cast('struct sockaddr *', FFI::addr($addr)), FFI::sizeof($addr)) < 0
            || $ffi->listen($fd, $backlog) < 0
        ) {
            $errno = self::errno();
            $ffi->close($fd);
            throw new \RuntimeException(self::strerror($errno), $errno);
        }
        $len = $ffi->new('socklen_t');
        $len->cdata = FFI::sizeof($addr);
        $ffi->getsockname($fd, $ffi->cast('struct sockaddr *', FFI::addr($addr)), FFI::addr($len));
        $bound = $family === self::AF_INET ? $addr->sin_port : $addr->sin6_port;

        return [$fd, (($bound & 0xff) << 8) | ($bound >> 8)];
    }

    /** @return array{0: int, 1: CData} the family and the socket address */
    private static function sockaddr(string $host, int $port): array
    {
        $ffi = self::ffi();
        $nport = (($port & 0xff) << 8) | (($port >> 8) & 0xff);
        if (str_contains($host, ':')) {
            $addr = $ffi->new('struct sockaddr_in6');
            $addr->sin6_family = self::AF_INET6;
            $addr->sin6_port = $nport;
            if ($ffi->inet_pton(self::AF_INET6, $host, FFI::addr($addr->sin6_addr)) !== 1) {
                throw new \RuntimeException(self::strerror(22), 22);
            }

            return [self::AF_INET6, $addr];
        }
        $ip = filter_var($host, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4) !== false ? $host : gethostbyname($host);
        $addr = $ffi->new('struct sockaddr_in');
        $addr->sin_family = self::AF_INET;
        $addr->sin_port = $nport;
        if ($ffi->inet_pton(self::AF_INET, $ip, FFI::addr($addr->sin_addr)) !== 1) {
            throw new \RuntimeException(self::strerror(22), 22);
        }

        return [self::AF_INET, $addr];
    }

    public static function close(int $fd): void
    {
        self::ffi()->close($fd);
    }

    /**
     * Maps $size bytes shared with every process forked afterwards, zeroed.
     * Never unmapped: it lives as long as the server.
     */
    public static function sharedMemory(int $size): CData
    {
        $p = self::ffi()->mmap(null, $size, self::PROT_READ_WRITE, self::MAP_SHARED_ANONYMOUS, -1, 0);
        if (FFI::isNull($p) || (int) FFI::cast('intptr_t', $p)->cdata === -1) {
            throw new \RuntimeException('mmap: ' . self::strerror(self::errno()), self::errno());
        }

        return $p;
    }

    /**
     * A Unix socket pair of the given type (1 stream, 2 datagram), both
     * ends close-on-exec.
     *
     * @return array{0: int, 1: int}
     */
    public static function socketPair(int $type): array
    {
        $sv = self::ffi()->new('int[2]');
        if (self::ffi()->socketpair(self::AF_UNIX, $type | self::SOCK_CLOEXEC, 0, $sv) < 0) {
            throw new \RuntimeException('socketpair: ' . self::strerror(self::errno()), self::errno());
        }

        return [$sv[0], $sv[1]];
    }

    /** send(); -1 on error (EAGAIN when not blocking and the peer is full). */
    public static function write(int $fd, string $data, bool $blocking): int
    {
        $flags = self::MSG_NOSIGNAL | ($blocking ? 0 : self::MSG_DONTWAIT);

        return self::ffi()->send($fd, $data, strlen($data), $flags);
    }

    /** recv() of at most $size bytes; false on error or nothing to read without blocking. */
    public static function read(int $fd, int $size, bool $blocking): string|false
    {
        $buf = self::ffi()->new("char[$size]");
        $n = self::ffi()->recv($fd, $buf, $size, $blocking ? 0 : self::MSG_DONTWAIT);

        return $n < 0 ? false : FFI::string($buf, $n);
    }

    public static function shutdown(int $fd, int $how): bool
    {
        return self::ffi()->shutdown($fd, $how) === 0;
    }

    public static function dup2(int $from, int $to): void
    {
        self::ffi()->dup2($from, $to);
    }

    /** Online CPUs (sysconf(_SC_NPROCESSORS_ONLN)), as swoole_cpu_num() counts them. */
    public static function cpuNum(): int
    {
        return max(1, (int) self::ffi()->sysconf(84));
    }
}
