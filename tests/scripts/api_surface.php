<?php
// Prints, one a line, how the PHP layer's classes, functions and constants
// differ from Swoole 6.1.9's API ($argv[1], tests/testdata/swoole-api.json):
// "KIND SUBJECT: detail". TestPHPAPISurface holds the lines against its
// table of known gaps.
$api = json_decode(file_get_contents($argv[1]), true, flags: JSON_THROW_ON_ERROR);
$out = [];
$diff = static function (string $kind, string $subject, string $detail = '') use (&$out): void {
    $out[] = "$kind $subject" . ($detail === '' ? '' : ": $detail");
};
$type = static function (?ReflectionType $t): ?string {
    if ($t === null) {
        return null;
    }
    $s = (string) $t;
    $parts = str_starts_with($s, '?') ? [substr($s, 1), 'null'] : explode('|', $s);
    sort($parts);

    return implode('|', $parts);
};
$norm = static function (?string $s): ?string {
    if ($s === null) {
        return null;
    }
    $parts = str_starts_with($s, '?') ? [substr($s, 1), 'null'] : explode('|', $s);
    sort($parts);

    return implode('|', $parts);
};
$params = static function (string $subject, array $want, ReflectionFunctionAbstract $f) use ($diff, $type, $norm): void {
    $have = $f->getParameters();
    foreach ($want as $i => $w) {
        $p = $have[$i] ?? null;
        if ($p === null) {
            $diff('param-absent', "$subject \${$w['name']}");
            continue;
        }
        $got = [
            'name' => $p->getName(),
            'type' => $type($p->getType()),
            'optional' => $p->isOptional(),
            'default' => $p->isDefaultValueAvailable() ? var_export($p->getDefaultValue(), true) : null,
            'variadic' => $p->isVariadic(),
            'byref' => $p->isPassedByReference(),
        ];
        $w['type'] = $norm($w['type']);
        foreach ($got as $k => $v) {
            if ($v !== $w[$k]) {
                $diff("param-$k", "$subject \${$w['name']}", var_export($v, true) . ', Swoole ' . var_export($w[$k], true));
            }
        }
    }
    foreach (array_slice($have, count($want)) as $p) {
        $diff('param-extra', "$subject \${$p->getName()}");
    }
};

foreach ($api['classes'] as $name => $want) {
    if (!class_exists($name) && !interface_exists($name)) {
        $diff('class-absent', $name);
        continue;
    }
    $r = new ReflectionClass($name);
    if ($r->isFinal() !== $want['final']) {
        $diff('class-final', $name, var_export($r->isFinal(), true) . ', Swoole ' . var_export($want['final'], true));
    }
    if ($r->isAbstract() !== $want['abstract']) {
        $diff('class-abstract', $name);
    }
    $parent = $r->getParentClass() ? $r->getParentClass()->getName() : null;
    if ($parent !== $want['parent']) {
        $diff('class-parent', $name, var_export($parent, true) . ', Swoole ' . var_export($want['parent'], true));
    }
    foreach ($want['interfaces'] as $i) {
        if (!$r->implementsInterface($i)) {
            $diff('class-interface', $name, $i);
        }
    }
    foreach ($want['methods'] as $m => $w) {
        if (!$r->hasMethod($m)) {
            $diff('method-absent', "$name::$m");
            continue;
        }
        $rm = $r->getMethod($m);
        if ($rm->isStatic() !== $w['static'] || ($rm->isPublic() ? 'public' : 'protected') !== $w['visibility']) {
            $diff('method-kind', "$name::$m");
        }
        if ($type($rm->getReturnType()) !== $norm($w['return'])) {
            $diff('method-return', "$name::$m", var_export($type($rm->getReturnType()), true) . ', Swoole ' . var_export($w['return'], true));
        }
        $params("$name::$m", $w['params'], $rm);
    }
    foreach ($r->getMethods(ReflectionMethod::IS_PUBLIC | ReflectionMethod::IS_PROTECTED) as $rm) {
        $declaring = $rm->getDeclaringClass();
        if (!$declaring->isInternal() && !isset($api['classes'][$declaring->getName()]['methods'][$rm->getName()])
            && $declaring->getName() === $name) {
            $diff('method-extra', "$name::{$rm->getName()}");
        }
    }
    foreach ($want['properties'] as $p => $w) {
        if (!$r->hasProperty($p) || $r->getProperty($p)->isPrivate()) {
            $diff('property-absent', "$name::\$$p");
            continue;
        }
        $rp = $r->getProperty($p);
        if ($rp->isStatic() !== $w['static']) {
            $diff('property-static', "$name::\$$p");
        }
        $default = $rp->hasDefaultValue() ? var_export($rp->getDefaultValue(), true) : null;
        if ($w['default'] !== null && $default !== $w['default']) {
            $diff('property-default', "$name::\$$p", var_export($default, true) . ', Swoole ' . var_export($w['default'], true));
        }
    }
    foreach ($want['constants'] as $c => $v) {
        if (!$r->hasConstant($c)) {
            $diff('class-constant-absent', "$name::$c");
        } elseif (var_export($r->getConstant($c), true) !== $v) {
            $diff('class-constant-value', "$name::$c", var_export($r->getConstant($c), true) . ", Swoole $v");
        }
    }
}
foreach (get_declared_classes() as $c) {
    if (preg_match('/^Swoole\\\\/', $c) && !str_starts_with($c, 'Swoole\\Shim\\') && !isset($api['classes'][$c])) {
        $diff('class-extra', $c);
    }
}
foreach ($api['functions'] as $name => $want) {
    if (!function_exists($name)) {
        $diff('function-absent', $name);
        continue;
    }
    $rf = new ReflectionFunction($name);
    if ($type($rf->getReturnType()) !== $norm($want['return'])) {
        $diff('function-return', $name, var_export($type($rf->getReturnType()), true) . ', Swoole ' . var_export($want['return'], true));
    }
    $params($name, $want['params'], $rf);
}
foreach (get_defined_functions()['user'] as $f) {
    $f = (new ReflectionFunction($f))->getName();
    if (!isset($api['functions'][$f])) {
        $diff('function-extra', $f);
    }
}
$defined = get_defined_constants(true)['user'];
foreach ($api['constants'] as $name => $value) {
    if (!array_key_exists($name, $defined)) {
        $diff('constant-absent', $name);
    } elseif ($defined[$name] !== $value) {
        $diff('constant-value', $name, var_export($defined[$name], true) . ', Swoole ' . var_export($value, true));
    }
}
foreach ($defined as $name => $_) {
    if (!array_key_exists($name, $api['constants'])) {
        $diff('constant-extra', $name);
    }
}
echo implode("\n", $out), "\n";
