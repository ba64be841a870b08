package core

import (
	"crypto/tls"
	"io"
	"net"
	"os"
	"slices"
	"syscall"
	"time"

	"github.com/swoole-shim/swoole-shim/core/swlog"
)

// TLS (SWOOLE_SSL): crypto/tls has no non-blocking API, so a TLS
// connection gets two goroutines that decrypt and encrypt, relaying the
// plain bytes through a socket pair whose other end the event loop reads
// and writes like any connection. HTTPS and WSS share the port, as in
// Swoole, since the loop only sees HTTP and frames.

// tlsHandshakeTimeout bounds a client's TLS handshake.
const tlsHandshakeTimeout = 30 * time.Second

// EnableTLS makes the constructor's port speak TLS (SWOOLE_SSL) with the
// certificate and key that ssl_cert_file and ssl_key_file name, loaded at
// start.
func (s *Server) EnableTLS() { s.listeners[0].ssl = true }

// loadTLS reads the certificate of the SWOOLE_SSL ports, if any.
func (s *Server) loadTLS() error {
	if !slices.ContainsFunc(s.listeners, func(l *listener) bool { return l.ssl }) {
		return nil
	}
	if s.opts.SSLCertFile == "" || s.opts.SSLKeyFile == "" {
		return &Error{ErrnoInvalidState, "ssl_cert_file and ssl_key_file are required with SWOOLE_SSL"}
	}
	cert, err := tls.LoadX509KeyPair(s.opts.SSLCertFile, s.opts.SSLKeyFile)
	if err != nil {
		return &Error{ErrnoInvalidState, "cannot load the SSL certificate: " + err.Error()}
	}
	s.tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}}
	return nil
}

// terminateTLS takes an accepted TLS socket and returns the plain socket
// the event loop is to use instead.
func (s *Server) terminateTLS(sock int) (int, error) {
	pair, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		syscall.Close(sock)
		return -1, err
	}
	raw, err := fileConn(sock)
	if err != nil {
		syscall.Close(pair[0])
		syscall.Close(pair[1])
		return -1, err
	}
	plain, err := fileConn(pair[1])
	if err != nil {
		raw.Close()
		syscall.Close(pair[0])
		return -1, err
	}
	if err := syscall.SetNonblock(pair[0], true); err != nil {
		raw.Close()
		plain.Close()
		syscall.Close(pair[0])
		return -1, err
	}
	go s.relayTLS(tls.Server(raw, s.tlsConfig), plain)
	return pair[0], nil
}

// relayTLS copies between the TLS connection and the loop's socket until
// either side ends.
func (s *Server) relayTLS(conn *tls.Conn, plain net.Conn) {
	defer conn.Close()
	defer plain.Close()
	conn.SetDeadline(time.Now().Add(tlsHandshakeTimeout))
	if err := conn.Handshake(); err != nil {
		s.log.Logf(swlog.Notice, "SSL handshake failed with %s: %v", conn.RemoteAddr(), err)
		return
	}
	conn.SetDeadline(time.Time{})
	done := make(chan struct{}, 2)
	copyHalf := func(dst, src net.Conn) {
		io.Copy(dst, src)
		done <- struct{}{}
	}
	go copyHalf(plain, conn)
	go copyHalf(conn, plain)
	<-done
}

// fileConn turns a socket into a net.Conn, which owns it from then on.
func fileConn(fd int) (net.Conn, error) {
	f := os.NewFile(uintptr(fd), "socket")
	defer f.Close() // FileConn keeps a duplicate
	return net.FileConn(f)
}
