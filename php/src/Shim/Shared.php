<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;

/**
 * The server's state shared by its processes (Swoole's `gs`), in memory
 * mapped before the fork.
 *
 * The first SWOOLE_SHIM_SHARED_SIZE bytes are the core's (the last
 * session id, each worker's connection count, changed with atomic
 * instructions by each worker's library; see server_worker() in
 * swoole_shim.h); then come flags that one process sets and the others
 * read.
 *
 * @internal
 */
final class Shared
{
    /** The core's part (SWOOLE_SHIM_SHARED_SIZE bytes), then these int64 slots, then a pid per worker. */
    private const FLAGS = 3;
    private const SHUTDOWN = 0;
    private const STARTED = 1;
    private const MASTER_PID = 2;
    private const MAX_WORKERS = 1024;

    /** int64_t[] over the mapping */
    private CData $slots;

    /** The index of the first flag slot: after the core's part. */
    private int $flags;

    /** int32_t[] of the workers' statuses, 16 apart (a cache line each) */
    private CData $status;

    public function __construct()
    {
        $d = Native::defines();
        $this->flags = intdiv($d['SWOOLE_SHIM_SHARED_SIZE'], 8);
        $addr = Libc::map($d['SWOOLE_SHIM_SHARED_SIZE'] + 8 * (self::FLAGS + self::MAX_WORKERS))
            ?? throw new \Swoole\Exception('global memory allocation failure', 501);
        $this->slots = Libc::get()->cast('int64_t *', $addr);
        $this->status = Libc::get()->cast('int32_t *', $addr + $d['SWOOLE_SHIM_SHARED_STATUS']);
    }

    /** Forgets the connections of worker $id, which died without closing them. */
    public function workerGone(int $id): void
    {
        $this->slots[intdiv(Native::defines()['SWOOLE_SHIM_SHARED_CONNS'], 8) + $id] = 0;
    }

    /** The mapping, for server_share(). */
    public function memory(): CData
    {
        return $this->slots;
    }

    /** The manager is stopping every worker for good (not for a reload). */
    public function shutdown(): void
    {
        $this->slots[$this->flags + self::SHUTDOWN] = 1;
    }

    public function shuttingDown(): bool
    {
        return $this->slots[$this->flags + self::SHUTDOWN] !== 0;
    }

    /**
     * True the first time only: onStart runs once, in the first worker 0,
     * not again when worker 0 is replaced.
     */
    public function claimStart(): bool
    {
        if ($this->slots[$this->flags + self::STARTED] !== 0) {
            return false;
        }
        $this->slots[$this->flags + self::STARTED] = 1;

        return true;
    }

    /**
     * $server->master_pid as the workers see it: the manager's, until the
     * first worker 0 runs onStart (Swoole's BASE mode sets the shared
     * master pid there).
     */
    public function setMasterPid(int $pid): void
    {
        $this->slots[$this->flags + self::MASTER_PID] = $pid;
    }

    public function masterPid(): int
    {
        return $this->slots[$this->flags + self::MASTER_PID];
    }

    /** Worker $id is process $pid (0: none); getWorkerPid() of any worker reads it. */
    public function setWorkerPid(int $id, int $pid): void
    {
        $this->slots[$this->flags + self::FLAGS + $id] = $pid;
    }

    public function workerPid(int $id): int
    {
        return $this->slots[$this->flags + self::FLAGS + $id];
    }

    /** SWOOLE_WORKER_BUSY/IDLE/EXIT of worker $id (0 before it starts). */
    public function status(int $id): int
    {
        return $this->status[16 * $id];
    }

    public function setStatus(int $id, int $status): void
    {
        $this->status[16 * $id] = $status;
    }
}
