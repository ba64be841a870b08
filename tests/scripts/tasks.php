<?php
// Task workers: task(), taskwait(), taskWaitMulti(), taskCo(), finish(),
// onTask/onFinish, task()'s finish callback, the Task object, and
// Swoole's warnings. The client sends "go" (or "object" after a restart
// with task_object) and reads the finish callback's push.
$ws = new Swoole\WebSocket\Server('127.0.0.1', (int) $argv[1]);
$ws->set(['task_worker_num' => 2, 'task_object' => ($argv[2] ?? '') === 'object']);
var_dump($ws->task('early'));
$ws->on('workerStart', function ($s, $id) {
    echo "WorkerStart $id ", var_export($s->taskworker, true), ' ', $s->getWorkerId(), "\n";
});
$ws->on('task', function ($s, ...$args) {
    if ($args[0] instanceof Swoole\Server\Task) {
        $task = $args[0];
        echo "Task object {$task->id} from {$task->worker_id} in {$s->worker_id}: ", json_encode($task->data), "\n";
        $task->finish(['object' => $task->data]);
        return;
    }
    [$taskId, $src, $data] = $args;
    echo "task $taskId from $src in {$s->worker_id} ", var_export($s->taskworker, true), ': ', json_encode($data), "\n";
    if ($data === 'finish') {
        var_dump($s->task('nested'));
        $s->finish('via finish');
        return;
    }
    if ($data === 'nothing') {
        return;
    }
    if (is_array($data)) {
        $data['seen'] = true;
        return $data;
    }
    if ($data === 'throw') {
        throw new RuntimeException('task failed');
    }
    return "done $data";
});
$ws->on('finish', function ($s, $taskId, $data) {
    echo "finish $taskId in {$s->worker_id} ", var_export($s->taskworker, true), ': ', json_encode($data), "\n";
});
$ws->on('message', function ($s, $frame) {
    if ($frame->data === 'object') {
        $result = $s->taskwait('w');
        echo 'taskwait ', json_encode($result), "\n";
        $s->push($frame->fd, 'done');
        return;
    }
    $obj = ['n' => 1];
    echo 'queued ', $s->task($obj), "\n";
    echo 'queued ', $s->task('finish'), "\n";
    echo 'queued ', $s->task('nothing'), "\n";
    echo 'queued ', $s->task('throw'), "\n";
    echo 'queued ', $s->task('cb', 1, function ($s, $id, $data) use ($frame) {
        echo "callback $id in {$s->worker_id}: $data\n";
        $s->push($frame->fd, "callback $id");
    }), "\n";
    echo 'original ', json_encode($obj), "\n";
    $result = $s->taskwait('w');
    echo 'taskwait ', json_encode($result), "\n";
    $result = $s->taskwait('nothing');
    echo 'taskwait nothing ', var_export($result, true), "\n";
    $result = $s->taskWaitMulti(['a', 'nothing', 'c']);
    echo 'multi ', json_encode($result), "\n";
    $result = $s->taskCo(['a', 'nothing']);
    echo 'co ', json_encode($result), "\n";
    var_dump($s->task('x', 2));
    echo "message done\n";
});
$ws->start();
