<?php

namespace Swoole\Shim;

/**
 * The rows of a Swoole\Table, laid out as Swoole lays them out in shared
 * memory, so that what a script can observe is the same: the slot of a
 * key is PHP's string hash masked by the size (a power of two, at least
 * 64), keys colliding on a slot chain up in a pool of
 * size × conflict_proportion spare rows (a full pool makes set() fail),
 * iteration walks the slots in order and each chain from its root, and
 * strings are cut to their column's size rounded up to 8. With one
 * worker process there is nothing to share, so rows are PHP arrays.
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

    public int $size;

    public bool $created = false;

    public int $memorySize = 0;

    /** @var array<string, array{int, int}> column => type, bytes in a row */
    public array $columns = [];

    /** @var array<int, list<string>> slot => keys, the chain's root first */
    private array $slots = [];

    /** @var array<string, array<string, int|float|string>> key => row */
    private array $rows = [];

    private float $conflictProportion;
    private int $poolSize = 0;
    private int $poolUsed = 0;
    private int $itemSize = 0;

    /** @var array<string, int> Swoole's stats() counters */
    public array $stats = ['conflict_count' => 0, 'conflict_max_level' => 0, 'insert_count' => 0,
        'update_count' => 0, 'delete_count' => 0];

    /** @var list<int> occupied slots, in order, when the iteration began */
    private array $walk = [];
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
        $this->columns[$name] = [$type, $bytes];
        $this->itemSize += $bytes;

        return true;
    }

    public function create(): void
    {
        // size_t(size * (1 + conflict_proportion)), computed in float.
        $rowNum = (int) self::float32($this->size * self::float32(1 + $this->conflictProportion));
        $this->poolSize = $rowNum - $this->size;
        $this->memorySize = self::POOL_HEADER
            + $this->poolSize * (self::SLICE_HEADER + self::ROW_HEADER + $this->itemSize);
        $this->created = true;
    }

    public function count(): int
    {
        return count($this->rows);
    }

    /** The spare rows left for colliding keys, and all of them. */
    public function slices(): array
    {
        return [$this->poolSize - $this->poolUsed, $this->poolSize];
    }

    /** @return array<string, int|float|string>|null */
    public function get(string $key): ?array
    {
        return $this->rows[substr($key, 0, self::KEY_SIZE - 1)] ?? null;
    }

    /**
     * Finds or makes the row of $key; null when a new row needs a spare
     * row and none is left. $new tells which.
     *
     * @return array<string, int|float|string>|null
     */
    public function &row(string $key, ?bool &$new): ?array
    {
        $stored = substr($key, 0, self::KEY_SIZE - 1);
        $new = !isset($this->rows[$stored]);
        $null = null;
        if ($new) {
            $slot = self::hash($key) & ($this->size - 1);
            $chain = $this->slots[$slot] ?? [];
            if ($chain !== []) {
                if ($this->poolUsed >= $this->poolSize) {
                    return $null;
                }
                $this->poolUsed++;
                $this->stats['conflict_count']++;
                $this->stats['conflict_max_level'] = max($this->stats['conflict_max_level'], count($chain));
            }
            $this->slots[$slot][] = $stored;
            $this->rows[$stored] = $this->blank();
            $this->stats['insert_count']++;
        } else {
            $this->stats['update_count']++;
        }

        return $this->rows[$stored];
    }

    public function del(string $key): bool
    {
        $stored = substr($key, 0, self::KEY_SIZE - 1);
        if (!isset($this->rows[$stored])) {
            return false;
        }
        $slot = self::hash($key) & ($this->size - 1);
        $chain = $this->slots[$slot];
        if (count($chain) > 1) {
            $this->poolUsed--;
        }
        array_splice($chain, (int) array_search($stored, $chain, true), 1);
        if ($chain === []) {
            unset($this->slots[$slot]);
        } else {
            $this->slots[$slot] = $chain;
        }
        unset($this->rows[$stored]);
        $this->stats['delete_count']++;

        return true;
    }

    /**
     * Stores one value as Swoole converts it: (int), (float), or a string
     * cut to the column with a log line.
     *
     * @param array<string, int|float|string> $row
     */
    public function store(array &$row, string $key, string $column, mixed $value): void
    {
        [$type, $bytes] = $this->columns[$column];
        if ($type === self::TYPE_INT) {
            $row[$column] = (int) $value;
        } elseif ($type === self::TYPE_FLOAT) {
            $row[$column] = (float) $value;
        } else {
            $value = (string) $value;
            if (strlen($value) > $bytes - 4) {
                $stored = substr($key, 0, self::KEY_SIZE - 1);
                Native::warning("TableRow::set_value(): [key=$stored,field=$column]string value is too long");
                $value = substr($value, 0, $bytes - 4);
            }
            $row[$column] = $value;
        }
    }

    /** @return array<string, int|float|string> a row of zeros and empty strings */
    public function blank(): array
    {
        $row = [];
        foreach ($this->columns as $name => [$type]) {
            $row[$name] = match ($type) {
                self::TYPE_INT => 0,
                self::TYPE_FLOAT => 0.0,
                default => '',
            };
        }

        return $row;
    }

    public function rewind(): void
    {
        $this->walk = array_keys($this->slots);
        sort($this->walk);
        $this->walkAt = 0;
        $this->collision = 0;
        $this->forward();
    }

    /** Swoole's Table::forward(): the next row, a chain at a time. */
    public function forward(): void
    {
        for (; $this->walkAt < count($this->walk); $this->walkAt++) {
            $chain = $this->slots[$this->walk[$this->walkAt]] ?? [];
            if ($chain === []) {
                continue;
            }
            if (count($chain) === 1) {
                $this->walkAt++;
                $this->current = [$chain[0], $this->rows[$chain[0]]];

                return;
            }
            if ($this->collision < count($chain)) {
                $key = $chain[$this->collision++];
                $this->current = [$key, $this->rows[$key]];

                return;
            }
            $this->collision = 0;
        }
        $this->current = null;
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
