import Glibc
import TallyCore
import TallySocket

/// The native TCP transport: length-framed protobuf messages served by one
/// epoll event loop per thread, all listening on the same port.
public final class NativeServer: Sendable {
    private let loops: [EventLoop]
    private let shared: ServerShared
    /// The address the listeners are bound to, with the real port when 0 was asked.
    public let boundAddress: SocketAddress

    /// Binds the listeners and starts the event loops.
    public init(address: SocketAddress, dispatcher: ServiceDispatcher, options: TransportOptions,
                logger: Logger) throws(SocketError) {
        let shared = ServerShared(options: options, limits: dispatcher.service.limits, logger: logger)
        let first = try Socket.listen(on: address)
        let bound = try Socket.localAddress(of: first)
        var loops: [EventLoop] = []
        for index in 0..<max(1, options.loopCount) {
            let listenFD = index == 0 ? first : try Socket.listen(on: bound)
            loops.append(try EventLoop(index: index, listenFD: listenFD, dispatcher: dispatcher, shared: shared, logger: logger))
        }
        self.loops = loops
        self.shared = shared
        self.boundAddress = bound
        for loop in loops {
            loop.start()
        }
    }

    /// Closes connections whose key is no longer accepted, after a configuration reload.
    public func revalidateKeys() {
        for loop in loops {
            loop.post(.revalidateKeys)
        }
    }

    /// Open client connections across all event loops.
    public var openConnections: Int { shared.openConnections }
    /// Bytes of incomplete request frames held across all connections.
    public var heldInboundBytes: Int { shared.heldInboundBytes }

    /// Failed authentications since the server started.
    public var failedAuthentications: UInt64 { shared.authThrottle.totalFailures }

    /// Stops accepting, closes every connection and waits for the loops to end.
    public func stop() {
        for loop in loops {
            loop.stop()
        }
    }
}
