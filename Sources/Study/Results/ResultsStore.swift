import Foundation

/// A results document read from disk, with the file it came from.
public struct StoredResult: Sendable, Equatable {
    public var file: URL
    public var document: ResultDocument
}

/// Everything a results folder contained: the documents that decoded and the `.json`
/// files that did not, each with its file name and the reason.
public struct ResultsCollection: Sendable {
    public var results: [StoredResult]
    /// Malformed documents, as `ResultsStoreError.malformedDocument` or
    /// `.unsupportedSchemaVersion`, in file-name order.
    public var problems: [ResultsStoreError]

    public var documents: [ResultDocument] { results.map(\.document) }
}

/// The results folder of a study: one JSON document per measurement, named after its run key.
///
/// Writes are atomic (see `AtomicFile`), so an interrupted or concurrent study never leaves
/// a partial document, and a run counts as finished exactly when its document exists.
public struct ResultsStore: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// Returns the file name for a run key: the key itself plus `.json` when it contains only
    /// letters, digits, `.`, `_`, `-` and `+`. Other characters become `_`, and the first 12 hex
    /// digits of the key's SHA-256 are appended so that distinct keys keep distinct names.
    public static func fileName(forRunKey runKey: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+")
        let cleaned = String(runKey.map { allowed.contains($0) ? $0 : "_" })
        let isPlain = cleaned == runKey && !runKey.isEmpty && !runKey.hasPrefix(".")
        if isPlain { return runKey + ".json" }
        let digest = SHA256.hexDigest(of: Data(runKey.utf8)).prefix(12)
        return "\(cleaned.drop { $0 == "." })-\(digest).json"
    }

    /// Location of the document for a run key.
    public func fileURL(forRunKey runKey: String) -> URL {
        directory.appendingPathComponent(Self.fileName(forRunKey: runKey))
    }

    /// True when a document for the run key exists.
    public func containsResult(forRunKey runKey: String) -> Bool {
        FileManager.default.fileExists(atPath: fileURL(forRunKey: runKey).path)
    }

    /// Reads the document for a run key, or nil when none exists.
    /// - Throws: `ResultsStoreError` when the file exists but cannot be read or decoded.
    public func result(forRunKey runKey: String) throws -> ResultDocument? {
        let url = fileURL(forRunKey: runKey)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Self.readDocument(at: url)
    }

    /// Writes a document atomically under its run key, replacing an earlier one, and
    /// returns the file's location.
    /// - Throws: `ResultsStoreError.writeFailed`; no partial or temporary file remains.
    @discardableResult
    public func write(_ document: ResultDocument) throws -> URL {
        let url = fileURL(forRunKey: document.runKey)
        let data: Data
        do {
            data = try document.encodedJSON()
        } catch {
            throw ResultsStoreError.writeFailed(path: url.path, reason: "cannot encode the document: \(error)")
        }
        try AtomicFile.write(data + Data("\n".utf8), to: url)
        return url
    }

    /// Reads every `.json` document in the folder, in file-name order.
    ///
    /// Files with other extensions and hidden files (temporary files of `AtomicFile`
    /// among them) are skipped. A `.json` file that fails to decode does not stop the read:
    /// it appears in `problems` with its file name.
    /// - Throws: `ResultsStoreError.unreadableFile` when the folder itself cannot be listed.
    public func readAll() throws -> ResultsCollection {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw ResultsStoreError.unreadableFile(path: directory.path, reason: "\(error)")
        }

        var collection = ResultsCollection(results: [], problems: [])
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            do {
                collection.results.append(StoredResult(file: url, document: try Self.readDocument(at: url)))
            } catch {
                collection.problems.append(error)
            }
        }
        return collection
    }

    static func readDocument(at url: URL) throws(ResultsStoreError) -> ResultDocument {
        let name = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: url.path, reason: "\(error)")
        }

        if let version = schemaVersion(in: data), version > ResultDocument.currentSchemaVersion {
            throw .unsupportedSchemaVersion(file: name, version: version)
        }
        do {
            return try ResultDocument.decode(data)
        } catch let error as DecodingError {
            throw .malformedDocument(file: name, reason: describe(error))
        } catch {
            throw .malformedDocument(file: name, reason: "\(error)")
        }
    }

    private static func schemaVersion(in data: Data) -> Int? {
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["schema_version"] as? Int
    }
}

/// Describes a decoding error by its JSON path, such as `metrics.latency_ms.p90: expected a number`.
func describe(_ error: DecodingError) -> String {
    func path(_ codingPath: [CodingKey]) -> String {
        let parts = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
        let joined = parts.joined()
        return joined.hasPrefix(".") ? String(joined.dropFirst()) : (joined.isEmpty ? "top level" : joined)
    }

    switch error {
    case .keyNotFound(let key, let context):
        let parent = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
        return "missing key '\(key.stringValue)'\(parent)"
    case .typeMismatch(let type, let context):
        return "\(path(context.codingPath)): expected \(jsonTypeName(type))"
    case .valueNotFound(let type, let context):
        return "\(path(context.codingPath)): expected \(jsonTypeName(type)), found null"
    case .dataCorrupted(let context):
        let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
        return "\(path(context.codingPath)): \(context.debugDescription)\(underlying)"
    @unknown default:
        return "\(error)"
    }
}

private func jsonTypeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Int.Type, is Double.Type: return "a number"
    case is Bool.Type: return "true or false"
    case is [Any].Type: return "an array"
    default: return "\(type)"
    }
}
