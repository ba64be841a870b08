<?php

namespace Swoole\Shim;

/** @internal */
final class ResponseState
{
    public function __construct(
        public Native $native,
        public ServerState $server,
        public int $handle
    ) {
    }
}
