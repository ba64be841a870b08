package core

import (
	"strings"

	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/phpser"
	"github.com/swoole-shim/swoole-shim/core/swlog"
)

// PHP's max_input_vars bounds what one request may make the script build,
// as Swoole applies it: the cookies, the query string's and an urlencoded
// body's variables, a multipart body's part headers. Each parse below is
// one pass over its input, and stops at the limit.

// defaultMaxInputVars is PHP's default max_input_vars.
const defaultMaxInputVars = 1000

// SetMaxInputVars sets the running PHP's max_input_vars (the PHP layer
// reads its ini); n < 1 keeps the default.
func (s *Server) SetMaxInputVars(n int) {
	if n < 1 {
		n = defaultMaxInputVars
	}
	s.opts.MaxInputVars = n
}

// inputVars bounds a request's cookies (the Cookie headers' values), its
// query string and an urlencoded body by max_input_vars: it returns the
// cookies, and the bytes of the query and of the body that hold the
// variables to parse. Each that goes past the limit logs Swoole's line
// (swoole_php_treat_data()'s).
func (s *Server) inputVars(req *http1.Request, cookie []string) (cookies phpser.Pairs, getLen, postLen int) {
	max := s.opts.MaxInputVars
	cookies, cookiesExceeded := parseCookies(cookie, max)
	getLen, getExceeded := varsPrefix(req.Query, max)
	postLen = len(req.Body)
	var postExceeded bool
	if ct, _ := req.Get("content-type"); len(ct) >= 33 && strings.EqualFold(ct[:33], "application/x-www-form-urlencoded") {
		postLen, postExceeded = varsPrefix(string(req.Body), max)
	}
	for _, exceeded := range []bool{getExceeded, cookiesExceeded, postExceeded} {
		if exceeded {
			s.log.Logf(swlog.Warning, "swoole_php_treat_data(): Input variables exceeded %d. To increase the limit change max_input_vars in php.ini.", max)
		}
	}
	return cookies, getLen, postLen
}

// parseCookies splits Cookie headers into pairs as PHP does for $_COOKIE:
// ";"-separated, leading white space dropped, a pair without a name
// skipped, the value raw-URL-decoded, the first of a name kept. It stops
// after max pairs and reports whether there were more.
func parseCookies(values []string, max int) (out phpser.Pairs, exceeded bool) {
	seen := map[string]bool{}
	count := 0
	for _, v := range values {
		for part := range strings.SplitSeq(v, ";") {
			part = strings.TrimLeft(part, " \t\n\v\f\r")
			if part == "" || part[0] == '=' {
				continue
			}
			if count++; count > max {
				return out, true
			}
			name, value, _ := strings.Cut(part, "=")
			if !seen[name] {
				seen[name] = true
				out = append(out, phpser.Pair{Key: name, Value: rawURLDecode(value)})
			}
		}
	}
	return out, false
}

// varsPrefix returns how many bytes of an "&"-separated query hold its
// first max variables (empty ones are not variables, as for PHP's
// parse_str()), and whether more follow.
func varsPrefix(query string, max int) (n int, exceeded bool) {
	count := 0
	for i := 0; i < len(query); {
		end := strings.IndexByte(query[i:], '&')
		if end < 0 {
			end = len(query)
		} else {
			end += i
		}
		if end > i {
			if count++; count > max {
				return n, true
			}
			n = end
		}
		i = end + 1
	}
	return len(query), false
}

// rawURLDecode is PHP's rawurldecode(): %XX sequences become their byte,
// anything else (a lone '%', '+') stays.
func rawURLDecode(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
