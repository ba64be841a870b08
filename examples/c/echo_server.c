/*
 * echo_server.c - the seed's first program, in C, on libswoole_shim.
 *
 *   cc echo_server.c -I../../build -L../../build -lswoole_shim -Wl,-rpath,'$ORIGIN/../../build'
 *   ./a.out [PORT]          serve ws://127.0.0.1:PORT/ (default 9501)
 *   ./a.out --misuse        call the API wrongly and print what it returns
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swoole_shim.h"

static void on_open(swoole_server *srv, const swoole_event *ev, void *user) {
    (void)user;
    static const char welcome[] = "hello, welcome\n";
    push(srv, ev->fd, (const uint8_t *)welcome, sizeof welcome - 1, 1, 1);
}

static void on_message(swoole_server *srv, const swoole_event *ev, void *user) {
    (void)user;
    fputs("Message: ", stdout);
    fwrite(ev->data, 1, ev->data_len, stdout); /* binary-safe */
    fputs("\n", stdout);
    fflush(stdout);
    size_t n = 8 + ev->data_len;
    uint8_t *reply = malloc(n);
    if (reply == NULL) {
        return;
    }
    memcpy(reply, "server: ", 8);
    memcpy(reply + 8, ev->data, ev->data_len);
    if (push(srv, ev->fd, reply, n, ev->opcode, 1) < 0) {
        char msg[256];
        swoole_last_error_msg(msg, sizeof msg);
        fprintf(stderr, "push: %s\n", msg);
    }
    free(reply);
}

static void on_close(swoole_server *srv, const swoole_event *ev, void *user) {
    (void)user;
    swoole_client_info info;
    if (get_client_info(srv, ev->fd, &info) == 0) {
        printf("client-%lld is closed, WebSocket status is %d\n", (long long)ev->fd, info.websocket_status);
    }
    fflush(stdout);
}

static void report(const char *call, int ret) {
    char msg[256];
    swoole_last_error_msg(msg, sizeof msg);
    printf("%s = %d, error %d: %s\n", call, ret, swoole_last_error(), msg);
}

/* For the calls that return nothing: the error they leave. */
static void report_void(const char *call) {
    char msg[256];
    swoole_last_error_msg(msg, sizeof msg);
    printf("%s: error %d: %s\n", call, swoole_last_error(), msg);
}

/* Every misuse must fail with an error, never crash. */
static int misuse(void) {
    swoole_client_info info;
    int64_t fds[4];
    int opcode, flags;
    const uint8_t frame[] = {0x81, 0x01, 'x'};
    char buf[8];
    swoole_server *bogus = (swoole_server *)&info;
    printf("server_new(NULL) = %s\n", server_new(NULL, 0, 1, 1, SWOOLE_SHIM_WEBSOCKET) ? "handle" : "NULL");
    report("push(NULL)", push(NULL, 1, (const uint8_t *)"x", 1, 1, 1));
    report("push(bogus)", push(bogus, 1, (const uint8_t *)"x", 1, 1, 1));
    report("start(NULL)", start(NULL));
    report("server_port(NULL)", server_port(NULL));
    report("server_exist(bogus, 1)", server_exist(bogus, 1));
    report("server_is_established(NULL, 1)", server_is_established(NULL, 1));
    report("server_connection_count(bogus)", server_connection_count(bogus));
    report("timer_clear(NULL, 1)", timer_clear(NULL, 1));
    report("timer_info(bogus, 1)", timer_info(bogus, 1, NULL, NULL));
    report("timer_list(NULL)", timer_list(NULL, NULL, 0));
    report("response_writable(bogus, 1)", response_writable(bogus, 1));
    report("response_create(NULL, 1)", (int)response_create(NULL, 1));
    swoole_set_last_error(0);
    server_free(bogus);
    report_void("server_free(bogus)");
    report("frame_unpack(NULL)", (int)frame_unpack(NULL, 3, &opcode, &flags, NULL, 0));
    /* Lengths no memory can hold fail instead of crashing the process. */
    report("frame_pack(frame, SIZE_MAX)", (int)frame_pack(frame, SIZE_MAX, 1, 1, NULL, 0));
    report("frame_unpack(frame, SIZE_MAX)", (int)frame_unpack(frame, SIZE_MAX, &opcode, &flags, NULL, 0));
    report("swoole_last_error_msg(buf, SIZE_MAX)", (int)swoole_last_error_msg(buf, SIZE_MAX));
    swoole_server *srv = server_new("127.0.0.1", 0, 1, 1, SWOOLE_SHIM_WEBSOCKET);
    if (srv == NULL) {
        report("server_new", -1);
        return 1;
    }
    report("on(srv, NULL)", on(srv, NULL, on_open, NULL));
    report("on(srv, \"bogus\")", on(srv, "bogus", on_open, NULL));
    report("get_client_info(srv, 1, NULL)", get_client_info(srv, 1, NULL));
    report("get_client_info(srv, 1)", get_client_info(srv, 1, &info));
    report("push(srv, 1, NULL, 5)", push(srv, 1, NULL, 5, 1, 1));
    report("server_client_list(srv, 0, NULL)", server_client_list(srv, 0, NULL, 4));
    report("server_client_list(srv, 0, fds)", server_client_list(srv, 0, fds, 4));
    report("start(srv) without message", start(srv));
    report("server_set(srv, \"nope\")", server_set(srv, "nope", "1"));
    report("response_end(srv, 42)", response_end(srv, 42, NULL, 0));
    report("server_shutdown(srv) before start", server_shutdown(srv));
    on(srv, "message", on_message, NULL);
    report("server_begin(srv)", server_begin(srv));
    report("start(srv) after server_begin", start(srv));
    report("server_hold(NULL)", (int)server_hold(NULL));
    report("server_hold(srv) with nothing in flight", (int)server_hold(srv));
    report("server_release(srv, 12345)", server_release(srv, 12345));
    report("server_log(bogus)", server_log(bogus, 4, "x", 1));
    server_free(srv);
    report("push(freed)", push(srv, 1, (const uint8_t *)"x", 1, 1, 1));
    report("server_exist(freed, 1)", server_exist(srv, 1));
    report("timer_list(freed)", timer_list(srv, NULL, 0));
    report("response_writable(freed, 1)", response_writable(srv, 1));
    swoole_set_last_error(0);
    server_free(srv);
    report_void("server_free(freed)");
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--misuse") == 0) {
        return misuse();
    }
    int port = argc > 1 ? atoi(argv[1]) : 9501;
    swoole_server *srv = server_new("127.0.0.1", port, 1, 1, SWOOLE_SHIM_WEBSOCKET);
    if (srv == NULL) {
        char msg[256];
        swoole_last_error_msg(msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    on(srv, "Open", on_open, NULL);
    on(srv, "Message", on_message, NULL);
    on(srv, "Close", on_close, NULL);
    int ret = start(srv);
    server_free(srv);
    return ret == 0 ? 0 : 1;
}
