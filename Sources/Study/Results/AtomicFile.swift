import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that readers see either the old contents or the complete new contents,
/// never a partial file.
///
/// The bytes go to a hidden temporary file in the destination's folder, are flushed with
/// `fsync`, and the temporary file is renamed over the destination. `rename(2)` replaces the
/// destination atomically only within one file system, which is why the temporary file
/// lives in the same folder. On any failure the temporary file is removed.
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating the parent folder when it is missing.
    /// - Throws: `ResultsStoreError.writeFailed` with the path, the step and the system error.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ResultsStoreError.writeFailed(path: url.path, reason: "cannot create folder \(folder.path): \(error)")
        }

        let temporaryPath = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw ResultsStoreError.writeFailed(
                path: url.path, reason: "cannot create \(temporaryPath): \(systemError())")
        }

        do {
            try writeAll(data, to: descriptor, destination: url)
            guard fsync(descriptor) == 0 else {
                throw ResultsStoreError.writeFailed(path: url.path, reason: "fsync failed: \(systemError())")
            }
        } catch {
            close(descriptor)
            unlink(temporaryPath)
            throw error
        }

        // The descriptor is released even when close(2) reports an error, so it is not closed again.
        guard close(descriptor) == 0 else {
            let reason = systemError()
            unlink(temporaryPath)
            throw ResultsStoreError.writeFailed(path: url.path, reason: "close failed: \(reason)")
        }

        guard rename(temporaryPath, url.path) == 0 else {
            let reason = systemError()
            unlink(temporaryPath)
            throw ResultsStoreError.writeFailed(
                path: url.path, reason: "cannot rename the temporary file into place: \(reason)")
        }
    }

    /// Writes a UTF-8 string to `url` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    private static func writeAll(_ data: Data, to descriptor: Int32, destination: URL) throws {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ResultsStoreError.writeFailed(path: destination.path, reason: "write failed: \(systemError())")
                }
                offset += written
            }
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.write(descriptor, buffer, count)
        #else
            return Darwin.write(descriptor, buffer, count)
        #endif
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
