import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory-maps files read-only.
enum MappedFile {
    /// Maps the file at `path` and returns its bytes as a `Data` that unmaps when its last
    /// copy or slice is released. Pages load on first access, so slicing out tensors costs
    /// no I/O until their bytes are read. An empty file gives an empty `Data`.
    /// NOTE: if another process truncates the file while it is mapped, reading the lost
    /// pages raises SIGBUS, as with any file mapping.
    static func map(path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "open") }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(path, "stat") }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw ONNXError.fileSystem(path: path, operation: "map", reason: "not a regular file")
        }
        let size = Int(status.st_size)
        guard size > 0 else { return Data() }

        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw failure(path, "mmap")
        }
        return Data(bytesNoCopy: address, count: size, deallocator: .custom { pointer, count in
            munmap(pointer, count)
        })
    }

    static func exists(path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func failure(_ path: String, _ operation: String) -> ONNXError {
        ONNXError.fileSystem(path: path, operation: operation, reason: String(cString: strerror(errno)))
    }
}
