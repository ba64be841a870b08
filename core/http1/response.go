package http1

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ServerName is the Server header Swoole sends.
const ServerName = "swoole-http-server"

// ErrHeaderValue rejects an empty header name.
var ErrHeaderValue = errors.New("header name is empty")

// Swoole's warnings for a header name or value that would split the
// response (swoole_http_has_crlf()); the value is left out of the head.
var (
	ErrHeaderNewLine = errors.New("Header may not contain more than a single header, new line detected")
	ErrHeaderNUL     = errors.New("Header may not contain NUL bytes")
)

// Response collects what a request callback sets before the head is sent.
type Response struct {
	Status    int    // 0 until status() is called; sent as 200
	Reason    string // "" for the table's phrase
	Header    []Header
	Cookies   []string // Set-Cookie values
	KeepAlive bool
	Head      bool // answering HEAD: no body bytes
	// Upgrade marks a WebSocket handshake's answer: as in Swoole, its head
	// ends after Date (no Connection, Content-Type or Content-Length).
	Upgrade bool
	// Encoding names the body's compression: Content-Encoding.
	Encoding string
	// Dropped has a warning for each header value AppendHead left out.
	Dropped []error
}

// ContentType is the Content-Type the response will carry.
func (r *Response) ContentType() string {
	if i := r.index("Content-Type"); i >= 0 {
		return r.Header[i].Value
	}
	return "text/html"
}

// NewResponse returns the response to req.
func NewResponse(req *Request) *Response {
	return &Response{KeepAlive: req.KeepAlive, Head: req.Method == "HEAD"}
}

// AddCookie adds a Set-Cookie header, unless c fails Check().
func (r *Response) AddCookie(c *Cookie) error {
	if err := c.Check(); err != nil {
		return err
	}
	r.Cookies = append(r.Cookies, c.String())
	return nil
}

// FormatName writes a header name as Swoole's header() does by default:
// "content-type" -> "Content-Type".
func FormatName(name string) string {
	b := []byte(strings.ToLower(name))
	upper := true
	for i, c := range b {
		if upper && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		upper = c == '-'
	}
	return string(b)
}

// SetHeader sets name to value, replacing the headers of the same name
// (compared case-insensitively) at the first one's place, or, with add,
// adding one more. As in Swoole, trailing white space (CR and LF
// included) is trimmed from the value, and a name that would split the
// response is refused.
func (r *Response) SetHeader(name, value string, format, add bool) error {
	if name == "" {
		return ErrHeaderValue
	}
	if err := CheckHeader(name); err != nil {
		return err
	}
	if format {
		name = FormatName(name)
	}
	value = strings.TrimRight(value, " \t\n\v\f\r")
	if i := r.index(name); i >= 0 && !add {
		rest := slices.DeleteFunc(r.Header[i+1:], func(h Header) bool { return strings.EqualFold(h.Name, name) })
		r.Header = append(r.Header[:i], Header{name, value})
		r.Header = append(r.Header, rest...)
		return nil
	}
	r.Header = append(r.Header, Header{name, value})
	return nil
}

// CheckHeader is Swoole's check of a header name or value: no CR, LF or
// NUL, so that it stays one header line.
func CheckHeader(s string) error {
	i := strings.IndexAny(s, "\r\n\x00")
	switch {
	case i < 0:
		return nil
	case s[i] == 0:
		return ErrHeaderNUL
	}
	return ErrHeaderNewLine
}

// ValidReason reports whether a reason phrase may go on the status line:
// RFC 9112 allows HTAB, SP, visible characters and obs-text, so never CR
// or LF.
func ValidReason(reason string) bool {
	for i := 0; i < len(reason); i++ {
		if c := reason[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func (r *Response) index(name string) int {
	return slices.IndexFunc(r.Header, func(h Header) bool { return strings.EqualFold(h.Name, name) })
}

// DelHeader removes the headers called name.
func (r *Response) DelHeader(name string) {
	r.Header = slices.DeleteFunc(r.Header, func(h Header) bool { return strings.EqualFold(h.Name, name) })
}

// has reports whether the script set the header; set to "", it is not
// sent at all, default included.
func (r *Response) has(name string) bool { return r.index(name) >= 0 }

// statusText is Swoole's reason phrase table; it differs from net/http's
// in places ("413 Payload Too Large", "306 (Unused)").
var statusText = map[int]string{
	100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
	200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information",
	204: "No Content", 205: "Reset Content", 206: "Partial Content", 207: "Multi-Status",
	208: "Already Reported", 226: "IM Used", 300: "Multiple Choices", 301: "Moved Permanently",
	302: "Found", 303: "See Other", 304: "Not Modified", 305: "Use Proxy", 306: "(Unused)",
	307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request",
	401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
	405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
	408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required",
	412: "Precondition Failed", 413: "Payload Too Large", 414: "URI Too Long",
	415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
	418: "I'm a teapot", 421: "Misdirected Request", 422: "Unprocessable Entity", 423: "Locked",
	424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required",
	428: "Precondition Required", 429: "Too Many Requests",
	431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
	503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
	506: "Variant Also Negotiates", 507: "Insufficient Storage", 508: "Loop Detected",
	510: "Not Extended", 511: "Network Authentication Required",
}

// StatusText is Swoole's reason phrase for code: status 0 is "200 OK"'s,
// a code outside the table is "Unknown Status".
func StatusText(code int) string {
	if code == 0 {
		code = 200
	}
	if t, ok := statusText[code]; ok {
		return t
	}
	return "Unknown Status"
}

// Date formats t as the Date header does.
func Date(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// AppendHead appends the status line and headers in Swoole's order: the
// script's headers, cookies, then the defaults it did not set. bodyLen < 0
// means chunked.
func (r *Response) AppendHead(dst []byte, bodyLen int, now time.Time) []byte {
	code, reason := r.Status, r.Reason
	if code == 0 {
		code = 200
	}
	if reason == "" || !ValidReason(reason) {
		reason = StatusText(code)
	}
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(code), 10)
	dst = append(dst, ' ')
	dst = append(dst, reason...)
	dst = append(dst, "\r\n"...)
	r.Dropped = r.Dropped[:0]
	for _, h := range r.Header {
		// As Swoole: a value with CR, LF or NUL is left out with a
		// warning, never sent (no response splitting); "" suppresses the
		// header.
		if err := CheckHeader(h.Value); err != nil {
			r.Dropped = append(r.Dropped, err)
		} else if h.Value != "" {
			dst = appendHeader(dst, h.Name, h.Value)
		}
	}
	for _, c := range r.Cookies {
		dst = appendHeader(dst, "Set-Cookie", c)
	}
	if !r.has("Server") {
		dst = appendHeader(dst, "Server", ServerName)
	}
	if !r.has("Date") {
		dst = appendHeader(dst, "Date", Date(now))
	}
	if r.Upgrade {
		return append(dst, "\r\n"...)
	}
	if !r.has("Connection") {
		if r.KeepAlive {
			dst = appendHeader(dst, "Connection", "keep-alive")
		} else {
			dst = appendHeader(dst, "Connection", "close")
		}
	}
	if !r.has("Content-Type") {
		dst = appendHeader(dst, "Content-Type", "text/html")
	}
	switch {
	case bodyLen < 0:
		dst = appendHeader(dst, "Transfer-Encoding", "chunked")
	case r.Head && bodyLen == 0:
	default:
		if r.Encoding != "" {
			dst = appendHeader(dst, "Content-Encoding", r.Encoding)
		}
		if !r.has("Content-Length") {
			dst = appendHeader(dst, "Content-Length", strconv.Itoa(bodyLen))
		}
	}
	return append(dst, "\r\n"...)
}

func appendHeader(dst []byte, name, value string) []byte {
	dst = append(dst, name...)
	dst = append(dst, ": "...)
	dst = append(dst, value...)
	return append(dst, "\r\n"...)
}

// Cookie is one Set-Cookie, with the attributes of Swoole's cookie().
type Cookie struct {
	Name, Value        string
	Expires            int64 // Unix time; 0 = session cookie
	Path, Domain       string
	Secure, HTTPOnly   bool
	SameSite, Priority string
	Partitioned, Raw   bool
}

// illegalCookie are the characters Swoole refuses in a cookie's name, raw
// value, path and domain, and illegalCookieList how its warnings list them.
const (
	illegalCookie     = ",; \t\r\n\013\014"
	illegalCookieList = `",", ";", " ", "\t", "\r", "\n", "\013", or "\014"`
)

// maxCookieExpires is the first second of the year 10000.
const maxCookieExpires = 253402300800

// Check refuses, with Swoole's warning, a cookie whose name, raw value,
// path or domain holds a character that could end the Set-Cookie header
// or the attribute, or whose expiry is past the year 9999.
func (c *Cookie) Check() error {
	switch {
	case c.Name == "":
		return errors.New("The name cannot be empty")
	case strings.ContainsAny(c.Name, "="+illegalCookie):
		return errors.New(`The name cannot contain "=", ` + illegalCookieList)
	case c.Value == "":
	case c.Raw && strings.ContainsAny(c.Value, illegalCookie):
		return errors.New("The value cannot contain " + illegalCookieList)
	case c.Expires >= maxCookieExpires:
		return errors.New("The expires cannot have a year greater than 9999")
	}
	if strings.ContainsAny(c.Path, illegalCookie) {
		return errors.New("The path option cannot contain " + illegalCookieList)
	}
	if strings.ContainsAny(c.Domain, illegalCookie) {
		return errors.New("The domain option cannot contain " + illegalCookieList)
	}
	return nil
}

// String formats c as Swoole's cookie() and rawcookie() do. An empty value
// deletes the cookie, as PHP's setcookie() does. Check it first.
func (c *Cookie) String() string {
	var b strings.Builder
	b.WriteString(c.Name)
	b.WriteByte('=')
	switch {
	case c.Value == "":
		b.WriteString("deleted; expires=Thu, 01-Jan-1970 00:00:01 GMT; Max-Age=0")
	case c.Raw:
		b.WriteString(c.Value)
	default:
		b.WriteString(urlencode(c.Value))
	}
	if c.Value != "" && c.Expires > 0 {
		b.WriteString("; expires=")
		b.WriteString(time.Unix(c.Expires, 0).UTC().Format("Mon, 02-Jan-2006 15:04:05 GMT"))
		maxAge := c.Expires - time.Now().Unix()
		if maxAge < 0 {
			maxAge = 0
		}
		b.WriteString("; Max-Age=")
		b.WriteString(strconv.FormatInt(maxAge, 10))
	}
	for _, a := range []struct{ name, value string }{{"path", c.Path}, {"domain", c.Domain}} {
		if a.value != "" {
			b.WriteString("; " + a.name + "=" + a.value)
		}
	}
	if c.Secure {
		b.WriteString("; secure")
	}
	if c.HTTPOnly {
		b.WriteString("; HttpOnly")
	}
	if c.SameSite != "" {
		b.WriteString("; SameSite=" + c.SameSite)
	}
	if c.Priority != "" {
		b.WriteString("; Priority=" + c.Priority)
	}
	if c.Partitioned {
		b.WriteString("; Partitioned")
	}
	return b.String()
}

// urlencode is PHP's urlencode(): letters, digits and "-_." stay, a space
// becomes '+', every other byte %XX.
func urlencode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// AppendChunk appends one chunk of a chunked body; an empty p is the last
// chunk.
func AppendChunk(dst, p []byte) []byte {
	dst = strconv.AppendInt(dst, int64(len(p)), 16)
	dst = append(dst, "\r\n"...)
	dst = append(dst, p...)
	return append(dst, "\r\n"...)
}

// BadRequestPage is the answer of a server without a Request callback to a
// plain HTTP request (reference §1), sent before the connection is closed.
const BadRequestPage = "HTTP/1.1 400 Bad Request\r\n" +
	"Connection: close\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"Cache-Control: must-revalidate,no-cache,no-store\r\n" +
	"Content-Length: 83\r\n" +
	"Server: " + ServerName + "\r\n" +
	"\r\n" +
	"<html><body><h2>HTTP 400 Bad Request</h2><hr><i>Powered by Swoole</i></body></html>"

// BareBadRequest answers a request the parser rejected.
const BareBadRequest = "HTTP/1.1 400 Bad Request\r\n\r\n"
