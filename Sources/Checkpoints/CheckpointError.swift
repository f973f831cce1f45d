/// Errors of the checkpoint readers. Each case names the file (`path`) and, where it applies,
/// the archive entry or pickle, the byte offset within the file, and the offending value.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The first bytes match no supported container.
    case unsupportedFormat(path: String, reason: String)
    /// The file could not be read from disk.
    case unreadableFile(path: String, reason: String)
    /// The data ends before a field of `needed` bytes at file offset `offset`.
    case truncated(path: String, entry: String, offset: Int, needed: Int)
    /// A zip structure (end of central directory, central directory, local header) is invalid.
    case malformedZip(path: String, offset: Int, reason: String)
    /// A zip entry uses a compression method other than STORED (0).
    case compressedEntry(path: String, entry: String, method: Int)
    /// An entry the format requires is absent from the archive.
    case missingEntry(path: String, entry: String)
    /// The `byteorder` record or legacy sys_info declares big-endian data.
    case unsupportedByteOrder(path: String, byteOrder: String)
    /// The pickle uses an opcode outside the restricted set a state dict needs.
    case unsupportedOpcode(path: String, entry: String, opcode: UInt8, offset: Int)
    /// The pickle imports a global outside the allowlist (`module.name`).
    case forbiddenGlobal(path: String, entry: String, global: String, offset: Int)
    /// The pickle is structurally invalid (stack underflow, wrong argument types, bad memo index).
    case malformedPickle(path: String, entry: String, offset: Int, reason: String)
    /// The pickle exceeds a bound on memo size, stack size or object count.
    case limitExceeded(path: String, entry: String, offset: Int, limit: String)
    /// A tensor is stored with an element type the readers do not convert.
    case unsupportedElementType(path: String, tensor: String, type: String)
    /// A tensor's offset, shape or strides address elements outside its storage, or the
    /// storage size disagrees with its declaration.
    case storageOutOfRange(path: String, tensor: String, reason: String)
    /// The tensors expand to more values than `maximumElementsPerFileByte` allows for the
    /// file size, which only views repeating storage elements (stride 0) can do.
    case expansionLimitExceeded(path: String, tensor: String, limit: Int)
    /// The legacy stream (magic number, sys_info, storage records) is invalid.
    case malformedLegacyStream(path: String, offset: Int, reason: String)
    /// The safetensors header or one of its fields is invalid.
    case malformedSafetensors(path: String, field: String, reason: String)
    /// The unpickled object is not a state dict of tensors.
    case notAStateDict(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let path, let reason):
            return "\(path): not a supported checkpoint: \(reason)"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .truncated(let path, let entry, let offset, let needed):
            return "\(path): \(entry) is truncated: \(needed) bytes expected at byte offset \(offset). "
                + "The file is incomplete, so download or save it again"
        case .malformedZip(let path, let offset, let reason):
            return "\(path): invalid zip archive at byte offset \(offset): \(reason)"
        case .compressedEntry(let path, let entry, let method):
            return "\(path): zip entry '\(entry)' uses compression method \(method), but torch.save "
                + "writes entries uncompressed (method 0), so re-save the checkpoint with torch.save"
        case .missingEntry(let path, let entry):
            return "\(path): the archive has no entry '\(entry)', so it is not a complete torch.save checkpoint"
        case .unsupportedByteOrder(let path, let byteOrder):
            return "\(path): tensors are stored in '\(byteOrder)' byte order, but only little-endian "
                + "checkpoints are supported, so re-save it on a little-endian machine"
        case .unsupportedOpcode(let path, let entry, let opcode, let offset):
            return "\(path): \(entry): pickle opcode 0x\(String(opcode, radix: 16)) at byte offset \(offset) "
                + "is not allowed in a state dict. Save only model.state_dict()"
        case .forbiddenGlobal(let path, let entry, let global, let offset):
            return "\(path): \(entry): global '\(global)' at byte offset \(offset) is not allowed in a "
                + "state dict and is not loaded, because unpickling it could run code. Save only model.state_dict()"
        case .malformedPickle(let path, let entry, let offset, let reason):
            return "\(path): \(entry): invalid pickle at byte offset \(offset): \(reason)"
        case .limitExceeded(let path, let entry, let offset, let limit):
            return "\(path): \(entry): pickle exceeds the limit of \(limit) at byte offset \(offset)"
        case .unsupportedElementType(let path, let tensor, let type):
            return "\(path): tensor '\(tensor)' has element type \(type), but only float32, "
                + "float16, bfloat16 and int64 are supported, so convert it (tensor.float()) before saving"
        case .storageOutOfRange(let path, let tensor, let reason):
            return "\(path): tensor '\(tensor)': \(reason)"
        case .expansionLimitExceeded(let path, let tensor, let limit):
            return "\(path): tensor '\(tensor)' brings the state dict past \(limit) values (4 per byte of "
                + "the file) because its strides repeat storage elements. Save tensor.contiguous() instead"
        case .malformedLegacyStream(let path, let offset, let reason):
            return "\(path): invalid legacy torch.save stream at byte offset \(offset): \(reason)"
        case .malformedSafetensors(let path, let field, let reason):
            return "\(path): invalid safetensors header field '\(field)': \(reason)"
        case .notAStateDict(let path, let reason):
            return "\(path): not a state dict: \(reason). Save model.state_dict()"
        }
    }
}
