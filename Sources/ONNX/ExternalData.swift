import Foundation

/// Placement of tensor data in the files that `ONNXFile.write` creates.
public enum ExternalDataPolicy: Equatable, Sendable {
    /// Every tensor stays inside the model file, which protobuf limits to 2 GiB.
    case none
    /// Tensors of at least `threshold` bytes move into the one file `location`, a file name
    /// relative to the model's folder. Each tensor starts at a multiple of 4096 bytes so that
    /// readers can map it.
    case singleFile(location: String, threshold: Int = 1024)
}

/// Loads the `external_data` of tensors from files beside a model, mapping each file once.
final class ExternalDataResolver {
    let folder: URL
    private var mappedFiles: [String: Data] = [:]

    init(folder: URL) {
        self.folder = folder
    }

    /// Returns the bytes `tensor.externalData` points to, as a slice of the mapped file.
    func load(tensor: TensorProto, offset: Int) throws -> Data {
        let reference = try ExternalReference(tensor: tensor, offset: offset)
        let path = folder.appendingPathComponent(reference.location).path
        let file = try mappedFile(path: path, tensor: tensor.name, offset: offset)

        let length = reference.length ?? max(file.count - reference.dataOffset, 0)
        guard reference.dataOffset <= file.count, length <= file.count - reference.dataOffset else {
            throw ONNXError.externalDataOutOfRange(
                tensor: tensor.name, path: path, dataOffset: reference.dataOffset, length: length,
                fileSize: file.count)
        }
        let start = file.startIndex + reference.dataOffset
        return file[start..<(start + length)]
    }

    private func mappedFile(path: String, tensor: String, offset: Int) throws -> Data {
        if let file = mappedFiles[path] { return file }
        guard MappedFile.exists(path: path) else {
            throw ONNXError.missingExternalFile(tensor: tensor, path: path, offset: offset)
        }
        let file = try MappedFile.map(path: path)
        mappedFiles[path] = file
        return file
    }
}

/// The `location`, `offset` and `length` keys of a tensor's `external_data`. The `checksum`
/// key and any others are ignored.
struct ExternalReference {
    var location: String
    var dataOffset: Int
    var length: Int?

    init(tensor: TensorProto, offset: Int) throws {
        func invalid(_ reason: String) -> ONNXError {
            ONNXError.invalidExternalData(tensor: tensor.name, reason: reason, offset: offset)
        }
        var location: String?
        dataOffset = 0
        for entry in tensor.externalData {
            switch entry.key {
            case "location":
                location = entry.value
            case "offset":
                guard let value = Int(entry.value), value >= 0 else { throw invalid("offset '\(entry.value)'") }
                dataOffset = value
            case "length":
                guard let value = Int(entry.value), value >= 0 else { throw invalid("length '\(entry.value)'") }
                length = value
            default:
                continue
            }
        }
        guard let location, !location.isEmpty else { throw invalid("no location key") }
        try Self.checkLocation(location, invalid)
        self.location = location
    }

    /// Rejects locations that would leave the model's folder: absolute paths and `..` components.
    static func checkLocation(_ location: String, _ invalid: (String) -> ONNXError) throws {
        let components = location.split(separator: "/", omittingEmptySubsequences: false)
        guard !location.hasPrefix("/"), !components.contains("..") else {
            throw invalid("location '\(location)' must be a relative path inside the model's folder")
        }
    }
}
