<?php
// Swoole\Atomic (unsigned 32-bit, wait/wakeup in one process) and Atomic\Long (wraps as C).
$a = new Swoole\Atomic();
var_dump($a->get(), $a->add(), $a->add(5), $a->sub(10), $a->get(), $a->cmpset(-4, 7), $a->get());
$a->set(-1);
var_dump($a->get(), $a->add(2));
var_dump($a->wait(0.01));
$a->set(0);
var_dump($a->wakeup(), $a->get(), $a->wait(), $a->get());
$t0 = microtime(true);
var_dump($a->wait(0.05));
var_dump(microtime(true) - $t0 >= 0.05);
$l = new Swoole\Atomic\Long(PHP_INT_MAX);
var_dump($l->add(), $l->sub(2), $l->cmpset(PHP_INT_MAX - 1, 5), $l->get());
class Sub extends Swoole\Atomic
{
    public function __construct()
    {
    }
}
var_dump((new Sub)->add(3));
