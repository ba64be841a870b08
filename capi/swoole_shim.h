/*
 * swoole_shim.h - the C API of libswoole_shim, a Swoole-compatible WebSocket
 * and HTTP server with a Go core.
 *
 * The PHP layer (php/) loads this very header with FFI::cdef, so C programs
 * and PHP see the same ABI. Full documentation: docs/C-API.md.
 *
 * Threads: call every function from the thread that calls start(). Callbacks
 * run on that thread, inside start(), one at a time; functions of this API
 * may be called again from inside a callback.
 *
 * Errors: functions returning int return 0 (or a count, or 1 for "true") on
 * success and -1 on failure; swoole_last_error() then gives Swoole's error
 * code and swoole_last_error_msg() its message. The 1-or-0 queries and the
 * functions returning a size_t or a uint64_t handle return 0 on failure,
 * server_new() NULL, the int64_t ones -1. An unknown or NULL server handle
 * is a failure (error SWOOLE_SHIM_EBADHANDLE), never a crash; so is a fault
 * inside the library (a length no memory can hold, a bug): error
 * SWOOLE_SHIM_EINVAL, message "internal error: ...".
 *
 * Pointers: every pointer argument is borrowed for the call only; the
 * library copies what it keeps. Pointers inside a swoole_event are valid
 * until the callback returns; copy what you need.
 */
#ifndef SWOOLE_SHIM_H
#define SWOOLE_SHIM_H

#include <stddef.h>
#include <stdint.h>

/* sock_type flag of server_new(): TLS (Swoole's SWOOLE_SSL). */
#define SWOOLE_SHIM_SSL 512

/* The shared memory of server_worker(): its size; where worker i counts
 * its open connections (an int64_t at SWOOLE_SHIM_SHARED_CONNS + 8 * i,
 * which a manager zeroes when worker i dies); where it says whether it
 * runs a callback (an int32_t at SWOOLE_SHIM_SHARED_STATUS + 64 * i:
 * 1 busy, 2 idle, as SWOOLE_WORKER_*). */
#define SWOOLE_SHIM_SHARED_SIZE 73792
#define SWOOLE_SHIM_SHARED_CONNS 64
#define SWOOLE_SHIM_SHARED_STATUS 8256

/* Server kinds for server_new(). */
#define SWOOLE_SHIM_HTTP 1      /* Swoole\Http\Server */
#define SWOOLE_SHIM_WEBSOCKET 2 /* Swoole\WebSocket\Server */

/* Event types delivered to callbacks (swoole_event.type). */
#define SWOOLE_EVENT_START 1
#define SWOOLE_EVENT_WORKER_START 2
#define SWOOLE_EVENT_CONNECT 3
#define SWOOLE_EVENT_OPEN 4
#define SWOOLE_EVENT_MESSAGE 5
#define SWOOLE_EVENT_REQUEST 6
#define SWOOLE_EVENT_CLOSE 7
#define SWOOLE_EVENT_DISCONNECT 8
#define SWOOLE_EVENT_WORKER_STOP 9
#define SWOOLE_EVENT_SHUTDOWN 10
#define SWOOLE_EVENT_BEFORE_SHUTDOWN 11
#define SWOOLE_EVENT_TIMER 12 /* a timer of timer_add() fired: timer_id */
#define SWOOLE_EVENT_HANDSHAKE 13 /* "handshake": answer with response_*() (101 accepts) */
#define SWOOLE_EVENT_BEFORE_HANDSHAKE_RESPONSE 14 /* add to the 101 with response_*() */
#define SWOOLE_EVENT_PIPE_MESSAGE 16 /* "pipemessage": a datagram on a socket of server_watch(): data */

/* Flags of response_header(). */
#define SWOOLE_SHIM_HEADER_FORMAT 1
#define SWOOLE_SHIM_HEADER_APPEND 2

/* Library errors that Swoole has no code for. */
#define SWOOLE_SHIM_EBADHANDLE 9001 /* NULL, unknown or freed server handle */
#define SWOOLE_SHIM_EINVAL 9002     /* bad argument (NULL pointer, bad value) */
#define SWOOLE_SHIM_ESTATE 9003     /* call not allowed now (start twice, ...) */

typedef struct swoole_server swoole_server;

/*
 * One event. Fields that do not apply to the type are 0 / NULL.
 *   fd          session id (1, 2, 3, ... in accept order, never reused)
 *   reactor_id  Close/Disconnect: -1 when the server closed the connection,
 *               otherwise 0; other events: 0
 *   worker_id   WorkerStart/WorkerStop: 0
 *   opcode, flags, finish   Message: the frame (flags as Swoole's
 *               SWOOLE_WEBSOCKET_FLAG_* bits)
 *   data        Message: payload; Request: raw body
 *   method, path, query, protocol   Open/Request/HandShake/
 *               BeforeHandshakeResponse: the request line
 *               (path is the URI before '?', query after it)
 *   headers     Open/Request: "name: value\r\n" lines, names lower-cased,
 *               in arrival order
 *   php         Open/Request: the request's header, server and cookie
 *               arrays in PHP serialize() format (used by the PHP layer)
 *   response    Request, HandShake, BeforeHandshakeResponse: the response
 *               handle for response_*() calls
 *   timer_id    Timer: the timer that fired
 *   server_port connection events: the port it came in on (see server_listen)
 */
typedef struct swoole_event {
    int32_t type;
    int32_t reactor_id;
    int64_t fd;
    int32_t worker_id;
    int32_t opcode;
    int32_t flags;
    int32_t finish;
    const uint8_t *data;
    size_t data_len;
    const char *method;
    size_t method_len;
    const char *path;
    size_t path_len;
    const char *query;
    size_t query_len;
    const char *protocol;
    size_t protocol_len;
    const char *headers;
    size_t headers_len;
    const char *php;
    size_t php_len;
    uint64_t response;
    int64_t timer_id;
    int32_t server_port;
    const uint8_t *raw; /* Request: the request as received (getData()) */
    size_t raw_len;
} swoole_event;

/* A callback; user is the pointer given to on(). */
typedef void (*swoole_callback)(swoole_server *server, const swoole_event *event, void *user);

/* getClientInfo(), field for field; remote_ip is NUL-terminated. */
typedef struct swoole_client_info {
    int32_t websocket_status;
    int32_t server_port;
    int32_t server_fd;
    int32_t socket_fd;
    int32_t socket_type;
    int32_t remote_port;
    char remote_ip[64];
    int32_t reactor_id;
    int64_t connect_time;
    int64_t last_time;
    double last_recv_time;
    double last_send_time;
    double last_dispatch_time;
    int32_t close_errno;
    int64_t recv_queued_bytes;
    int64_t send_queued_bytes;
    int64_t uid; /* bind(); 0 when unbound */
} swoole_client_info;

/* stats(), field for field (one worker, BASE mode). */
typedef struct swoole_stats {
    int64_t start_time;
    int64_t connection_num;
    int64_t accept_count;
    int64_t close_count;
    int64_t dispatch_count;
    int64_t request_count;
    int64_t response_count;
    int64_t total_recv_bytes;
    int64_t total_send_bytes;
    int64_t session_round;
    int64_t min_fd;
    int64_t max_fd;
} swoole_stats;

/* capi/ defines SWOOLE_SHIM_NO_PROTOTYPES: cgo declares the exported
 * functions itself, without const. */
#ifndef SWOOLE_SHIM_NO_PROTOTYPES

/* ---- errors ---- */

/* Swoole's error code of the last failed call (swoole_last_error()). */
int swoole_last_error(void);
/* Copies the last error's message, NUL-terminated and cut to cap bytes, into
 * buf; returns the message's full length. */
size_t swoole_last_error_msg(char *buf, size_t cap);
/* Sets the last error, with an empty message, as Swoole's
 * swoole_set_last_error() does (for errors found by the caller). */
void swoole_set_last_error(int code);

/* ---- server lifecycle ---- */

/* Creates a server listening on host:port (port 0 picks a free port).
 * kind is SWOOLE_SHIM_HTTP or SWOOLE_SHIM_WEBSOCKET; mode and sock_type are
 * Swoole's (SWOOLE_BASE = 1, SWOOLE_SOCK_TCP = 1). Returns NULL on failure:
 * a port in use gives error 98 and Swoole's "failed to listen server port"
 * message. Free with server_free(). */
swoole_server *server_new(const char *host, int port, int mode, int sock_type, int kind);
/* As server_new(), with a listening socket made by the caller (bound and
 * listening; host is the address it was bound to, for log lines): the
 * server owns it from then on. Swoole's processes need it: the process
 * that forks the workers makes the sockets before any Go runs in it (a Go
 * runtime does not survive fork), and each worker adopts them. */
swoole_server *server_new_fd(int fd, const char *host, int sock_type, int kind);
/* Stops the server if running and releases the handle. */
void server_free(swoole_server *server);
/* The port actually bound (useful with port 0). */
int server_port(swoole_server *server);
/* Listens on one more address before start() (Swoole's listen() and
 * addlistener()); sock_type may carry SWOOLE_SHIM_SSL. Returns the port
 * bound, or -1 (errors as server_new). Connections on it run the same
 * callbacks; events carry their server_port. */
int server_listen(swoole_server *server, const char *host, int port, int sock_type);
/* As server_listen(), with a listening socket made by the caller (see
 * server_new_fd()). Returns its port, or -1. */
int server_listen_fd(swoole_server *server, int fd, const char *host, int sock_type);
/* Before start(): the server is worker worker_id of several that share
 * session ids and the connection count in shared, SWOOLE_SHIM_SHARED_SIZE
 * bytes of zeroed memory that every worker maps (mmap MAP_SHARED before
 * the fork) for as long as the server lives. Its log lines and
 * WorkerStart/WorkerStop carry the id. 0, or -1. */
int server_worker(swoole_server *server, int worker_id, void *shared);
/* The loop reads the datagrams that arrive on socket fd (a Unix datagram
 * socket, up to 256 KiB each): each one is a SWOOLE_EVENT_PIPE_MESSAGE
 * event with the datagram as data. Processes of one server talk this way
 * (Swoole's sendMessage() and tasks). 0, or -1. */
/* Before start(): the server records which worker owns each of its
 * connections in table, slots int64_t of zeroed memory every worker maps
 * (slot fd % slots: fd << 12 | (worker_id + 1) << 1 | 1 once an
 * established WebSocket; 0 when free), and server_client_list() lists
 * every worker's connections from it. For workers that reach each other's
 * connections (Swoole's SWOOLE_PROCESS mode). 0, or -1. */
int server_owners(swoole_server *server, void *table, size_t slots);
int server_watch(swoole_server *server, int fd);

/* Sets one option of Swoole's set(); value is its string form ("1", "2M",
 * "/tmp/x.log"). Unknown keys fail with SWOOLE_SHIM_EINVAL and the message
 * "unsupported option [KEY]". Only before start(). */
int server_set(swoole_server *server, const char *key, const char *value);

/* Sets PHP's max_input_vars (default 1000; max < 1 keeps it): how many
 * cookies, query string and urlencoded body variables, and multipart part
 * headers, one request may bring, as Swoole applies it. */
int server_set_max_input_vars(swoole_server *server, int64_t max);

/* Registers cb for a Swoole event name (case-insensitive: "open",
 * "Message", "request", "close", "disconnect", "connect", "start",
 * "workerStart", "workerStop", "shutdown", ...). cb NULL removes it.
 * Unknown names fail with "unknown event types[NAME]". */
int on(swoole_server *server, const char *event, swoole_callback cb, void *user);

/* Runs the server on the calling thread until server_shutdown(); every
 * callback runs inside this call. A WebSocket server without a "message"
 * callback fails with "require onMessage callback". Returns 0 after a clean
 * shutdown. */
int start(swoole_server *server);
/*
 * Pull mode, for callers that run the loop themselves (the PHP layer does:
 * PHP code must not run inside a C callback, where exceptions and exit()
 * cannot unwind). Instead of on() and start():
 *   server_handle(srv, "message", 1); ...      declare the events you handle
 *   server_begin(srv);
 *   while (server_next(srv, &ev, 1) == 1) { handle ev }
 * and after each call that may close a connection (server_close,
 * server_disconnect, response_end, response_close) run its close event
 * before going on, as Swoole runs the close callback inside those calls:
 *   while (server_next(srv, &ev, 0) == 1) { handle ev }
 */
/* Declares (enabled != 0) or withdraws an event name as handled; the same
 * names and errors as on(). */
int server_handle(swoole_server *server, const char *event, int enabled);
/* Starts the server without running a loop; errors as start(). */
int server_begin(swoole_server *server);
/* Finishes the event the previous call of the same kind returned (sends a
 * response its callback left open, forgets a closed session), then fills
 * *event with the next event that has a handler: returns 1. block != 0
 * waits, and returns 0 once the server has stopped (after WorkerStop and
 * Shutdown); block == 0 returns only the close events of the last call,
 * and 0 when there are none. The event's pointers stay valid until it is
 * finished. */
int server_next(swoole_server *server, swoole_event *event, int block);
/* Keeps the event server_next() last returned from being finished by the
 * next server_next(): its handler is not done with it (a PHP coroutine
 * that suspended). Returns a token (> 0; 0 if no event is in flight) for
 * server_release(), which finishes it. Held events still unreleased when
 * the server stops are finished then. */
int64_t server_hold(swoole_server *server);
int server_release(swoole_server *server, int64_t token);

/* Asks a running server to stop: open connections are closed (firing their
 * close callbacks), then WorkerStop and Shutdown run and start() returns. */
int server_shutdown(swoole_server *server);

/* ---- connections ---- */

/* Sends one WebSocket frame: opcode (1 text, 2 binary, 0 continuation, 8, 9,
 * 10) and Swoole's flags (SWOOLE_WEBSOCKET_FLAG_FIN = 1 ends a message).
 * Never blocks: bytes the socket cannot take yet are queued. Fails with
 * Swoole's "session#N does not exists" or "the connected client of
 * connection[N] is not a websocket client or closed". */
int push(swoole_server *server, int64_t fd, const uint8_t *data, size_t len, int opcode, int flags);
/* Fills *info; fails with "session#N does not exists" for an unknown fd. */
int get_client_info(swoole_server *server, int64_t fd, swoole_client_info *info);
/* 1 if the session exists and is open, else 0. */
int server_exist(swoole_server *server, int64_t fd);
/* 1 if the session is an established WebSocket connection, else 0. */
int server_is_established(swoole_server *server, int64_t fd);
/* Sends a close frame (code, reason) and closes; the close callback runs
 * before this returns. */
int server_disconnect(swoole_server *server, int64_t fd, int code, const char *reason, size_t reason_len);
/* Closes the connection without a close frame; the close callback runs
 * before this returns. reset != 0 drops unsent bytes. */
int server_close(swoole_server *server, int64_t fd, int reset);
/* Writes raw bytes to the connection (Swoole's send()). */
int server_send(swoole_server *server, int64_t fd, const uint8_t *data, size_t len);
/* Attaches a user id to the connection (Swoole's bind()). */
int server_bind(swoole_server *server, int64_t fd, int64_t uid);
/* Writes up to cap open session fds greater than start_fd, ascending, into
 * out; returns how many. */
int server_client_list(swoole_server *server, int64_t start_fd, int64_t *out, int cap);
/* The connections the heartbeat would close now (heartbeat()): writes up to
 * cap of their fds into out and returns how many there are (call again
 * with a larger out if that is more than cap); -1 when
 * heartbeat_check_interval is not set. */
int server_idle(swoole_server *server, int64_t *out, int cap);

/* The number of open connections. */
int server_connection_count(swoole_server *server);
/* Fills *stats (Swoole's stats()). */
int server_stats(swoole_server *server, swoole_stats *stats);
/* Writes msg as a Swoole log line at level (SWOOLE_LOG_*: 0 DEBUG ..
 * 5 ERROR): to the server's log (log_file, log_level), or, with a NULL
 * server, to stdout as Swoole's logger does before a server exists. */
int server_log(swoole_server *server, int level, const char *msg, size_t len);

/* ---- timers (Swoole\Timer) ----
 * A timer fires as a SWOOLE_EVENT_TIMER event on the thread of start(),
 * between other events: delivered by server_next(), or to the callback
 * on() registers for the name "timer" (a C-only name). */

/* Starts a timer of ms milliseconds (> 0), repeating if tick != 0; returns
 * its id (1, 2, 3, ...) or -1. */
int64_t timer_add(swoole_server *server, int64_t ms, int tick);
/* Stops a timer; -1 if there is none of that id. */
int timer_clear(swoole_server *server, int64_t id);
/* Fills the interval and the repeat flag of a timer; -1 if there is none. */
int timer_info(swoole_server *server, int64_t id, int64_t *interval_ms, int *tick);
/* Writes up to cap timer ids, ascending, into out; returns how many there
 * are in all. */
int timer_list(swoole_server *server, int64_t *out, int cap);

/* ---- frames (Swoole\WebSocket\Server::pack()/unpack()) ---- */

/* Encodes one unmasked frame with Swoole's flags into out if it fits cap;
 * returns the frame's size either way (0 on failure). */
size_t frame_pack(const uint8_t *data, size_t len, int opcode, int flags, uint8_t *out, size_t cap);
/* Decodes the frame at the start of data (masked or not, checked for
 * nothing, as Swoole's unpack()): fills opcode and flags (FIN, RSV1-3,
 * MASK bits) and copies the unmasked payload into payload if it fits cap.
 * Returns the payload's length, or -1 when data is not a whole frame. */
int64_t frame_unpack(const uint8_t *data, size_t len, int *opcode, int *flags, uint8_t *payload, size_t cap);

/* ---- MIME types (swoole_mime_type_set()/delete()) ----
 * The table by file suffix that the static handler and response_sendfile()
 * read, shared by every server of the process. */

/* Gives suffix (as it is, not lower-cased) the type mime_type, or with
 * mime_type NULL removes it. Returns 1, or 0 when there was nothing to
 * remove (-1 for a NULL suffix). */
int mime_type_set(const char *suffix, const char *mime_type);

/* ---- HTTP responses (handle from a Request event) ----
 * response_status(), response_write(), response_end() and
 * response_sendfile() return n > 0 when they did their work with n
 * warnings, the PHP warnings Swoole raises there (a header value with CR,
 * LF or NUL left out of the head, a reason phrase that was not used);
 * swoole_last_error_msg() gives them, one a line. */

/* Sets the status; reason NULL uses the standard phrase, and so does a
 * reason with a control character (CR, LF, ...), with a warning. */
int response_status(swoole_server *server, uint64_t response, int code, const char *reason, size_t reason_len);
/* Sets a header, replacing those of the same name (any case), or with
 * SWOOLE_SHIM_HEADER_APPEND in flags adding one more line. With
 * SWOOLE_SHIM_HEADER_FORMAT the name is written as Swoole's header() does
 * by default ("content-type" -> "Content-Type"). value NULL removes the
 * header; "" suppresses it, defaults included. Trailing white space is
 * trimmed from the value. Fails for an empty name, or one containing CR, LF
 * or NUL (error 510, Swoole's PHP_RUNTIME_NOTICE, with its warning); a
 * value still containing them is left out when the head is sent, with a
 * warning (no response splitting). */
int response_header(swoole_server *server, uint64_t response, const char *name, size_t name_len,
                    const char *value, size_t value_len, int flags);
/* Sends a chunk (Transfer-Encoding: chunked); the headers go first. */
int response_write(swoole_server *server, uint64_t response, const uint8_t *data, size_t len);
/* Finishes the response with body data (after write(): the last chunk).
 * Fails with error 7106 when already finished. */
int response_end(swoole_server *server, uint64_t response, const uint8_t *data, size_t len);
/* Closes the connection without sending anything more; the close callback
 * runs before this returns. */
int response_close(swoole_server *server, uint64_t response);
/* Ends the response with len bytes of a file from offset (len 0: to the
 * end); Content-Type from its extension unless set. */
int response_sendfile(swoole_server *server, uint64_t response, const char *filename, int64_t offset, int64_t len);
/* Sets a trailer for the end of a chunked (response_write) response;
 * value NULL or "" removes it. */
int response_trailer(swoole_server *server, uint64_t response, const char *name, size_t name_len,
                     const char *value, size_t value_len);
/* Keeps the response open after its callback returns (Swoole's detach()). */
int response_detach(swoole_server *server, uint64_t response);
/* Makes a response for an open connection outside any Request callback
 * (Swoole's Response::create()); returns its handle, or 0 and the error. */
uint64_t response_create(swoole_server *server, int64_t fd);
/* 1 if the response can still be written, else 0. */
int response_writable(swoole_server *server, uint64_t response);
/* Adds a Set-Cookie header formatted as Swoole does. Strings are
 * NUL-terminated, NULL or "" when unset; expires 0 = session cookie;
 * raw != 0 sends the value as is (rawcookie), else URL-encoded. Fails,
 * with Swoole's warning as the message, for an empty name, or one holding
 * "=" , ",", ";", " ", "\t", "\r", "\n", "\013" or "\014", or those
 * (but "=") in a raw value, the path or the domain. */
int response_cookie(swoole_server *server, uint64_t response, const char *name, const char *value,
                    int64_t expires, const char *path, const char *domain, int secure, int httponly,
                    const char *samesite, const char *priority, int partitioned, int raw);

#endif /* SWOOLE_SHIM_NO_PROTOTYPES */
#endif
