//go:build linux

package reactor

import (
	"errors"
	"net"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	errAgain = unix.EAGAIN
	errIntr  = unix.EINTR
)

// rawRead and rawWrite are read(2) and write(2) on non-blocking sockets,
// which never block: raw system calls, like spin's.
func rawRead(fd int, b []byte) (int, error) {
	n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

func rawWrite(fd int, b []byte) (int, error) {
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

// sendfile sends up to n bytes of f from *off to the socket fd, advancing
// *off; it never blocks on the socket (non-blocking), only on the disk.
func sendfile(fd int, f *os.File, off *int64, n int64) (int, error) {
	return unix.Sendfile(fd, int(f.Fd()), off, int(n))
}

// openFile opens a file to send, refusing a symbolic link.
func openFile(name string) (*os.File, error) {
	fd, err := unix.Open(name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), name), nil
}

// CloseFD closes a descriptor, such as a socket Accept returned that the
// caller turns away.
func CloseFD(fd int) { unix.Close(fd) }

func closeFD(fd int) {
	if fd >= 0 {
		unix.Close(fd)
	}
}

func pipe(p *[2]int) error { return unix.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC) }

var wakeByte = []byte{1}

// Wake makes Poll return, from any goroutine; Woken reports it.
func (r *Reactor) Wake() { unix.Write(r.wake[1], wakeByte) }

// drainWake empties the wake-up pipe.
func (r *Reactor) drainWake() {
	var b [64]byte
	for {
		if n, _ := unix.Read(r.wake[0], b[:]); n <= 0 {
			return
		}
	}
}

// Listen makes a listening TCP socket as Swoole does (SO_REUSEADDR,
// non-blocking) and watches it. It returns the socket and the port bound
// (for port 0), or the errno of the step that failed, with the socket's
// number for the caller's log line (-1 if none was made; closed by then).
func (r *Reactor) Listen(host string, port, backlog int) (fd, bound int, err error) {
	ip := net.ParseIP(host)
	if ip == nil {
		addr, rerr := net.ResolveIPAddr("ip", host)
		if rerr != nil {
			return -1, 0, unix.EINVAL
		}
		ip = addr.IP
	}
	family := unix.AF_INET
	var sa unix.Sockaddr
	if ip4 := ip.To4(); ip4 != nil {
		a := &unix.SockaddrInet4{Port: port}
		copy(a.Addr[:], ip4)
		sa = a
	} else {
		family = unix.AF_INET6
		a := &unix.SockaddrInet6{Port: port}
		copy(a.Addr[:], ip.To16())
		sa = a
	}
	fd, err = unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, 0, err
	}
	if err = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err == nil {
		err = unix.Bind(fd, sa)
	}
	if err == nil {
		err = unix.Listen(fd, backlog)
	}
	var local unix.Sockaddr
	if err == nil {
		local, err = unix.Getsockname(fd)
	}
	if err == nil {
		err = r.add(fd, pollRead)
	}
	if err != nil {
		unix.Close(fd)
		return fd, 0, err
	}
	_, bound = peer(local)
	r.listeners = append(r.listeners, fd)
	return fd, bound, nil
}

// Adopt watches a listening socket made elsewhere (a process that forked
// this one made it, before any Go ran) as Listen's own, and returns the
// port it is bound to.
func (r *Reactor) Adopt(fd int) (bound int, err error) {
	local, err := unix.Getsockname(fd)
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	if err == nil {
		err = r.add(fd, pollRead)
	}
	if err != nil {
		return 0, err
	}
	_, bound = peer(local)
	r.listeners = append(r.listeners, fd)
	return bound, nil
}

// Watch adds a datagram socket to the poll set (see Receive).
func (r *Reactor) Watch(fd int) error { return r.add(fd, pollRead) }

// Receive reads the next datagram waiting on a watched socket into buf
// without blocking; n is -1 when none is waiting.
func Receive(fd int, buf []byte) (n int, err error) {
	for {
		n, _, err = unix.Recvfrom(fd, buf, unix.MSG_DONTWAIT)
		switch err {
		case nil:
			return n, nil
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return -1, nil
		default:
			return -1, err
		}
	}
}

// Accept takes a connection waiting on the listening socket lfd:
// non-blocking, close-on-exec, with TCP_NODELAY, and its peer's address.
// It returns fd -1 and no error when none is waiting; a failure is an
// errno (unix.Errno, which is syscall.Errno). When descriptors have run
// out it pauses accepting (PauseAccepting).
func (r *Reactor) Accept(lfd int) (fd int, ip string, port int, err error) {
	for {
		fd, sa, err := unix.Accept4(lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		switch err {
		case nil:
		case unix.EINTR, unix.ECONNABORTED:
			continue
		case unix.EAGAIN:
			return -1, "", 0, nil
		case unix.EMFILE, unix.ENFILE:
			r.PauseAccepting()
		}
		if err != nil {
			return -1, "", 0, err
		}
		unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		ip, port = peer(sa)
		return fd, ip, port, nil
	}
}

// OutOfDescriptors reports whether err says that the process or the
// system has no descriptor left (EMFILE, ENFILE).
func OutOfDescriptors(err error) bool {
	return errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE)
}

// peer returns an address as Swoole shows it.
func peer(sa unix.Sockaddr) (string, int) {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return net.IP(a.Addr[:]).String(), a.Port
	case *unix.SockaddrInet6:
		return net.IP(a.Addr[:]).String(), a.Port
	}
	return "", 0
}
