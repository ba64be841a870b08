<?php
// Swoole\Table, Atomic, Atomic\Long and Lock made before pcntl_fork() are
// shared with the children (TestPHPSharedMemory). Times are recorded by
// the processes themselves, in the table.
use Swoole\Table;

$table = new Table(64);
$table->column('n', Table::TYPE_INT);
$table->column('t', Table::TYPE_FLOAT);
$table->column('end', Table::TYPE_FLOAT);
$table->column('s', Table::TYPE_STRING, 64);
echo 'before create(): ', json_encode([count($table), array_sum($table->stats())]), "\n"; // no mapping to read yet
$table->create();
$atomic = new Swoole\Atomic();
$long = new Swoole\Atomic\Long();
$woken = new Swoole\Atomic();
$step = new Swoole\Atomic();
$mutex = new Swoole\Lock();
$rw = new Swoole\Lock(SWOOLE_RWLOCK);
$spin = new Swoole\Lock(SWOOLE_SPINLOCK);
$table->set('too long', ['s' => str_repeat('x', 80)]); // Swoole's log line, written without the library
$maps = file_get_contents('/proc/self/maps');
echo 'library loaded before the fork: ', json_encode(str_contains($maps, 'libswoole_shim')), "\n";

$pids = $exits = [];
function child(callable $work): int
{
    global $pids;
    $pid = pcntl_fork();
    if ($pid === 0) {
        $work();
        exit(0);
    }

    return $pids[] = $pid;
}

function reap(int $pid): void
{
    global $exits;
    pcntl_waitpid($pid, $status);
    $exits[] = pcntl_wexitstatus($status);
}

/** Polls $atomic until it reaches $n (10 s at most). */
function await(Swoole\Atomic $atomic, int $n): void
{
    for ($i = 0; $atomic->get() < $n && $i < 10000; $i++) {
        usleep(1000);
    }
}

// Four processes count at the same time: one incr(), two adds a round.
const ROUNDS = 20000;
for ($w = 0; $w < 4; $w++) {
    child(function () use ($w, $table, $atomic, $long, $step) {
        $step->add();
        await($step, 4);
        $start = microtime(true);
        for ($i = 0; $i < ROUNDS; $i++) {
            $table->incr('counter', 'n');
            $atomic->add();
            $long->add(3);
        }
        $table->set("w$w", ['t' => $start, 'end' => microtime(true)]);
    });
}
array_map('reap', $pids);
echo 'counts: ', json_encode([$table->get('counter', 'n'), $atomic->get(), $long->get()]), "\n";
$starts = $ends = [];
foreach ([0, 1, 2, 3] as $w) {
    $starts[] = $table->get("w$w", 't');
    $ends[] = $table->get("w$w", 'end');
}
$overlap = false;
foreach ($starts as $i => $start) {
    foreach ($ends as $j => $end) {
        $overlap = $overlap || ($i !== $j && $start < $end && $starts[$j] < $ends[$i]);
    }
}
echo 'two of them were counting at the same time: ', json_encode($overlap), "\n";

// A child rewrites a row while the parent reads it: no read sees half of
// a write (the int and the string always agree).
$step->set(0);
$pid = child(function () use ($table, $step) {
    $step->add();
    for ($i = 1; $i <= ROUNDS; $i++) {
        $table->set('pair', ['n' => $i, 's' => "$i"]);
    }
    $step->add();
});
await($step, 1);
$seen = [];
$torn = 0;
while ($step->get() < 2) {
    $row = $table->get('pair');
    if ($row !== false) {
        $seen[$row['n']] = true;
        $torn += (int) ("{$row['n']}" !== $row['s']);
    }
}
reap($pid);
echo 'reads during the writes: ', json_encode(count($seen) > 1), ', torn: ', $torn, "\n";

// A row set in a child is read by the parent at once; the parent's
// wait() returns on the child's wakeup().
$step->set(0);
$pid = child(function () use ($table, $woken, $step) {
    usleep(100000);
    $table->set('child', ['s' => 'set by the child', 'n' => getmypid(), 't' => microtime(true)]);
    $woken->wakeup();
    await($step, 1); // alive until the parent has read the row
});
$waited = $woken->wait(10);
$returned = microtime(true);
$row = $table->get('child');
echo 'woken: ', json_encode($waited), ', row: ', $row['s'], ', by the child: ', json_encode($row['n'] === $pid), "\n";
echo 'wait() returned after the wakeup(): ', json_encode($returned >= $row['t']), "\n";
echo 'child still running: ', json_encode(pcntl_waitpid($pid, $status, WNOHANG) === 0), "\n";
$step->set(1);
reap($pid);

// Locks held by the parent: the child's non-blocking and timed attempts
// fail, its blocking lock() waits until the parent's unlock().
$mutex->lock();
$rw->lock(LOCK_EX);
$spin->lock();
$step->set(0);
$pid = child(function () use ($table, $mutex, $rw, $spin, $step) {
    $tries = [$mutex->lock(LOCK_EX | LOCK_NB), $mutex->errCode, $rw->lock(LOCK_SH | LOCK_NB), $rw->errCode,
        $spin->lock(LOCK_NB), $spin->errCode, $mutex->lock(LOCK_EX, 0.05), $mutex->errCode];
    $table->set('tries', ['s' => json_encode($tries), 't' => microtime(true)]);
    $step->add();
    $mutex->lock();
    $table->set('got', ['t' => microtime(true)]);
    $mutex->unlock();
});
await($step, 1);
usleep(100000); // the child is now blocked in lock()
$unlocked = microtime(true);
$mutex->unlock();
$rw->unlock();
$spin->unlock();
reap($pid);
echo 'child, while the parent holds the locks: ', $table->get('tries', 's'), "\n";
$tried = $table->get('tries', 't');
$got = $table->get('got', 't');
echo "child's lock() began before the parent's unlock() and returned after it: ",
    json_encode($tried < $unlocked && $got >= $unlocked), "\n";

// A process killed while it holds the table's mutex (as in the middle of
// a set()) does not lock the others out: the mutex is robust.
$pid = child(function () use ($table) {
    (fn () => $this->lock())->call(Swoole\Shim\Store::$tables[$table]);
    posix_kill(getmypid(), SIGKILL);
});
pcntl_waitpid($pid, $status);
echo 'killed holding the table: ', json_encode(pcntl_wifsignaled($status)),
    ', then set(): ', json_encode($table->set('after', ['n' => 1])), ', get(): ', $table->get('after', 'n'), "\n";

echo 'exit statuses: ', json_encode($exits), ', any left: ', json_encode(pcntl_wait($status, WNOHANG) !== -1), "\n";
fwrite(STDERR, 'pids ' . implode(' ', $pids) . "\n");
