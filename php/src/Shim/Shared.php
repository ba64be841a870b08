<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;

/**
 * The server's state shared by its processes (Swoole's `gs`), in memory
 * mapped before the fork.
 *
 * The first slots belong to the core (struct swoole_shared in
 * swoole_shim.h: the last session id and the connection count, changed
 * with atomic instructions by each worker's library); the rest are flags
 * that one process sets and the others read.
 *
 * @internal
 */
final class Shared
{
    private const SIZE = 4096;
    private const SHUTDOWN = 8;
    private const STARTED = 9;
    private const MASTER_PID = 10;

    /** int64_t[] over the mapping */
    private CData $slots;

    public function __construct()
    {
        $this->slots = Libc::ffi()->cast('int64_t *', Libc::sharedMemory(self::SIZE));
    }

    /** The mapping, for server_share(). */
    public function memory(): CData
    {
        return $this->slots;
    }

    /** The manager is stopping every worker for good (not for a reload). */
    public function shutdown(): void
    {
        $this->slots[self::SHUTDOWN] = 1;
    }

    public function shuttingDown(): bool
    {
        return $this->slots[self::SHUTDOWN] !== 0;
    }

    /**
     * True the first time only: onStart runs once, in the first worker 0,
     * not again when worker 0 is replaced.
     */
    public function claimStart(): bool
    {
        if ($this->slots[self::STARTED] !== 0) {
            return false;
        }
        $this->slots[self::STARTED] = 1;

        return true;
    }

    /**
     * $server->master_pid as the workers see it: the manager's, until the
     * first worker 0 runs onStart (Swoole's BASE mode sets the shared
     * master pid there).
     */
    public function setMasterPid(int $pid): void
    {
        $this->slots[self::MASTER_PID] = $pid;
    }

    public function masterPid(): int
    {
        return $this->slots[self::MASTER_PID];
    }
}
