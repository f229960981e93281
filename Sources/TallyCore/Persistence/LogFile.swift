import CTallySystem
import Glibc

/// A failed file operation, naming the operation, the path and the errno.
struct FileError: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32

    var description: String {
        "\(operation) of \(path) failed: \(FileError.describe(code))"
    }

    /// Returns the errno text and its symbolic name, e.g. "No space left on device (ENOSPC)".
    static func describe(_ code: Int32) -> String {
        let names: [Int32: String] = [
            ENOSPC: "ENOSPC", EIO: "EIO", EDQUOT: "EDQUOT", EROFS: "EROFS", EACCES: "EACCES",
            ENOENT: "ENOENT", EBADF: "EBADF", EFBIG: "EFBIG", EINTR: "EINTR", EEXIST: "EEXIST",
        ]
        let text = String(cString: strerror(code))
        return "\(text) (\(names[code] ?? "errno \(code)"))"
    }
}

/// An open write-ahead log segment. The log writer thread is its only user.
protocol LogFile: AnyObject {
    var path: String { get }
    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileError)
    /// Flushes written data to stable storage (fdatasync).
    func sync() throws(FileError)
    /// Cuts the file to `length` bytes.
    func truncate(to length: Int64) throws(FileError)
    func close()
}

/// Creates log segment files; tests substitute a version that fails on demand.
protocol LogFileSystem: Sendable {
    func createSegment(path: String) throws(FileError) -> any LogFile
}

/// Log segments backed by POSIX file descriptors.
struct PosixLogFileSystem: LogFileSystem {
    func createSegment(path: String) throws(FileError) -> any LogFile {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw FileError(operation: "create", path: path, code: tally_errno())
        }
        return PosixLogFile(path: path, descriptor: descriptor)
    }
}

final class PosixLogFile: LogFile {
    let path: String
    private var descriptor: Int32

    init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close() }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileError) {
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                let code = tally_errno()
                if code == EINTR { continue }
                throw FileError(operation: "write", path: path, code: code)
            }
            done += result
        }
    }

    func sync() throws(FileError) {
        if fdatasync(descriptor) != 0 {
            throw FileError(operation: "fdatasync", path: path, code: tally_errno())
        }
    }

    func truncate(to length: Int64) throws(FileError) {
        if ftruncate(descriptor, off_t(length)) != 0 {
            throw FileError(operation: "truncate", path: path, code: tally_errno())
        }
    }

    func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }
}

extension LogFile {
    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int64) throws(FileError) {
        let result: Result<Void, FileError> = bytes.withUnsafeBytes { buffer in
            do throws(FileError) {
                try write(buffer, at: offset)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }
}
