import Foundation

/// Element types a checkpoint tensor may be stored as.
public enum StoredElementType: String, Sendable, Equatable {
    case float32, float16, bfloat16, int64

    /// Bytes per element in the file.
    public var byteCount: Int {
        switch self {
        case .float32: return 4
        case .float16, .bfloat16: return 2
        case .int64: return 8
        }
    }
}

/// One tensor of a state dict: its shape, its stored element type, and its values widened to
/// Float32 in row-major order. Float16 and BFloat16 widen exactly, and Int64 values convert
/// exactly up to 2^24 in magnitude and round to the nearest Float32 beyond.
public struct StoredTensor: Sendable, Equatable {
    public var shape: [Int]
    public var elementType: StoredElementType
    public var values: [Float]

    public init(shape: [Int], elementType: StoredElementType, values: [Float]) {
        self.shape = shape
        self.elementType = elementType
        self.values = values
    }
}

/// Reads the state dict (parameter name → tensor) of a PyTorch checkpoint (zip format of
/// torch ≥ 1.6 or the legacy format of earlier versions) or a safetensors file, chosen by
/// the file's first bytes.
///
/// A PyTorch checkpoint whose top-level dict is not itself a state dict but contains one under
/// the key `state_dict` or `model` (as training checkpoints do, next to `epoch` or
/// `optimizer`) yields that inner dict. Pickles are read by a restricted unpickler that
/// allows only the globals a state dict needs, so loading never runs code from the file.
/// The whole file is read into memory, so peak memory is about the file size plus 4 bytes
/// per tensor element.
/// - Throws: `CheckpointError` naming the file and, where it applies, the archive entry,
///   byte offset, opcode, global, tensor or header field at fault.
public func loadStateDict(contentsOf url: URL) throws -> [String: StoredTensor] {
    let data: Data
    do {
        data = try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
        throw CheckpointError.unreadableFile(path: url.path, reason: error.localizedDescription)
    }
    return try loadStateDict(bytes: [UInt8](data), path: url.path)
}

/// Reads a state dict from checkpoint bytes in memory. `path` names the source in errors.
public func loadStateDict(bytes: [UInt8], path: String) throws -> [String: StoredTensor] {
    switch CheckpointFormat.detect(bytes) {
    case .torchZip:
        return try TorchZipReader(bytes: bytes, path: path).readStateDict()
    case .torchLegacy:
        return try TorchLegacyReader(bytes: bytes, path: path).readStateDict()
    case .safetensors:
        return try SafetensorsReader(bytes: bytes, path: path).readStateDict()
    case .unknown(let reason):
        throw CheckpointError.unsupportedFormat(path: path, reason: reason)
    }
}

/// Container formats, detected from the first bytes of a file.
enum CheckpointFormat: Equatable {
    case torchZip, torchLegacy, safetensors
    case unknown(reason: String)

    /// The magic number 0x1950a86a20f9469cfc6c in little-endian order, as the legacy
    /// torch.save pickles it first (LONG1 with 10 bytes).
    static let legacyMagic: [UInt8] = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]

    static func detect(_ bytes: [UInt8]) -> CheckpointFormat {
        if bytes.starts(with: [0x50, 0x4b, 0x03, 0x04]) { return .torchZip }
        if startsWithLegacyMagic(bytes) { return .torchLegacy }
        // A JSON object after the 8-byte length marks safetensors. The reader then checks
        // the length itself, so that an oversized header gets a safetensors error.
        if bytes.count >= 9, bytes[8] == UInt8(ascii: "{") { return .safetensors }
        let prefix = bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
        return .unknown(
            reason: "the first bytes [\(prefix)] match neither a zip archive (torch ≥ 1.6), "
                + "the legacy torch.save magic number nor a safetensors header, so "
                + "re-save the weights with torch.save(model.state_dict(), path) or safetensors")
    }
}

/// Maximum number of Float32 values all tensors of a checkpoint may expand to, per byte of
/// the file. Tensors that do not share elements stay below 1 per byte, because each element
/// takes at least 2 bytes. The bound stops stride-0 views from expanding a small file into
/// gigabytes.
let maximumElementsPerFileByte = 4

/// True when the bytes start with a pickle of protocol 2 to 5 whose first value is the legacy
/// magic number. Protocols 4 and 5 put a FRAME opcode with an 8-byte length before it.
private func startsWithLegacyMagic(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 2, bytes[0] == 0x80, (2...5).contains(bytes[1]) else { return false }
    var position = 2
    if position < bytes.count, bytes[position] == 0x95 { position += 9 }
    guard position <= bytes.count else { return false }
    return bytes[position...].starts(with: [0x8a, 0x0a] + CheckpointFormat.legacyMagic)
}

/// Picks the state dict out of an unpickled checkpoint: the top-level dict itself when all
/// its values are tensors, else its `state_dict` or `model` entry, and converts the tensors.
func extractStateDict(
    from result: PickleResult, path: String, fileSize: Int, materialize: (String, TensorDescriptor) throws -> StoredTensor
) throws -> [String: StoredTensor] {
    guard let top = result.dictionary(result.root) else {
        throw CheckpointError.notAStateDict(
            path: path, reason: "the pickled top-level object is \(result.kindName(result.root)), not a dict")
    }
    var chosen = top
    if !top.values.allSatisfy(result.isTensor) {
        let wrapped = ["state_dict", "model"].lazy.compactMap { top.value(forKey: .string($0)) }.first
        guard let inner = wrapped.flatMap(result.dictionary) else {
            throw CheckpointError.notAStateDict(
                path: path,
                reason: "the top-level dict contains values that are not tensors and has no "
                    + "'state_dict' or 'model' entry that is a dict of tensors")
        }
        chosen = inner
    }

    var stateDict: [String: StoredTensor] = [:]
    let elementLimit = fileSize.multipliedReportingOverflow(by: maximumElementsPerFileByte).partialValue
    var totalElements = 0
    for (key, value) in zip(chosen.keys, chosen.values) {
        guard case .string(let name) = key else {
            throw CheckpointError.notAStateDict(path: path, reason: "key \(key) is not a string")
        }
        guard case .tensor(let descriptor) = value else {
            throw CheckpointError.notAStateDict(
                path: path, reason: "entry '\(name)' is \(result.kindName(value)), not a tensor")
        }
        // An overflowing element count passes here and is rejected by `materialize`.
        totalElements += min(elementCount(descriptor.shape) ?? 0, elementLimit + 1)
        guard totalElements <= elementLimit else {
            throw CheckpointError.expansionLimitExceeded(path: path, tensor: name, limit: elementLimit)
        }
        stateDict[name] = try materialize(name, descriptor)
    }
    return stateDict
}
