<?php

namespace Swoole;

use Swoole\Shim\ErrorReporter;
use Swoole\Shim\Store;
use Swoole\Shim\TableData;

/**
 * Swoole\Table: rows of typed columns by string key, in memory shared with
 * the processes forked after create() (see Shim\TableData for what is kept
 * exact). It never loads the Go library, so a table can be made before the
 * server forks its workers.
 */
class Table implements \Iterator, \Countable
{
    public const TYPE_INT = 1;
    public const TYPE_FLOAT = 2;
    public const TYPE_STRING = 3;

    public $size = null;
    public $memorySize = null;

    public function __construct(int $table_size, float $conflict_proportion = 0.2)
    {
        if (isset(Store::$tables[$this])) {
            throw ErrorReporter::relocate(new \Error('Constructor of Swoole\\Table can only be called once'));
        }
        Store::$tables[$this] = new TableData($table_size, $conflict_proportion);
    }

    public function column(string $name, int $type, int $size = 0): bool
    {
        $t = $this->data('column', false);
        if ($type === self::TYPE_STRING && $size < 1) {
            ErrorReporter::raise(
                E_WARNING,
                'Swoole\\Table::column(): the length of string type values has to be more than zero'
            );

            return false;
        }
        if ($t->created) {
            $message = 'Swoole\\Table::column(): unable to add column after table has been created';
            ErrorReporter::raise(E_WARNING, $message);

            return false;
        }

        return $t->addColumn($name, $type, $size);
    }

    public function create(): bool
    {
        $t = $this->data('create', false);
        if ($t->created || !$t->create()) {
            ErrorReporter::fatal('Swoole\\Table::create(): unable to allocate memory');
        }
        $this->size = $t->size;
        $this->memorySize = $t->memorySize;

        return true;
    }

    public function destroy(): bool
    {
        $this->data('destroy');
        Store::$tables[$this] = null;

        return true;
    }

    public function set(string $key, array $value): bool
    {
        $t = $this->data('set');
        if (strlen($key) >= 64) {
            ErrorReporter::raise(E_WARNING, "Swoole\\Table::set(): key[$key] is too long");
        }
        if (!$t->set($key, $value)) {
            ErrorReporter::raise(E_WARNING, "Swoole\\Table::set(): failed to set('$key'), unable to allocate memory");

            return false;
        }

        return true;
    }

    public function get(string $key, ?string $field = null): array|false|string|float|int
    {
        $row = $this->data('get')->get($key);
        if ($row === null) {
            return false;
        }

        return $field === null ? $row : ($row[$field] ?? false);
    }

    public function exists(string $key): bool
    {
        return $this->data('exists')->exists($key);
    }

    public function exist(string $key): bool
    {
        return $this->exists($key);
    }

    public function del(string $key): bool
    {
        return $this->data('del')->del($key);
    }

    public function delete(string $key): bool
    {
        return $this->data('delete')->del($key);
    }

    public function incr(string $key, string $column, int|float $incrby = 1): float|int|false
    {
        return $this->add('incr', $key, $column, $incrby);
    }

    public function decr(string $key, string $column, int|float $incrby = 1): float|int|false
    {
        return $this->add('decr', $key, $column, -$incrby);
    }

    /**
     * incr() and decr(): the row is made first if missing, as Swoole
     * does, even when the column then turns out not to do.
     *
     * @return float|int|false
     */
    private function add(string $method, string $key, string $column, int|float $by): float|int|false
    {
        $value = $this->data($method)->add($key, $column, $by, $error);
        $message = match ($error) {
            null => null,
            'memory' => 'unable to allocate memory',
            'column' => "column[$column] does not exist",
            default => "can't execute '$method' on a string type column",
        };
        if ($message !== null) {
            ErrorReporter::raise(E_WARNING, "Swoole\\Table::$method(): $message");

            return false;
        }

        return $value;
    }

    /** count(COUNT_RECURSIVE) (an argument Swoole takes, though not declared) counts every column of every row. */
    public function count(): int
    {
        $mode = func_get_args()[0] ?? COUNT_NORMAL;
        $t = Store::$tables[$this] ?? null;
        if ($t === null) {
            return 0;
        }

        return $mode === COUNT_RECURSIVE ? $t->count() * count($t->columns) : $t->count();
    }

    public function getSize(): int
    {
        return Store::$tables[$this]?->size ?? 0;
    }

    public function getMemorySize(): int
    {
        return Store::$tables[$this]?->memorySize ?? 0;
    }

    public function stats(): false|array
    {
        $t = Store::$tables[$this] ?? null;
        if ($t === null) {
            return false;
        }
        [$available, $total] = $t->slices();

        $slices = ['available_slice_num' => $available, 'total_slice_num' => $total];

        return ['num' => $t->count()] + $t->stats() + $slices;
    }

    public function rewind(): void
    {
        $this->data('rewind')->rewind();
    }

    public function valid(): bool
    {
        return $this->data('valid')->current !== null;
    }

    public function next(): void
    {
        $this->data('next')->forward();
    }

    public function current(): mixed
    {
        return $this->data('current')->current[1] ?? null;
    }

    public function key(): mixed
    {
        return $this->data('key')->current[0] ?? null;
    }

    /**
     * The table's rows; a fatal error, as in Swoole, when it has not been
     * created (or has been destroyed) and the method needs it.
     */
    private function data(string $method, bool $created = true): TableData
    {
        $t = Store::$tables[$this] ?? null;
        if ($t === null && !$created) {
            ErrorReporter::fatal("Swoole\\Table::$method(): must call constructor first");
        }
        if ($t === null || ($created && !$t->created)) {
            ErrorReporter::fatal("Swoole\\Table::$method(): table is not created or has been destroyed");
        }

        return $t;
    }
}
