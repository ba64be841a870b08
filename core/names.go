package core

import (
	_ "embed"
	"strings"
)

// names.txt lists the event names and option keys Swoole accepts; the PHP
// layer reads the same file (php/src/Shim/Names.php).
//
//go:embed names.txt
var namesTxt string

// eventNames maps Swoole's event names (lower-case) to the events this
// server fires; names Swoole accepts that never fire here map to 0.
var eventNames = map[string]EventType{}

// knownOptions are the keys set() accepts without warning.
var knownOptions = map[string]bool{}

// fired are the events of eventNames that this server fires.
var fired = map[string]EventType{
	"start": EventStart, "workerstart": EventWorkerStart, "connect": EventConnect,
	"open": EventOpen, "message": EventMessage, "request": EventRequest,
	"close": EventClose, "disconnect": EventDisconnect, "workerstop": EventWorkerStop,
	"shutdown": EventShutdown, "beforeshutdown": EventBeforeShutdown, "task": EventTask,
	"pipemessage": EventPipe,
	"handshake":   EventHandShake, "beforehandshakeresponse": EventBeforeHandshakeResponse,
}

func init() {
	var section string
	for _, line := range strings.Split(namesTxt, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || line[0] == '#':
		case line[0] == '[':
			section = line
		case section == "[events]":
			eventNames[line] = fired[line]
		case section == "[options]":
			for _, k := range strings.Fields(line) {
				knownOptions[k] = true
			}
		}
	}
	for name := range fired {
		if _, ok := eventNames[name]; !ok {
			panic("core: names.txt lacks the event " + name)
		}
	}
}
