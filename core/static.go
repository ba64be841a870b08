package core

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/swoole-shim/swoole-shim/core/http1"
	"github.com/swoole-shim/swoole-shim/core/mimetype"
)

// The static handler (enable_static_handler, document_root): files are
// answered before onRequest, with Swoole's headers in Swoole's order.
// Unlike Swoole, no path ever leaves document_root: "..", encoded dots and
// symbolic links that point outside are all refused.

// page404 is Swoole's 404 page (SW_HTTP_PAGE_404).
const page404 = "<html><body>" + pageCSS + "<h1>HTTP 404 Not Found</h1>" + poweredBy + "</body></html>"

// pageCSS and poweredBy are Swoole's for the pages its static handler
// makes (SW_HTTP_PAGE_CSS, SW_HTTP_POWER_BY).
const (
	pageCSS = "<style> body { padding: 0.5em; line-height: 2; } " +
		"h1 { font-size: 1.5em; padding-bottom: 0.3em; border-bottom: 1px solid #ccc; } " +
		"ul { list-style-type: disc; } footer { border-top: 1px solid #ccc; } a { color: #0969da; } </style>"
	poweredBy = "<footer><i>Powered by Swoole</i></footer>"
)

// serveStatic answers req from document_root if the static handler takes
// it, and reports whether it did.
func (s *Server) serveStatic(sess *Session, req *http1.Request) bool {
	root := s.opts.DocumentRoot
	if !s.opts.StaticHandler || root == "" {
		return false
	}
	target, _, _ := strings.Cut(req.Path, "#")
	located := false
	if len(s.opts.StaticLocations) > 0 {
		for _, l := range s.opts.StaticLocations {
			located = located || len(target) >= len(l) && strings.EqualFold(target[:len(l)], l)
		}
		if !located {
			return false
		}
	}
	decoded, err := url.PathUnescape(target)
	if err != nil {
		return s.staticMissing(sess, req, located)
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return false
	}
	name, err := filepath.EvalSymlinks(filepath.Join(realRoot, path.Clean("/"+decoded)))
	if err != nil || (name != realRoot && !strings.HasPrefix(name, realRoot+string(filepath.Separator))) {
		return s.staticMissing(sess, req, located)
	}
	info, err := os.Stat(name)
	if err != nil {
		return s.staticMissing(sess, req, located)
	}
	if info.IsDir() {
		for _, index := range s.opts.IndexFiles {
			if fi, err := os.Stat(filepath.Join(name, index)); err == nil && !fi.IsDir() {
				name, info = filepath.Join(name, index), fi
				break
			}
		}
		if info.IsDir() {
			if !s.opts.AutoIndex {
				return false
			}
			s.staticReply(sess, req, "200 OK", "text/html", "", info.ModTime(), autoIndex(name, target), nil)
			return true
		}
	}
	if !located && !mimetype.Exists(name) {
		return false
	}
	mimeType := mimetype.Get(name)
	if ims, ok := req.Get("if-modified-since"); ok {
		if t, err := http.ParseTime(ims); err == nil && t.Unix() == info.ModTime().Unix() {
			s.staticNotModified(sess, req, info.ModTime())
			return true
		}
	}
	if info, err = readableFile(name); err != nil {
		return s.staticMissing(sess, req, located)
	}
	// The file is sent as the socket takes it (sendfile), never read
	// into memory: only the range asked is read.
	size := info.Size()
	file := &fileBody{name: name, end: size}
	status, extra := "200 OK", "Accept-Ranges: bytes\r\n"
	if from, to, ok := parseRange(req, size); ok {
		status = "206 Partial Content"
		extra = fmt.Sprintf("Content-Range: bytes %d-%d/%d\r\n", from, to, size)
		file.off, file.end = from, to+1
	}
	s.staticReply(sess, req, status, mimeType, extra, info.ModTime(), nil, file)
	return true
}

// parseRange reads a single "bytes=a-b" range (or "a-", or "-n").
func parseRange(req *http1.Request, size int64) (from, to int64, ok bool) {
	spec, found := req.Get("range")
	spec, isBytes := strings.CutPrefix(spec, "bytes=")
	if !found || !isBytes || strings.Contains(spec, ",") || size == 0 {
		return 0, 0, false
	}
	a, b, _ := strings.Cut(strings.TrimSpace(spec), "-")
	var err error
	switch {
	case a == "":
		n, e := strconv.ParseInt(b, 10, 64)
		from, to, err = max(size-n, 0), size-1, e
	case b == "":
		from, err = strconv.ParseInt(a, 10, 64)
		to = size - 1
	default:
		from, err = strconv.ParseInt(a, 10, 64)
		if err == nil {
			to, err = strconv.ParseInt(b, 10, 64)
		}
		to = min(to, size-1)
	}
	return from, to, err == nil && from >= 0 && from <= to && from < size
}

// staticKeepAlive is Swoole's static handler's rule: the connection stays
// open only when the request says "Connection: keep-alive" itself (an
// HTTP/1.1 request without the header is closed after the file), as its
// parser sets keep_alive from that header alone.
func staticKeepAlive(req *http1.Request) bool {
	v, _ := req.Get("connection")
	return req.KeepAlive && strings.EqualFold(strings.TrimSpace(v), "keep-alive")
}

func connectionValue(req *http1.Request) string {
	if staticKeepAlive(req) {
		return "keep-alive"
	}
	return "close"
}

// staticReply sends an index page (body) or a file with the static
// handler's head.
func (s *Server) staticReply(sess *Session, req *http1.Request, status, mimeType, extra string, mod time.Time, body []byte, file *fileBody) {
	length := len(body) + file.len()
	if req.Method == "HEAD" {
		length, body, file = 0, nil, nil
	}
	head := "HTTP/1.1 " + status + "\r\nConnection: " + connectionValue(req) + "\r\n" +
		"Content-Length: " + strconv.Itoa(length) + "\r\nContent-Type: " + mimeType + "\r\n" + extra +
		"Date: " + http1.Date(time.Now()) + "\r\nLast-Modified: " + http1.Date(mod) + "\r\n" +
		"Server: " + http1.ServerName + "\r\n\r\n"
	s.emit(sess, &Event{Type: eventWrite, Data: append([]byte(head), body...), body: file})
	s.afterStatic(sess, req)
}

func (s *Server) staticNotModified(sess *Session, req *http1.Request, mod time.Time) {
	s.emitWrite(sess, []byte("HTTP/1.1 304 Not Modified\r\nConnection: "+connectionValue(req)+"\r\n"+
		"Date: "+http1.Date(time.Now())+"\r\nLast-Modified: "+http1.Date(mod)+"\r\n"+
		"Server: "+http1.ServerName+"\r\n\r\n"))
	s.afterStatic(sess, req)
}

// staticMissing answers 404 for a path under static_handler_locations;
// other misses go on to onRequest.
func (s *Server) staticMissing(sess *Session, req *http1.Request, located bool) bool {
	if !located {
		return false
	}
	s.emitWrite(sess, []byte("HTTP/1.1 404 Not Found\r\nServer: "+http1.ServerName+"\r\n"+
		"Content-Length: "+strconv.Itoa(len(page404))+"\r\n\r\n"+page404))
	s.afterStatic(sess, req)
	return true
}

func (s *Server) afterStatic(sess *Session, req *http1.Request) {
	if !staticKeepAlive(req) {
		s.closeByPeer(sess, -1, "", nil)
	}
}

// autoIndex lists a directory (http_autoindex) as Swoole's handler does:
// its entries by name, ".." but at the root, with Swoole's style; names
// are escaped and links quoted (Swoole writes them as they are, so a
// file's name could inject markup).
func autoIndex(dir, urlPath string) []byte {
	entries, _ := os.ReadDir(dir)
	names := make([]string, 0, len(entries)+1)
	if urlPath != "/" {
		names = append(names, "..")
	}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	if !strings.HasSuffix(urlPath, "/") {
		urlPath += "/"
	}
	var b strings.Builder
	b.WriteString("<html>\n<head>\n\t<meta charset='UTF-8'>\n<title>Index of " + html.EscapeString(urlPath) + "</title>")
	b.WriteString("</head>\n<body>\n" + pageCSS + "<h1>Index of " + html.EscapeString(urlPath) + "</h1>\t<ul>\n")
	for _, n := range names {
		b.WriteString("\t\t<li><a href=\"" + html.EscapeString(urlPath+n) + "\">" + html.EscapeString(n) + "</a></li>\n")
	}
	b.WriteString("\t</ul>\n" + poweredBy + "</body>\n</html>\n")
	return []byte(b.String())
}
