<?php

namespace Swoole\Shim;

use FFI;
use FFI\CData;

/**
 * The rows of a Swoole\Table, in a shared mapping made by create(), so
 * that processes forked after it see one table. What a script can observe
 * is Swoole's: the slot of a key is PHP's string hash masked by the size (a
 * power of two, at least 64), keys colliding on a slot chain up from the
 * slot's row into a pool of size × conflict_proportion spare rows (a full
 * pool makes set() fail), deleting a chain's first key moves the second
 * into the slot, iteration walks the slots in order and each chain from
 * its root, strings are cut to their column's size rounded up to 8, and
 * keys to 63 bytes.
 *
 * The mapping is 8-byte words: a header (the table's mutex, then its
 * counters), then the rows, slots first, then the pool. A row is the next
 * row of its chain (index + 1, 0 for none), its key's length + 1 (0 for a
 * free row), the key, then its columns, each at a word: an int, a float,
 * or a string's length followed by its bytes. One robust mutex guards
 * the table's writers (Swoole locks a row): an operation holds it for well
 * under a microsecond, and a lock costs two FFI calls, a row's lock as
 * much as the table's, while rows, chains, the pool and the counters then
 * change together. Readers do not take it on x86-64 (see lookup()).
 *
 * @internal
 */
final class TableData
{
    public const TYPE_INT = 1;
    public const TYPE_FLOAT = 2;
    public const TYPE_STRING = 3;

    /** SW_TABLE_KEY_SIZE: keys keep 63 bytes. */
    private const KEY_SIZE = 64;

    /** sizeof(TableRow), FixedPoolSlice and FixedPoolImpl on 64-bit Linux. */
    private const ROW_HEADER = 88;
    private const SLICE_HEADER = 24;
    private const POOL_HEADER = 48;

    /** Header words: the mutex, then the counters. */
    private const ROW_NUM = 8;
    private const POOL_USED = 9;
    private const FREE_ROW = 10;
    private const FRESH_ROWS = 11;
    private const CONFLICT_COUNT = 12;
    private const CONFLICT_MAX_LEVEL = 13;
    private const INSERT_COUNT = 14;
    private const UPDATE_COUNT = 15;
    private const DELETE_COUNT = 16;
    /** Odd while a writer changes rows (see lookup()). */
    private const SEQUENCE = 17;
    private const HEADER_WORDS = 18;

    /** Swoole's stats() counters, at their words. */
    private const STATS = ['conflict_count' => self::CONFLICT_COUNT, 'conflict_max_level' => self::CONFLICT_MAX_LEVEL,
        'insert_count' => self::INSERT_COUNT, 'update_count' => self::UPDATE_COUNT,
        'delete_count' => self::DELETE_COUNT];

    /** Row words before the columns: next, key length + 1, the key. */
    private const ROW_WORDS = 2 + self::KEY_SIZE / 8;

    /** Slot cache entries kept (the hash is a PHP loop over the key). */
    private const SLOT_CACHE = 4096;

    public int $size;

    public bool $created = false;

    public int $memorySize = 0;

    /** @var array<string, array{int, int, int}> column => type, its first word in a row, string capacity */
    public array $columns = [];

    private float $conflictProportion;
    private int $poolSize = 0;
    private int $rowCount = 0;
    private int $itemSize = 0;
    private int $rowWords = self::ROW_WORDS;

    /** The mapping: its address and length, and views of it. */
    private int $addr = 0;
    private int $bytes = 0;
    private CData $mem;
    private CData $words;
    private CData $floats;
    private \FFI $libc;

    /** Readers skip the lock: x86-64 keeps loads in order, and stores (see lookup()). */
    private bool $lockFree = false;

    /** @var array<string, int> key => slot, a process-local cache */
    private array $slotOf = [];

    private int $walkAt = 0;
    private int $collision = 0;

    /** @var array{string, array<string, int|float|string>}|null the iteration's current row */
    public ?array $current = null;

    public function __construct(int $size, float $conflictProportion)
    {
        $size &= 0xFFFFFFFF; // a C uint32_t
        $rows = 64;
        while ($rows < $size && $rows < 0x80000000) {
            $rows <<= 1;
        }
        $this->size = $rows;
        // Swoole keeps the proportion in a C float.
        $this->conflictProportion = self::float32(min(max($conflictProportion, 0.2), 1.0));
    }

    public function __destruct()
    {
        if ($this->addr !== 0) {
            Libc::unmap($this->addr, $this->bytes);
        }
    }

    public function addColumn(string $name, int $type, int $size): bool
    {
        $bytes = match ($type) {
            self::TYPE_INT, self::TYPE_FLOAT => 8,
            self::TYPE_STRING => (($size + 7) & ~7) + 4,
            default => 0,
        };
        if ($bytes === 0) {
            Native::warning('Table::add_column(): unknown column type');

            return false;
        }
        $cap = $type === self::TYPE_STRING ? $bytes - 4 : 0;
        $this->columns[$name] = [$type, $this->rowWords, $cap];
        $this->rowWords += 1 + $cap / 8;
        $this->itemSize += $bytes;

        return true;
    }

    /** Maps the rows; false when the system refuses the memory. */
    public function create(): bool
    {
        // size_t(size * (1 + conflict_proportion)), computed in float.
        $rowNum = (int) self::float32($this->size * self::float32(1 + $this->conflictProportion));
        $this->poolSize = $rowNum - $this->size;
        $this->rowCount = $rowNum;
        $this->lockFree = php_uname('m') === 'x86_64';
        $bytes = 8 * (self::HEADER_WORDS + $rowNum * $this->rowWords);
        $addr = Libc::map($bytes);
        if ($addr === null) {
            return false;
        }
        $this->addr = $addr;
        $this->bytes = $bytes;
        $this->libc = Libc::get();
        $this->mem = FFI::cast('char *', $addr);
        $this->words = FFI::cast('int64_t *', $addr);
        $this->floats = FFI::cast('double *', $addr);
        Libc::initMutex($addr, true);
        $this->memorySize = self::POOL_HEADER
            + $this->poolSize * (self::SLICE_HEADER + self::ROW_HEADER + $this->itemSize);
        $this->created = true;

        return true;
    }

    public function count(): int
    {
        return $this->counter(self::ROW_NUM);
    }

    /** The spare rows left for colliding keys, and all of them. */
    public function slices(): array
    {
        return [$this->poolSize - $this->counter(self::POOL_USED), $this->poolSize];
    }

    /** @return array<string, int> Swoole's stats() counters */
    public function stats(): array
    {
        return array_map($this->counter(...), self::STATS);
    }

    /** @return array<string, int|float|string>|null */
    public function get(string $key): ?array
    {
        return $this->lookup($key, true);
    }

    public function exists(string $key): bool
    {
        return $this->lookup($key, false) !== null;
    }

    /**
     * $key's row: its values if $read, else true; null if there is none.
     * Where loads and stores keep their order (x86-64), without the lock,
     * as a seqlock: writers make the sequence word odd while they change
     * rows, and a read that saw it odd or changed is done again under the
     * lock. A read racing a writer may see a torn row, so find() and read()
     * stay within the mapping whatever they read. Readers then never wait,
     * however many processes read.
     *
     * @return array<string, int|float|string>|true|null
     */
    private function lookup(string $key, bool $read): array|bool|null
    {
        $slot = $this->slot($key);
        $w = $this->words;
        if ($this->lockFree && (($sequence = $w[self::SEQUENCE]) & 1) === 0) {
            $row = $this->find($key, $slot);
            $found = $row < 0 ? null : ($read ? $this->read($row) : true);
            if ($w[self::SEQUENCE] === $sequence) {
                return $found;
            }
        }
        $this->lock();
        $row = $this->find($key, $slot);
        $found = $row < 0 ? null : ($read ? $this->read($row) : true);
        $this->unlock();

        return $found;
    }

    /**
     * Sets the given columns of $key's row, made first if missing (its
     * other columns then zero); false when it needs a spare row and none
     * is left. Values are converted before the lock is taken, since a
     * __toString() may run the script's code.
     *
     * @param array<mixed> $value
     */
    public function set(string $key, array $value): bool
    {
        $given = $this->convert($value);
        $slot = $this->slot($key);
        $this->lock();
        $row = $this->row($key, $slot, $new);
        if ($row >= 0) {
            $at = self::HEADER_WORDS + $row * $this->rowWords;
            if ($new) {
                foreach ($given as $column => $v) {
                    if (isset($value[$column])) {
                        $this->store($at, $key, $column, $v);
                    }
                }
            } else {
                foreach ($value as $column => $_) {
                    if (is_string($column) && isset($given[$column])) {
                        $this->store($at, $key, $column, $given[$column]);
                    }
                }
            }
        }
        $this->unlock();

        return $row >= 0;
    }

    /**
     * incr() and decr(): adds $by to a number column of $key's row, made
     * first if missing, as Swoole does, even when the column then turns
     * out not to do. The new value, or null with $error set to 'memory',
     * 'column' (none such) or 'string' (not a number).
     */
    public function add(string $key, string $column, int|float $by, ?string &$error): int|float|null
    {
        $slot = $this->slot($key);
        [$type, $word] = $this->columns[$column] ?? [0, 0];
        $this->lock();
        $row = $this->row($key, $slot, $new);
        $error = match (true) {
            $row < 0 => 'memory',
            $type === 0 => 'column',
            $type === self::TYPE_STRING => 'string',
            default => null,
        };
        $result = null;
        if ($error === null) {
            $at = self::HEADER_WORDS + $row * $this->rowWords + $word;
            if ($type === self::TYPE_FLOAT) {
                $result = $this->floats[$at] = $this->floats[$at] + (float) $by;
            } else {
                $result = $this->words[$at] = Int64::add($this->words[$at], (int) $by);
            }
        }
        $this->unlock();

        return $result;
    }

    public function del(string $key): bool
    {
        $slot = $this->slot($key);
        $w = $this->words;
        $this->lock();
        $row = $this->find($key, $slot, $prev);
        if ($row >= 0) {
            $at = $this->at($row);
            $next = $w[$at] - 1;
            if ($prev >= 0) {
                $w[$this->at($prev)] = $next + 1;
                $this->free($row);
            } elseif ($next >= 0) {
                // The slot's row goes: the second of the chain moves in.
                $from = $this->at($next);
                FFI::memcpy($this->mem + 8 * ($at + 1), $this->mem + 8 * ($from + 1), 8 * ($this->rowWords - 1));
                $w[$at] = $w[$from];
                $this->free($next);
            } else {
                $w[$at + 1] = 0;
            }
            $w[self::ROW_NUM] = $w[self::ROW_NUM] - 1;
            $w[self::DELETE_COUNT] = $w[self::DELETE_COUNT] + 1;
        }
        $this->unlock();

        return $row >= 0;
    }

    public function rewind(): void
    {
        $this->walkAt = 0;
        $this->collision = 0;
        $this->forward();
    }

    /**
     * Swoole's Table::forward(): the next row, a chain at a time. Empty
     * slots are skipped without the lock (a word read is atomic), so a walk
     * over a big sparse table does not hold up the other processes.
     */
    public function forward(): void
    {
        $w = $this->words;
        for (; $this->walkAt < $this->size; $this->walkAt++) {
            if ($w[$this->at($this->walkAt) + 1] === 0) {
                continue;
            }
            $this->lock();
            $row = $this->walkAt;
            if ($w[$this->at($row) + 1] !== 0 && $w[$this->at($row)] === 0) {
                $this->walkAt++;
            } else {
                for ($i = 0; $row >= 0 && $i < $this->collision; $i++) {
                    $row = $w[$this->at($row)] - 1;
                }
                if ($row >= 0 && $w[$this->at($row) + 1] !== 0) {
                    $this->collision++;
                } else {
                    $this->collision = 0;
                    $row = -1;
                }
            }
            if ($row >= 0) {
                $this->current = [$this->key($row), $this->read($row)];
            }
            $this->unlock();
            if ($row >= 0) {
                return;
            }
        }
        $this->current = null;
    }

    /** Takes the table's mutex, and makes the sequence odd (it stays so after a writer died). */
    private function lock(): void
    {
        $errno = $this->libc->pthread_mutex_lock($this->addr);
        if ($errno !== 0) {
            SharedMemory::recover($this->libc, $this->addr, $errno);
        }
        $this->words[self::SEQUENCE] = $this->words[self::SEQUENCE] | 1;
    }

    private function unlock(): void
    {
        $this->words[self::SEQUENCE] = $this->words[self::SEQUENCE] + 1;
        $this->libc->pthread_mutex_unlock($this->addr);
    }

    /**
     * The slot of $key, cut to the 63 bytes a row keeps (Swoole hashes the
     * cut key); cached, as the hash is a PHP loop over the key's bytes.
     */
    private function slot(string &$key): int
    {
        if (strlen($key) >= self::KEY_SIZE) {
            $key = substr($key, 0, self::KEY_SIZE - 1);
        }
        if (isset($this->slotOf[$key])) {
            return $this->slotOf[$key];
        }
        if (count($this->slotOf) >= self::SLOT_CACHE) {
            $this->slotOf = [];
        }

        return $this->slotOf[$key] = self::hash($key) & ($this->size - 1);
    }

    /** A header counter; 0 before create(). */
    private function counter(int $word): int
    {
        return $this->created ? $this->words[$word] : 0;
    }

    /** The first word of $row. */
    private function at(int $row): int
    {
        return self::HEADER_WORDS + $row * $this->rowWords;
    }

    /** $key's row in the chain of $slot, or -1; $prev is the row before it in the chain (-1 for none). */
    private function find(string $key, int $slot, ?int &$prev = null): int
    {
        $w = $this->words;
        $len = strlen($key);
        $row = $slot;
        $prev = -1;
        // A chain is at most the slot's row and the pool (a torn read may see a loop).
        for ($hops = 0; $hops <= $this->poolSize; $hops++) {
            $at = self::HEADER_WORDS + $row * $this->rowWords;
            if ($w[$at + 1] === $len + 1 && FFI::string($this->mem + 8 * ($at + 2), $len) === $key) {
                return $row;
            }
            $prev = $row;
            $row = $w[$at] - 1;
            if ($row < 0 || $row >= $this->rowCount) {
                break;
            }
        }

        return -1;
    }

    /**
     * Finds or makes the row of $key (with the lock held); -1 when a new
     * row needs a spare row and none is left. $new tells which.
     */
    private function row(string $key, int $slot, ?bool &$new): int
    {
        $w = $this->words;
        $new = $w[self::HEADER_WORDS + $slot * $this->rowWords + 1] === 0;
        $row = $new ? $slot : $this->find($key, $slot);
        if ($row < 0) {
            $new = true;
            // A new key on a taken slot: a spare row at the end of the chain.
            $last = $slot;
            $level = 1;
            while (($next = $w[self::HEADER_WORDS + $last * $this->rowWords] - 1) >= 0) {
                $last = $next;
                $level++;
            }
            $row = $this->alloc();
            if ($row < 0) {
                return -1;
            }
            $w[self::HEADER_WORDS + $last * $this->rowWords] = $row + 1;
            $w[self::CONFLICT_COUNT] = $w[self::CONFLICT_COUNT] + 1;
            $w[self::CONFLICT_MAX_LEVEL] = max($w[self::CONFLICT_MAX_LEVEL], $level);
        }
        if ($new) {
            $at = self::HEADER_WORDS + $row * $this->rowWords;
            FFI::memset($this->mem + 8 * $at, 0, 8 * $this->rowWords);
            $w[$at + 1] = strlen($key) + 1;
            FFI::memcpy($this->mem + 8 * ($at + 2), $key, strlen($key));
            $w[self::ROW_NUM] = $w[self::ROW_NUM] + 1;
            $w[self::INSERT_COUNT] = $w[self::INSERT_COUNT] + 1;
        } else {
            $w[self::UPDATE_COUNT] = $w[self::UPDATE_COUNT] + 1;
        }

        return $row;
    }

    /** A spare row from the pool, or -1 when none is left. */
    private function alloc(): int
    {
        $w = $this->words;
        if ($w[self::POOL_USED] >= $this->poolSize) {
            return -1;
        }
        $w[self::POOL_USED] = $w[self::POOL_USED] + 1;
        $row = $w[self::FREE_ROW] - 1;
        if ($row >= 0) {
            $w[self::FREE_ROW] = $w[$this->at($row)];

            return $row;
        }
        $w[self::FRESH_ROWS] = $w[self::FRESH_ROWS] + 1;

        return $this->size + $w[self::FRESH_ROWS] - 1;
    }

    /** Gives a pool row back. */
    private function free(int $row): void
    {
        $w = $this->words;
        $w[$this->at($row) + 1] = 0;
        $w[$this->at($row)] = $w[self::FREE_ROW];
        $w[self::FREE_ROW] = $row + 1;
        $w[self::POOL_USED] = $w[self::POOL_USED] - 1;
    }

    private function key(int $row): string
    {
        $at = $this->at($row);
        $len = $this->words[$at + 1] - 1;

        return $len > 0 ? FFI::string($this->mem + 8 * ($at + 2), $len) : '';
    }

    /** @return array<string, int|float|string> */
    private function read(int $row): array
    {
        $at = self::HEADER_WORDS + $row * $this->rowWords;
        $w = $this->words;
        $values = [];
        foreach ($this->columns as $name => [$type, $word, $cap]) {
            if ($type === self::TYPE_INT) {
                $values[$name] = $w[$at + $word];
            } elseif ($type === self::TYPE_FLOAT) {
                $values[$name] = $this->floats[$at + $word];
            } else {
                $len = $w[$at + $word];
                $values[$name] = $len > 0 ? FFI::string($this->mem + 8 * ($at + $word + 1), min($len, $cap)) : '';
            }
        }

        return $values;
    }

    /**
     * The values of $value that have a column, converted as Swoole
     * converts them: (int), (float), (string).
     *
     * @param array<mixed> $value
     * @return array<string, int|float|string>
     */
    private function convert(array $value): array
    {
        $given = [];
        foreach ($this->columns as $column => [$type]) {
            if (isset($value[$column]) || array_key_exists($column, $value)) {
                $v = $value[$column];
                if ($type === self::TYPE_INT) {
                    $given[$column] = (int) $v;
                } elseif ($type === self::TYPE_FLOAT) {
                    $given[$column] = (float) $v;
                } else {
                    $given[$column] = (string) $v;
                }
            }
        }

        return $given;
    }

    /** Stores one converted value in the row at word $row; a string too long is cut with Swoole's log line. */
    private function store(int $row, string $key, string $column, int|float|string $value): void
    {
        [$type, $word, $cap] = $this->columns[$column];
        $at = $row + $word;
        if ($type === self::TYPE_INT) {
            $this->words[$at] = $value;
        } elseif ($type === self::TYPE_FLOAT) {
            $this->floats[$at] = $value;
        } else {
            if (strlen($value) > $cap) {
                Native::warning("TableRow::set_value(): [key=$key,field=$column]string value is too long");
                $value = substr($value, 0, $cap);
            }
            $this->words[$at] = strlen($value);
            if ($value !== '') {
                FFI::memcpy($this->mem + 8 * ($at + 1), $value, strlen($value));
            }
        }
    }

    /** The low 32 bits of PHP's string hash (DJBX33A), all a slot needs. */
    private static function hash(string $key): int
    {
        $h = 5381;
        for ($i = 0, $n = strlen($key); $i < $n; $i++) {
            $h = ($h * 33 + ord($key[$i])) & 0xFFFFFFFF;
        }

        return $h;
    }

    private static function float32(float $value): float
    {
        return unpack('g', pack('g', $value))[1];
    }
}
