import CTallySystem
import Glibc

/// Thin wrappers over the socket calls that the server and client share.
public enum Socket {
    /// Opens a TCP listener on `address` with SO_REUSEADDR and SO_REUSEPORT, so
    /// several event loops can each listen on the same port.
    public static func listen(on address: SocketAddress, backlog: Int32 = 1024) throws(SocketError) -> Int32 {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket()", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = address.storage
        let bound = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, address.length) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw .system("bind(\(address))", errno: code)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw .system("listen(\(address))", errno: code)
        }
        guard tally_set_nonblocking(fd) == 0 else {
            let code = errno
            close(fd)
            throw .system("fcntl(O_NONBLOCK)", errno: code)
        }
        return fd
    }

    /// Returns the address a socket is bound to, for example the port picked for port 0.
    public static func localAddress(of fd: Int32) throws(SocketError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw .system("getsockname()", errno: errno) }
        return SocketAddress(storage: storage, length: length)
    }

    /// Accepts one pending connection as a non-blocking socket; nil when none is pending.
    public static func accept(from listener: Int32) throws(SocketError) -> (fd: Int32, peer: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                tally_accept(listener, $0, &length)
            }
        }
        if fd < 0 {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR || code == ECONNABORTED {
                return nil
            }
            throw .system("accept4()", errno: code)
        }
        setNoDelay(fd)
        return (fd, SocketAddress(storage: storage, length: length))
    }

    /// Connects a blocking TCP socket to `address`, with TCP_NODELAY set.
    public static func connect(to address: SocketAddress) throws(SocketError) -> Int32 {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket()", errno: errno) }
        var storage = address.storage
        let status = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        guard status == 0 else {
            let code = errno
            close(fd)
            throw .system("connect()", errno: code)
        }
        setNoDelay(fd)
        return fd
    }

    /// Writes all of `bytes` to a blocking socket.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SocketError) {
        var offset = 0
        while offset < bytes.count {
            let written = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if written < 0 {
                if errno == EINTR { continue }
                throw .system("send()", errno: errno)
            }
            offset += written
        }
    }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
}
