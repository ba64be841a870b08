<?php
// Swoole\Table without a server: sizes, types, conversions, truncation,
// warnings, incr/decr, iteration order, a full conflict pool, stats(),
// and the fatal error after destroy().
use Swoole\Table;

$t = new Table(1000);
var_dump($t->getSize(), $t->memorySize, $t->getMemorySize());
var_dump($t->column('id', Table::TYPE_INT));
var_dump($t->column('name', Table::TYPE_STRING, 10));
var_dump($t->column('score', Table::TYPE_FLOAT));
var_dump($t->column('bad', Table::TYPE_STRING));
var_dump($t->create(), $t->size, $t->memorySize);
var_dump($t->column('late', Table::TYPE_INT));

var_dump($t->set('a', ['id' => '42', 'name' => 1024, 'score' => '3.5', 'other' => 1]));
var_dump($t->get('a'), $t->get('a', 'name'), $t->get('a', 'nope'), $t->get('b'));
var_dump($t->set('a', ['score' => 1, 7 => 'x']), $t->get('a'));
var_dump($t->set('b', ['id' => 'abc', 'name' => str_repeat('x', 20)]), $t->get('b'));
var_dump($t->set(str_repeat('k', 70), ['id' => 1]), $t->exists(str_repeat('k', 63)), $t->exist('zz'));
var_dump($t->incr('c', 'id'), $t->incr('c', 'id', 5), $t->decr('c', 'score', 0.5), $t->incr('c', 'name'));
var_dump($t->incr('d', 'nope'), $t->exists('d'), count($t), $t->count(COUNT_RECURSIVE));
var_dump($t->del('d'), $t->del('d'), $t->delete('c'));
foreach ($t as $key => $row) {
    echo $key, ' ', json_encode($row), "\n";
}

$small = new Table(10);
$small->column('n', Table::TYPE_INT);
$small->create();
for ($i = 0; $i < 200 && $small->set("k$i", ['n' => $i]); $i++);
echo "inserted $i\n";
var_dump($small->stats());
$order = [];
foreach ($small as $key => $row) {
    $order[] = $key;
}
echo implode(',', $order), "\n";
$small->destroy();
$small->get('k1');
