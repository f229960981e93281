import CTallySystem
import Glibc

/// A resolved IPv4 or IPv6 socket address with its original `HOST:PORT` text.
public struct SocketAddress: Sendable, CustomStringConvertible {
    /// The address as `sockaddr_storage` bytes.
    let storage: sockaddr_storage
    let length: socklen_t

    public var family: Int32 { Int32(storage.ss_family) }

    /// The numeric form, such as `127.0.0.1:7600` or `[::1]:7600`.
    public var description: String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        var copy = storage
        let status = withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                getnameinfo(address, length, &host, socklen_t(host.count), &service, socklen_t(service.count),
                            NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard status == 0 else { return "<unprintable address>" }
        let hostText = String(nulTerminated: host)
        let serviceText = String(nulTerminated: service)
        return family == AF_INET6 ? "[\(hostText)]:\(serviceText)" : "\(hostText):\(serviceText)"
    }

    /// The port in host byte order.
    public var port: UInt16 {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    /// True for 127.0.0.0/8 and ::1.
    public var isLoopback: Bool {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    let bytes = withUnsafeBytes(of: address.pointee.sin6_addr) { Array($0) }
                    return bytes == [UInt8](repeating: 0, count: 15) + [1]
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                UInt32(bigEndian: address.pointee.sin_addr.s_addr) >> 24 == 127
            }
        }
    }

    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// Resolves `HOST:PORT` (`[v6]:PORT` for IPv6 literals) to its first address.
    ///
    /// - Throws: `SocketError` naming the text when it has no port, the port is
    ///   not 0...65535, or the host does not resolve.
    public static func resolve(_ text: String) throws(SocketError) -> SocketAddress {
        let (host, port) = try split(text)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            let reason = String(validatingCString: gai_strerror(status)) ?? "error \(status)"
            throw SocketError("cannot resolve host \"\(host)\" in \"\(text)\": \(reason)")
        }
        defer { freeaddrinfo(result) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        return SocketAddress(storage: storage, length: first.pointee.ai_addrlen)
    }

    static func split(_ text: String) throws(SocketError) -> (host: String, port: UInt16) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw SocketError("invalid address \"\(text)\": expected [IPv6]:PORT, such as [::1]:7600")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw SocketError("invalid address \"\(text)\": expected HOST:PORT, such as 127.0.0.1:7600")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else {
            throw SocketError("invalid address \"\(text)\": the host is empty")
        }
        guard let port = UInt16(portText) else {
            throw SocketError("invalid address \"\(text)\": port \"\(portText)\" is not a number from 0 to 65535")
        }
        return (String(host), port)
    }
}

/// A failed socket operation, with the operation, the address and the system's reason.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// Creates an error for a failed system call, adding `strerror(errno)` and the errno name.
    public static func system(_ operation: String, errno code: Int32) -> SocketError {
        let reason = String(validatingCString: strerror(code)) ?? "unknown error"
        return SocketError("\(operation) failed: \(reason) (errno \(code))")
    }
}

extension String {
    /// Decodes a NUL-terminated C buffer as UTF-8, repairing invalid bytes.
    init(nulTerminated buffer: [CChar]) {
        let end = buffer.firstIndex(of: 0) ?? buffer.endIndex
        self = String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
