package tests

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// apiGaps are the known differences between the PHP layer and Swoole
// 6.1.9's API (tests/testdata/swoole-api.json, written from swoole-src's
// stubs and registrations). A pattern matches "KIND SUBJECT" of a line of
// tests/scripts/api_surface.php; * matches anything.
var apiGaps = []struct {
	why      string
	patterns []string
}{
	{"not implemented: clients, coroutine servers, HTTP/2, Event, Process\\Pool, Redis\\Server, name resolvers, Swoole\\Coroutine\\Scheduler; the event objects of event_object", []string{
		`class-absent Swoole\Client*`, `class-absent Swoole\Coroutine\Client`, `class-absent Swoole\Coroutine\Http*`,
		`class-absent Swoole\Coroutine\Socket*`, `class-absent Swoole\Coroutine\Scheduler`, `class-absent Swoole\Coroutine\CanceledException`,
		`class-absent Swoole\Event`, `class-absent Swoole\Http2\*`, `class-absent Swoole\NameResolver\Context`,
		`class-absent Swoole\Process\Pool`, `class-absent Swoole\Redis\Server`,
		`class-absent Swoole\Server\Event`, `class-absent Swoole\Server\Packet`, `class-absent Swoole\Server\PipeMessage`,
		`class-absent Swoole\Server\StatusInfo`, `class-absent Swoole\Server\TaskResult`,
		`function-absent swoole_event_*`, `function-absent swoole_name_resolver_*`, `function-absent swoole_async_*`,
		`function-absent swoole_clear_dns_cache`, `function-absent swoole_client_select`, `function-absent swoole_select`,
		`function-absent swoole_coroutine_socketpair`, `function-absent swoole_get_object*`, `function-absent swoole_get_vm_status`,
		`function-absent swoole_substr_*`, `function-absent swoole_test_kernel_coroutine`, `function-absent swoole_implicit_fn`,
		`function-absent swoole_internal_call_user_shutdown_begin`, `function-absent swoole_get_local_*`, `function-absent swoole_hashcode`,
		`function-absent swoole_errno`, `function-absent swoole_clear_error`, `function-absent swoole_error_log*`, `function-absent swoole_ignore_error`,
		`function-absent swoole_coroutine_create`, `function-absent swoole_coroutine_defer`, `function-absent Co\go`, `function-absent Co\defer`,
		`function-absent Swoole\Coroutine\*`,
		`constant-absent SWOOLE_HTTP2_*`, `constant-absent SWOOLE_HTTP_CLIENT_ESTATUS_*`, `constant-absent SWOOLE_DTLS_*`, `constant-absent SWOOLE_SSL_DTLS`,
	}},
	{"HTTP/2 is not served, so SWOOLE_USE_HTTP2 (true in every Swoole build) would mislead", []string{`constant-absent SWOOLE_USE_HTTP2`}},
	{"methods not implemented yet (docs/COMPATIBILITY.md says which)", []string{
		`method-absent Swoole\Coroutine::*`, `method-absent Swoole\Coroutine\System::*`, `method-absent Swoole\Process::*`,
		`method-absent Swoole\Server::*`, `method-absent Swoole\Server\Port::getSocket`, `method-absent Swoole\Server\Task::pack`,
		`method-absent Swoole\Server\Task::unpack`, `method-absent Swoole\Http\Request::*`, `method-absent Swoole\Http\Response::*`,
		`property-absent Swoole\Server::$stats_timer`, `property-absent Swoole\Server::$admin_server`, `property-absent Swoole\Server::$bootstrap`,
	}},
	{"no __destruct(): nothing to free that PHP does not free itself", []string{`method-absent *::__destruct`}},
	{"Response::cookie()'s object form and header()/trailer() types: php/src/Http/Response.php is being changed by another engineer", []string{
		`param-* Swoole\Http\Response::cookie *`, `param-* Swoole\Http\Response::setCookie *`, `param-* Swoole\Http\Response::rawcookie *`,
		`param-* Swoole\Http\Response::setRawCookie *`, `param-type Swoole\Http\Response::header $value`,
		`param-type Swoole\Http\Response::setHeader $value`, `param-type Swoole\Http\Response::trailer $value`,
	}},
	{"Swoole's internal functions return false where their declared type says otherwise; a PHP function must declare it", []string{
		`method-return Swoole\Server::stats`, `method-return Swoole\Table::incr`, `method-return Swoole\Table::decr`,
		`method-return Swoole\WebSocket\Server::unpack`, `method-return Swoole\WebSocket\Frame::unpack`,
	}},
	{"made by the server with what it needs (Swoole's are made in C: Port's constructor is private, Task has none)", []string{
		`method-kind Swoole\Server\Port::__construct`, `param-extra Swoole\Server\Port::__construct *`, `method-extra Swoole\Server\Task::__construct`,
	}},
	{"the timers' own entry points, called by the event loop", []string{`method-extra Swoole\Timer::*`}},
	{"this project's own version", []string{`constant-extra SWOOLE_SHIM_VERSION`}},
}

// TestPHPAPISurface holds every class, method, parameter (name, type,
// default), property and constant the PHP layer defines against Swoole
// 6.1.9's, so that a signature that drifts from Swoole's fails here unless
// apiGaps says why; a gap that no longer occurs fails too.
func TestPHPAPISurface(t *testing.T) {
	p := php(t, filepath.Join(root, "tests/scripts/api_surface.php"), filepath.Join(root, "tests/testdata/swoole-api.json"))
	if code := p.wait(); code != 0 || p.errOut() != "" {
		t.Fatalf("exit %d, stderr %q", code, p.errOut())
	}
	type gap struct {
		re   *regexp.Regexp
		text string
		used bool
	}
	var gaps []*gap
	for _, g := range apiGaps {
		for _, pat := range g.patterns {
			re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pat), `\*`, ".*") + "$"
			gaps = append(gaps, &gap{re: regexp.MustCompile(re), text: pat})
		}
	}
	lines := strings.Split(strings.TrimSpace(p.out()), "\n")
	if len(lines) < 100 {
		t.Fatalf("only %d differences: is the API table read? %q", len(lines), p.out())
	}
	for _, line := range lines {
		key, _, _ := strings.Cut(line, ": ")
		known := false
		for _, g := range gaps {
			if g.re.MatchString(key) {
				known, g.used = true, true
			}
		}
		if !known {
			t.Errorf("differs from Swoole 6.1.9: %s", line)
		}
	}
	for _, g := range gaps {
		if !g.used {
			t.Errorf("apiGaps lists %q, which no longer differs: remove it", g.text)
		}
	}
}

// TestPHPLibrary: swoole_strerror()'s texts (Swoole's, glibc's), the MIME
// table functions, Swoole\Http\Cookie's Set-Cookie text and its error
// (a warning, false, the cookie reset), Http\Status, Constant, the
// connection iterator only a server makes, getCallback() as registered and
// $server->setting null until set().
func TestPHPLibrary(t *testing.T) {
	p := php(t, filepath.Join(root, "tests/scripts/library.php"))
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	want := "Session not exist\nPHP fatal error\nDNS Lookup resolve failed\nSSL bad client\nCoroutine timedout\n" +
		"Address already in use\nAddress already in use\nUnknown error 9999\nUnknown error 20000\n" +
		"Name or service not known\nUnknown host\nHttp cookie unavailable\n" +
		"string(9) \"text/html\"\nstring(24) \"application/octet-stream\"\nbool(true)\nbool(false)\nbool(true)\n" +
		"string(19) \"application/x-mocha\"\nbool(true)\nbool(false)\nbool(false)\nbool(true)\ntext/x\n" +
		"n=a+b%3Bc; path=/p; domain=example.com; secure; HttpOnly; SameSite=Lax; Priority=High; Partitioned\n" +
		"n=a%20b\nn=deleted; expires=Thu, 01-Jan-1970 00:00:01 GMT; Max-Age=0\n" +
		"n=v; expires=Thu, 01-Jan-1970 00:00:01 GMT; Max-Age=0\nbool(false)\narray(11) {\n"
	if got := p.out(); !strings.HasPrefix(got, want) ||
		!strings.HasSuffix(got, "Request Time-out Unknown enable_static_handler\n"+
			"Error: please use the Swoole\\Server->connections\n"+
			"string(8) \"var_dump\"\nbool(true)\nNULL\n{\"worker_num\":1}\n") ||
		!strings.Contains(got, "[\"name\"]=>\n  string(0) \"\"\n") {
		t.Errorf("got:\n%s", got)
	}
	if !strings.Contains(p.errOut(), `Swoole\Http\Cookie::toString(): The value cannot contain ",", ";", " ",`) {
		t.Errorf("stderr: %q", p.errOut())
	}
}
