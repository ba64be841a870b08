package core

import (
	"strconv"
	"strings"
	"time"
)

// knownOptions are the keys Swoole v6.1's set() accepts without warning
// (its Server\Helper option tables).
var knownOptions = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`
		admin_server aio_core_worker_num aio_max_idle_time aio_max_wait_time aio_worker_num backlog
		bootstrap buffer_high_watermark buffer_input_size buffer_low_watermark buffer_output_size
		c_stack_size chroot compression_level compression_min_length compression_types
		cpu_affinity_ignore daemonize debug_mode discard_timeout_request dispatch_func dispatch_mode
		display_errors dns_cache_capacity dns_cache_expire dns_cache_refresh_time dns_lookup_random
		dns_server document_root enable_coroutine enable_deadlock_check enable_delay_receive
		enable_preemptive_scheduler enable_reuse_port enable_signalfd enable_static_handler
		enable_unsafe_event event_object group heartbeat_check_interval heartbeat_idle_time hook_flags
		http2_enable_push http2_header_table_size http2_init_window_size http2_max_concurrent_streams
		http2_max_frame_size http2_max_header_list_size http_autoindex http_compression
		http_compression_level http_compression_min_length http_compression_types http_gzip_level
		http_index_files http_parse_cookie http_parse_files http_parse_post init_arguments
		input_buffer_size iouring_entries iouring_flag iouring_workers kernel_socket_recv_buffer_size
		kernel_socket_send_buffer_size log_date_format log_date_with_microseconds log_file log_level
		log_rotation max_concurrency max_conn max_connection max_coro_num max_coroutine max_idle_time
		max_queued_bytes max_request max_request_grace max_thread_num max_wait_time message_queue_key
		min_thread_num name_resolver open_cpu_affinity open_eof_check open_eof_split
		open_http2_protocol open_http_protocol open_length_check open_mqtt_protocol open_redis_protocol
		open_tcp_keepalive open_tcp_nodelay open_websocket_close_frame open_websocket_ping_frame
		open_websocket_pong_frame open_websocket_protocol output_buffer_size package_body_offset
		package_body_start package_eof package_length_func package_length_offset package_length_type
		package_max_length pid_file reactor_num reload_async send_timeout send_yield single_thread
		socket_buffer_size socket_connect_timeout socket_dns_timeout socket_dontwait
		socket_read_timeout socket_recv_timeout socket_send_timeout socket_timeout socket_write_timeout
		ssl_allow_self_signed ssl_cafile ssl_capath ssl_cert_file ssl_ciphers ssl_client_cert_file
		ssl_compress ssl_dhparam ssl_ecdh_curve ssl_key_file ssl_prefer_server_ciphers ssl_protocols
		ssl_sni_certs ssl_verify_depth ssl_verify_peer stack_size start_session_id
		static_handler_locations stats_file stats_timer_interval task_enable_coroutine task_ipc_mode
		task_max_request task_max_request_grace task_object task_tmpdir task_use_object task_worker_num
		tcp_defer_accept tcp_fastopen tcp_keepcount tcp_keepidle tcp_keepinterval tcp_user_timeout
		thread_num trace_flags upload_max_filesize upload_tmp_dir use_async_resolver user wait_signal
		websocket_compression websocket_subprotocol worker_max_concurrency worker_num `) {
		knownOptions[k] = true
	}
}

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
}

var defaultOptions = Options{
	PackageMaxLength:     2 << 20,
	SocketBufferSize:     8 << 20,
	LogLevel:             2,
	UploadTmpDir:         "/tmp",
	HTTPCompression:      true,
	CompressionLevel:     1,
	CompressionMinLength: 20,
	UploadMaxFilesize:    4 << 20,
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
