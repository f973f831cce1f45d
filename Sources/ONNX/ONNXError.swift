import Foundation

/// A failure to read or write an ONNX model.
///
/// Decoding errors name the protobuf message and field (in onnx.proto's spelling) and the
/// absolute byte offset in the input where the offending field starts.
public enum ONNXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ends inside a field (a tag, varint or fixed-width value).
    case truncated(message: String, field: String, offset: Int)
    /// A known field arrived with a wire type its declaration does not allow.
    case wrongWireType(message: String, field: String, expected: String, found: Int, offset: Int)
    /// A length prefix points past the end of the enclosing message.
    case lengthPastEnd(message: String, field: String, length: UInt64, available: Int, offset: Int)
    /// Wire types 3 and 4 (groups) and 6 and 7 (undefined) are not valid in ONNX files.
    case invalidWireType(message: String, fieldNumber: UInt64, wireType: Int, offset: Int)
    /// A tag with field number 0 or above 2^29 - 1.
    case invalidFieldNumber(message: String, fieldNumber: UInt64, offset: Int)
    /// A varint longer than 10 bytes.
    case malformedVarint(message: String, field: String, offset: Int)
    /// A string field that is not valid UTF-8.
    case invalidUTF8(message: String, field: String, offset: Int)
    /// Subgraphs (If, Loop, Scan bodies) nested deeper than `limit`.
    case nestingTooDeep(limit: Int, offset: Int)
    /// A tensor dimension below zero.
    case negativeDimension(tensor: String, index: Int, value: Int64, offset: Int)
    /// The product of a tensor's dimensions times its element width does not fit in Int.
    case elementCountOverflow(tensor: String, dims: [Int64], offset: Int)
    /// The stored data does not match the shape: `actual` and `expected` count bytes for
    /// `raw_data` and elements for the typed fields (`float_data`, `int32_data`, ...).
    case dataSizeMismatch(tensor: String, field: String, expected: Int, actual: Int, offset: Int)
    /// The input is not a serialized ModelProto (an image, text, an empty file, ...).
    case notONNX(reason: String, offset: Int)
    /// A tensor's `external_data` names a file that does not exist.
    case missingExternalFile(tensor: String, path: String, offset: Int)
    /// A tensor's `external_data` range does not lie inside its file.
    case externalDataOutOfRange(tensor: String, path: String, dataOffset: Int, length: Int, fileSize: Int)
    /// A tensor's `external_data` entries are unusable (bad location, offset or length).
    case invalidExternalData(tensor: String, reason: String, offset: Int)
    /// The serialized model exceeds protobuf's 2 GiB message limit.
    case modelTooLarge(bytes: Int, limit: Int)
    /// An operating-system call on a model or external data file failed.
    case fileSystem(path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case .truncated(let message, let field, let offset):
            return "\(message).\(field) at byte \(offset): the input ends inside the field; the file is truncated"
        case .wrongWireType(let message, let field, let expected, let found, let offset):
            return "\(message).\(field) at byte \(offset): wire type \(found) is invalid, expected \(expected)"
        case .lengthPastEnd(let message, let field, let length, let available, let offset):
            return "\(message).\(field) at byte \(offset): length \(length) exceeds the \(available) bytes left "
                + "in the enclosing message; the file is truncated or corrupt"
        case .invalidWireType(let message, let number, let wireType, let offset):
            return "\(message) field \(number) at byte \(offset): wire type \(wireType) is not supported "
                + "(groups and undefined wire types cannot appear in ONNX files)"
        case .invalidFieldNumber(let message, let number, let offset):
            return "\(message) at byte \(offset): field number \(number) is invalid; the file is corrupt"
        case .malformedVarint(let message, let field, let offset):
            return "\(message).\(field) at byte \(offset): varint is longer than 10 bytes; the file is corrupt"
        case .invalidUTF8(let message, let field, let offset):
            return "\(message).\(field) at byte \(offset): string is not valid UTF-8"
        case .nestingTooDeep(let limit, let offset):
            return "GraphProto at byte \(offset): subgraphs are nested more than \(limit) levels deep"
        case .negativeDimension(let tensor, let index, let value, let offset):
            return "TensorProto '\(tensor)' at byte \(offset): dims[\(index)] is \(value), dimensions must be >= 0"
        case .elementCountOverflow(let tensor, let dims, let offset):
            return "TensorProto '\(tensor)' at byte \(offset): the byte size of shape \(dims) overflows Int"
        case .dataSizeMismatch(let tensor, let field, let expected, let actual, let offset):
            let unit = field == "raw_data" ? "bytes" : "elements"
            return "TensorProto '\(tensor)'.\(field) at byte \(offset): holds \(actual) \(unit), "
                + "the dims and data_type require \(expected)"
        case .notONNX(let reason, let offset):
            return "not an ONNX model (byte \(offset)): \(reason)"
        case .missingExternalFile(let tensor, let path, let offset):
            return "TensorProto '\(tensor)' at byte \(offset): external data file \(path) not found; "
                + "keep the data file next to the model"
        case .externalDataOutOfRange(let tensor, let path, let dataOffset, let length, let fileSize):
            return "TensorProto '\(tensor)': external data range \(dataOffset)..<\(dataOffset + length) "
                + "lies outside \(path) (\(fileSize) bytes)"
        case .invalidExternalData(let tensor, let reason, let offset):
            return "TensorProto '\(tensor)' at byte \(offset): invalid external_data: \(reason)"
        case .modelTooLarge(let bytes, let limit):
            return "the serialized model is \(bytes) bytes, over protobuf's limit of \(limit); "
                + "write it with an external data policy"
        case .fileSystem(let path, let operation, let reason):
            return "\(operation) \(path) failed: \(reason)"
        }
    }
}
