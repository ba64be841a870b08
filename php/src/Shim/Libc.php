<?php

namespace Swoole\Shim;

use FFI;

/**
 * The C library through FFI, for what must work without the Go library:
 * Swoole\Table, Atomic and Lock are made before start() in the process that
 * will fork the workers, and a process that has started the Go runtime
 * cannot fork (see docs/ARCHITECTURE.md). So: shared mappings, pthread
 * locks marked process-shared, the futex behind Atomic::wait(), the
 * clock of Swoole's log line, and the sockets of a server (its listening
 * sockets, made before the fork that starts its workers; Process's pipes).
 *
 * Memory is passed as an integer address (intptr_t) rather than a CData
 * pointer: the mappings are known by address, and an integer costs no
 * CData object per call (pointer arithmetic on a CData makes one, ~35 ns).
 *
 * @internal
 */
final class Libc
{
    private const PROT_READ_WRITE = 0x3;
    private const MAP_SHARED_ANONYMOUS = 0x21;
    public const PTHREAD_PROCESS_SHARED = 1;
    private const PTHREAD_MUTEX_ROBUST = 1;
    public const EOWNERDEAD = 130;
    public const FUTEX_WAIT = 0;
    public const FUTEX_WAKE = 1;

    /** Bytes reserved for any pthread lock (glibc: mutex 40, rwlock 56 on x86-64; 48/56 on arm64). */
    public const LOCK_SIZE = 64;

    private const SYS_FUTEX = ['x86_64' => 202, 'aarch64' => 98];

    private const AF_UNIX = 1;
    private const AF_INET = 2;
    private const AF_INET6 = 10;
    private const SOCK_STREAM = 1;
    private const SOCK_NONBLOCK = 0o4000;
    private const SOCK_CLOEXEC = 0o2000000;
    private const SOL_SOCKET = 1;
    private const SO_REUSEADDR = 2;
    private const MSG_DONTWAIT = 0x40;
    private const MSG_NOSIGNAL = 0x4000;
    private const SC_NPROCESSORS_ONLN = 84;

    private static ?FFI $ffi = null;
    private static ?int $sysFutex = null;

    public static function get(): FFI
    {
        return self::$ffi ??= FFI::cdef(<<<'C'
            struct timespec { long tv_sec; long tv_nsec; };
            struct tm { int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
                        long tm_gmtoff; const char *tm_zone; };
            intptr_t mmap(void *addr, size_t length, int prot, int flags, int fd, long offset);
            int munmap(intptr_t addr, size_t length);
            int pthread_mutexattr_init(void *attr);
            int pthread_mutexattr_setpshared(void *attr, int pshared);
            int pthread_mutexattr_setrobust(void *attr, int robust);
            int pthread_mutex_init(intptr_t mutex, const void *attr);
            int pthread_mutex_lock(intptr_t mutex);
            int pthread_mutex_trylock(intptr_t mutex);
            int pthread_mutex_timedlock(intptr_t mutex, const struct timespec *abstime);
            int pthread_mutex_unlock(intptr_t mutex);
            int pthread_mutex_consistent(intptr_t mutex);
            int pthread_rwlockattr_init(void *attr);
            int pthread_rwlockattr_setpshared(void *attr, int pshared);
            int pthread_rwlock_init(intptr_t rwlock, const void *attr);
            int pthread_rwlock_rdlock(intptr_t rwlock);
            int pthread_rwlock_wrlock(intptr_t rwlock);
            int pthread_rwlock_tryrdlock(intptr_t rwlock);
            int pthread_rwlock_trywrlock(intptr_t rwlock);
            int pthread_rwlock_timedrdlock(intptr_t rwlock, const struct timespec *abstime);
            int pthread_rwlock_timedwrlock(intptr_t rwlock, const struct timespec *abstime);
            int pthread_rwlock_unlock(intptr_t rwlock);
            int pthread_spin_init(intptr_t lock, int pshared);
            int pthread_spin_lock(intptr_t lock);
            int pthread_spin_trylock(intptr_t lock);
            int pthread_spin_unlock(intptr_t lock);
            long syscall(long number, ...);
            long time(long *t);
            struct tm *localtime_r(const long *t, struct tm *result);
            size_t strftime(char *s, size_t max, const char *format, const struct tm *tm);
            typedef unsigned int socklen_t;
            struct sockaddr { unsigned short sa_family; char sa_data[14]; };
            struct sockaddr_in { unsigned short sin_family; uint16_t sin_port; uint32_t sin_addr; char sin_zero[8]; };
            struct sockaddr_in6 {
                unsigned short sin6_family; uint16_t sin6_port; uint32_t sin6_flowinfo;
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
            long send(int fd, const void *buf, size_t len, int flags);
            long recv(int fd, void *buf, size_t len, int flags);
            int inet_pton(int af, const char *src, void *dst);
            int *__errno_location(void);
            char *strerror(int errnum);
            const char *gai_strerror(int errcode);
            const char *hstrerror(int err);
            long sysconf(int name);
            struct pollfd { int fd; short events; short revents; };
            int poll(struct pollfd *fds, unsigned long nfds, int timeout);
            C, 'libc.so.6');
    }

    /**
     * A new mapping shared with the processes this one forks after, zeroed;
     * its address, or null when the system refuses it.
     */
    public static function map(int $bytes): ?int
    {
        $addr = self::get()->mmap(null, $bytes, self::PROT_READ_WRITE, self::MAP_SHARED_ANONYMOUS, -1, 0);

        return $addr === -1 ? null : $addr;
    }

    public static function unmap(int $addr, int $bytes): void
    {
        self::get()->munmap($addr, $bytes);
    }

    /** Makes the LOCK_SIZE bytes at $addr a process-shared mutex (robust: see SharedMutex). */
    public static function initMutex(int $addr, bool $robust): void
    {
        $libc = self::get();
        $attr = $libc->new('long[8]');
        $at = FFI::addr($attr);
        $libc->pthread_mutexattr_init($at);
        $libc->pthread_mutexattr_setpshared($at, self::PTHREAD_PROCESS_SHARED);
        if ($robust) {
            $libc->pthread_mutexattr_setrobust($at, self::PTHREAD_MUTEX_ROBUST);
        }
        $libc->pthread_mutex_init($addr, $at);
    }

    public static function initRWLock(int $addr): void
    {
        $libc = self::get();
        $attr = $libc->new('long[8]');
        $at = FFI::addr($attr);
        $libc->pthread_rwlockattr_init($at);
        $libc->pthread_rwlockattr_setpshared($at, self::PTHREAD_PROCESS_SHARED);
        $libc->pthread_rwlock_init($addr, $at);
    }

    /** futex(2) on the 32-bit word at $addr; false when it failed (a timeout, another value, a signal). */
    public static function futex(int $addr, int $op, int $value, ?FFI\CData $timeout = null): bool
    {
        self::$sysFutex ??= self::SYS_FUTEX[php_uname('m')] ?? self::SYS_FUTEX['x86_64'];
        $timeout = $timeout === null ? null : FFI::addr($timeout);

        return self::get()->syscall(self::$sysFutex, $addr, $op, $value, $timeout, null, 0) >= 0;
    }

    /** An absolute CLOCK_REALTIME time $seconds from now, as pthread's timed locks take it. */
    public static function deadline(float $seconds): FFI\CData
    {
        $ts = self::get()->new('struct timespec');
        $at = microtime(true) + $seconds;
        $ts->tv_sec = (int) $at;
        $ts->tv_nsec = (int) (($at - (int) $at) * 1e9);

        return $ts;
    }

    /** A relative time, as futex(2) takes it. */
    public static function duration(float $seconds): FFI\CData
    {
        $ts = self::get()->new('struct timespec');
        $ts->tv_sec = (int) $seconds;
        $ts->tv_nsec = (int) (($seconds - (int) $seconds) * 1e9);

        return $ts;
    }

    /** The local time as C's strftime() formats it (Swoole's log date). */
    public static function strftime(string $format): string
    {
        $libc = self::get();
        $now = $libc->new('long');
        $now->cdata = $libc->time(null);
        $tm = $libc->new('struct tm');
        $libc->localtime_r(FFI::addr($now), FFI::addr($tm));
        $buf = $libc->new('char[128]');
        $n = $libc->strftime($buf, 128, $format, FFI::addr($tm));

        return FFI::string($buf, $n);
    }

    public static function errno(): int
    {
        return self::get()->__errno_location()[0];
    }

    /** strerror() as Swoole's messages print it ("Address already in use"). */
    public static function strerror(int $errno): string
    {
        return FFI::string(self::get()->strerror($errno));
    }

    /** getaddrinfo()'s error text (swoole_strerror(SWOOLE_STRERROR_GAI)). */
    public static function gaiStrerror(int $code): string
    {
        return self::get()->gai_strerror($code);
    }

    /** The resolver's h_errno text (swoole_strerror(SWOOLE_STRERROR_DNS)). */
    public static function hstrerror(int $code): string
    {
        return self::get()->hstrerror($code);
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
        $libc = self::get();
        [$family, $addr] = self::sockaddr($host, $port);
        $fd = $libc->socket($family, self::SOCK_STREAM | self::SOCK_NONBLOCK | self::SOCK_CLOEXEC, 0);
        if ($fd < 0) {
            throw new \RuntimeException(self::strerror(self::errno()), self::errno());
        }
        $one = $libc->new('int');
        $one->cdata = 1;
        if (
            $libc->setsockopt($fd, self::SOL_SOCKET, self::SO_REUSEADDR, FFI::addr($one), 4) < 0
            || $libc->bind($fd, $libc->cast('struct sockaddr *', FFI::addr($addr)), FFI::sizeof($addr)) < 0
            || $libc->listen($fd, $backlog) < 0
        ) {
            $errno = self::errno();
            $libc->close($fd);
            throw new \RuntimeException(self::strerror($errno), $errno);
        }
        $len = $libc->new('socklen_t');
        $len->cdata = FFI::sizeof($addr);
        $libc->getsockname($fd, $libc->cast('struct sockaddr *', FFI::addr($addr)), FFI::addr($len));
        $bound = $family === self::AF_INET ? $addr->sin_port : $addr->sin6_port;

        return [$fd, (($bound & 0xff) << 8) | ($bound >> 8)];
    }

    /** @return array{0: int, 1: FFI\CData} the family and the socket address */
    private static function sockaddr(string $host, int $port): array
    {
        $libc = self::get();
        $nport = (($port & 0xff) << 8) | (($port >> 8) & 0xff);
        if (str_contains($host, ':')) {
            $family = self::AF_INET6;
            $addr = $libc->new('struct sockaddr_in6');
            $addr->sin6_family = $family;
            $addr->sin6_port = $nport;
            $dst = FFI::addr($addr->sin6_addr);
        } else {
            $family = self::AF_INET;
            $addr = $libc->new('struct sockaddr_in');
            $addr->sin_family = $family;
            $addr->sin_port = $nport;
            $dst = FFI::addr($addr->sin_addr);
            $host = filter_var($host, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4) !== false ? $host : gethostbyname($host);
        }
        if ($libc->inet_pton($family, $host, $dst) !== 1) {
            throw new \RuntimeException(self::strerror(22), 22);
        }

        return [$family, $addr];
    }

    public static function close(int $fd): void
    {
        self::get()->close($fd);
    }

    /**
     * A Unix socket pair of the given type (1 stream, 2 datagram), both
     * ends close-on-exec.
     *
     * @return array{0: int, 1: int}
     */
    public static function socketPair(int $type): array
    {
        $sv = self::get()->new('int[2]');
        if (self::get()->socketpair(self::AF_UNIX, $type | self::SOCK_CLOEXEC, 0, $sv) < 0) {
            throw new \RuntimeException('socketpair: ' . self::strerror(self::errno()), self::errno());
        }

        return [$sv[0], $sv[1]];
    }

    /** send(); -1 on error (EAGAIN when not blocking and the peer is full). */
    public static function write(int $fd, string $data, bool $blocking): int
    {
        $flags = self::MSG_NOSIGNAL | ($blocking ? 0 : self::MSG_DONTWAIT);

        return self::get()->send($fd, $data, strlen($data), $flags);
    }

    /** recv() of at most $size bytes; false on error or nothing to read without blocking. */
    public static function read(int $fd, int $size, bool $blocking): string|false
    {
        $buf = self::get()->new("char[$size]");
        $n = self::get()->recv($fd, $buf, $size, $blocking ? 0 : self::MSG_DONTWAIT);

        return $n < 0 ? false : FFI::string($buf, $n);
    }

    public static function shutdown(int $fd, int $how): bool
    {
        return self::get()->shutdown($fd, $how) === 0;
    }

    public static function dup2(int $from, int $to): void
    {
        self::get()->dup2($from, $to);
    }

    /** Online CPUs (sysconf(_SC_NPROCESSORS_ONLN)), as swoole_cpu_num() counts them. */
    public static function cpuNum(): int
    {
        return max(1, (int) self::get()->sysconf(self::SC_NPROCESSORS_ONLN));
    }

    /** Waits up to $ms milliseconds for $fd to be readable (-1: for ever); false on timeout or a signal. */
    public static function poll(int $fd, int $ms): bool
    {
        $libc = self::get();
        $p = $libc->new('struct pollfd');
        $p->fd = $fd;
        $p->events = 1; // POLLIN

        return $libc->poll(FFI::addr($p), 1, $ms) > 0;
    }
}
