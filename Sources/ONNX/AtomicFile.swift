import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files through a temporary file in the destination folder and a rename, so that
/// readers see either the old file or the complete new one.
enum AtomicFile {
    /// Writes `chunks` to a new temporary file beside `url`, flushes it to disk and returns its URL.
    static func writeTemporary(_ chunks: [Data], beside url: URL) throws -> URL {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw MappedFile.failure(temporary.path, "create") }
        do {
            defer { close(descriptor) }
            for chunk in chunks { try writeAll(chunk, to: descriptor, path: temporary.path) }
            guard fsync(descriptor) == 0 else { throw MappedFile.failure(temporary.path, "fsync") }
        } catch {
            unlink(temporary.path)
            throw error
        }
        return temporary
    }

    static func rename(_ temporary: URL, to url: URL) throws {
        guard systemRename(temporary.path, url.path) == 0 else {
            let error = MappedFile.failure(url.path, "rename to")
            unlink(temporary.path)
            throw error
        }
    }

    private static func writeAll(_ chunk: Data, to descriptor: Int32, path: String) throws {
        try chunk.withUnsafeBytes { bytes in
            var written = 0
            while written < bytes.count {
                let result = systemWrite(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw MappedFile.failure(path, "write")
                }
                written += result
            }
        }
    }
}

#if canImport(Glibc)
private let systemRename = Glibc.rename
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemRename = Darwin.rename
private let systemWrite = Darwin.write
#endif
