// Protobuf wire format basics shared by the reader and the writer.
// Reference: the Protocol Buffers encoding guide (protobuf.dev/programming-guides/encoding).

/// Protobuf wire types that ONNX files use. Groups (3, 4) and the undefined types 6 and 7
/// are rejected by the reader.
enum WireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5

    var name: String {
        switch self {
        case .varint: return "varint (0)"
        case .fixed64: return "fixed64 (1)"
        case .lengthDelimited: return "length-delimited (2)"
        case .fixed32: return "fixed32 (5)"
        }
    }
}

/// A decoded field key: field number, wire type and the absolute offset of the key's first byte.
struct FieldTag {
    var number: Int
    var wireType: WireType
    var offset: Int
}

/// Largest field number protobuf allows (2^29 - 1).
let maximumFieldNumber: UInt64 = (1 << 29) - 1

/// Maximum length of a varint in bytes: 64 bits in 7-bit groups.
let maximumVarintLength = 10
