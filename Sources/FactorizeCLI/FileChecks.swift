import Foundation

/// Checks that run before long work starts, so a wrong path fails at once.
enum FileChecks {
    /// Throws unless the folder that will hold `output` exists.
    static func requireOutputFolder(_ output: URL) throws {
        let folder = output.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CLIError.missingOutputFolder(path: folder.path)
        }
    }

    /// Returns the contents of the file at `path`, which must be a file and not a folder.
    static func contents(of path: String, what: String) throws -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CLIError.fileNotFound(path: path, what: what)
        }
        guard !isFolder.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.invalidFile(path: path, reason: isFolder.boolValue ? "is a folder, not a \(what)" : "cannot be read")
        }
        return data
    }
}
