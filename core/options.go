package core

import (
	"strconv"
	"strings"
	"time"
)

// Options are the settings the core acts on; the rest of set() is kept by
// the PHP layer in $server->setting only.
type Options struct {
	PackageMaxLength int64  // package_max_length: largest request or message
	SocketBufferSize int    // socket_buffer_size: per-connection output cap
	LogFile          string // log_file
	LogLevel         int    // log_level
	LogDateFormat    string // log_date_format

	HeartbeatCheckInterval time.Duration // heartbeat_check_interval
	HeartbeatIdleTime      time.Duration // heartbeat_idle_time; 2 intervals if unset
	MaxConnection          int           // max_connection; 0: no limit
	TaskWorkerNum          int           // task_worker_num: the PHP layer runs the tasks
	MaxRequest             int64         // max_request: a worker of several stops after this many requests
	MaxRequestGrace        int64         // max_request_grace: up to this many more, at random; -1: max_request / 2
	CloseFrame             bool          // open_websocket_close_frame
	PingFrame              bool          // open_websocket_ping_frame
	PongFrame              bool          // open_websocket_pong_frame
	Subprotocol            string        // websocket_subprotocol
	Compression            bool          // websocket_compression
	PidFile                string        // pid_file: written at start, removed at shutdown
	SSLCertFile            string        // ssl_cert_file
	SSLKeyFile             string        // ssl_key_file
	UploadTmpDir           string        // upload_tmp_dir
	UploadMaxFilesize      int64         // upload_max_filesize
	HTTPCompression        bool          // http_compression (default on)
	CompressionLevel       int           // http_compression_level
	CompressionMinLength   int           // http_compression_min_length
	CompressionTypes       []string      // http_compression_types; empty: all
	StaticHandler          bool          // enable_static_handler
	DocumentRoot           string        // document_root
	StaticLocations        []string      // static_handler_locations
	IndexFiles             []string      // http_index_files
	AutoIndex              bool          // http_autoindex
	MaxInputVars           int           // PHP's max_input_vars
}

var defaultOptions = Options{
	MaxRequestGrace:      -1,
	PackageMaxLength:     2 << 20,
	SocketBufferSize:     8 << 20,
	LogLevel:             2,
	UploadTmpDir:         "/tmp",
	HTTPCompression:      true,
	CompressionLevel:     1,
	CompressionMinLength: 20,
	UploadMaxFilesize:    4 << 20,
	MaxInputVars:         defaultMaxInputVars,
}

// parseBool reads a boolean option as PHP's (string) cast wrote it.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "on", "yes":
		return true, nil
	case "", "0", "false", "off", "no":
		return false, nil
	}
	return false, strconv.ErrSyntax
}

// parseSize reads an integer option, with Swoole's K/M/G suffixes.
func parseSize(v string) (int64, error) {
	mult := int64(1)
	if n := len(v); n > 0 {
		switch v[n-1] {
		case 'k', 'K':
			mult, v = 1<<10, v[:n-1]
		case 'm', 'M':
			mult, v = 1<<20, v[:n-1]
		case 'g', 'G':
			mult, v = 1<<30, v[:n-1]
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n * mult, err
}
