// Package mimetype is Swoole's table of MIME types by file suffix: the
// static handler and sendfile() read it, swoole_mime_type_set() and
// swoole_mime_type_delete() change it for the whole process, as Swoole's
// do. A name whose suffix is not in the table is application/octet-stream.
package mimetype

import (
	_ "embed"
	"strings"
	"sync"
)

// mime.txt is Swoole's table; the PHP layer reads the same file.
//
//go:embed mime.txt
var table string

// OctetStream is the type of a name whose suffix the table lacks.
const OctetStream = "application/octet-stream"

var (
	mu    sync.RWMutex
	types = map[string]string{}
)

func init() {
	for _, line := range strings.Split(table, "\n") {
		suffix, mimeType, ok := strings.Cut(strings.TrimSpace(line), " ")
		if ok && suffix[0] != '#' {
			types[suffix] = mimeType
		}
	}
}

// suffix is what follows the last dot of name, lower-cased; a name
// without a dot is its own suffix (as Swoole's get_suffix()).
func suffix(name string) string {
	return strings.ToLower(name[strings.LastIndexByte(name, '.')+1:])
}

// Get returns the type of a file name.
func Get(name string) string {
	mu.RLock()
	defer mu.RUnlock()
	if t, ok := types[suffix(name)]; ok {
		return t
	}
	return OctetStream
}

// Exists reports whether the table has the suffix of a file name.
func Exists(name string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := types[suffix(name)]
	return ok
}

// Set gives a suffix (taken as it is, not lower-cased) a type.
func Set(suffix, mimeType string) {
	mu.Lock()
	defer mu.Unlock()
	types[suffix] = mimeType
}

// Delete removes a suffix and reports whether it was there.
func Delete(suffix string) bool {
	mu.Lock()
	defer mu.Unlock()
	_, ok := types[suffix]
	delete(types, suffix)
	return ok
}
