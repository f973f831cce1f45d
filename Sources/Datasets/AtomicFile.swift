import Foundation

/// Writes files so that readers see either the old content or the complete new one.
enum AtomicFile {
    /// Writes `data` to a temporary file in the destination's folder, then renames it over
    /// `url`. rename(2) within one file system replaces the name atomically, so a crash or a
    /// concurrent reader never observes a partial file.
    static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try data.write(to: temporary)
        } catch {
            throw DatasetError.io(path: url.path, reason: "cannot write temporary file: \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw DatasetError.io(path: url.path, reason: "cannot rename temporary file into place: \(reason)")
        }
    }
}
