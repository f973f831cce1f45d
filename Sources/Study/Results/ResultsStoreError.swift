import Foundation

/// Failures of reading or writing results documents and report files.
public enum ResultsStoreError: Error, CustomStringConvertible, Equatable {
    /// A file could not be written; `reason` names the failed step and the system error.
    case writeFailed(path: String, reason: String)
    /// A file or folder could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// A `.json` file in the results folder is not a valid results document.
    case malformedDocument(file: String, reason: String)
    /// A results document was written by a newer Factorize with a layout this build cannot read.
    case unsupportedSchemaVersion(file: String, version: Int)

    public var description: String {
        switch self {
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason). Check that the folder exists, is writable and has free space."
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .malformedDocument(let file, let reason):
            return "malformed results document \(file): \(reason). Delete the file to measure that run again."
        case .unsupportedSchemaVersion(let file, let version):
            return "results document \(file) has schema version \(version), but this build reads up to "
                + "\(ResultDocument.currentSchemaVersion); use a newer factorize to read it"
        }
    }
}
