import Glibc
import Synchronization
@testable import TallyCore

/// Log files that fail writes or syncs with a chosen errno while a fault is set.
final class FaultyFileSystem: LogFileSystem {
    enum Fault: Equatable {
        case write(Int32)
        case sync(Int32)
    }

    let fault = Mutex<Fault?>(nil)

    func createSegment(path: String) throws(FileError) -> any LogFile {
        FaultyLogFile(inner: try PosixLogFileSystem().createSegment(path: path), owner: self)
    }

    func set(_ newFault: Fault?) {
        fault.withLock { $0 = newFault }
    }
}

final class FaultyLogFile: LogFile {
    let inner: any LogFile
    let owner: FaultyFileSystem

    init(inner: any LogFile, owner: FaultyFileSystem) {
        self.inner = inner
        self.owner = owner
    }

    var path: String { inner.path }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileError) {
        if case let .write(code) = owner.fault.withLock({ $0 }) {
            // Write half the bytes first, as a full disk does, so the truncate on failure matters.
            try inner.write(UnsafeRawBufferPointer(rebasing: bytes.prefix(bytes.count / 2)), at: offset)
            throw FileError(operation: "write", path: path, code: code)
        }
        try inner.write(bytes, at: offset)
    }

    func sync() throws(FileError) {
        if case let .sync(code) = owner.fault.withLock({ $0 }) {
            throw FileError(operation: "fdatasync", path: path, code: code)
        }
        try inner.sync()
    }

    func truncate(to length: Int64) throws(FileError) {
        try inner.truncate(to: length)
    }

    func close() {
        inner.close()
    }
}
