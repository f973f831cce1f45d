import Foundation

/// Shared state of one decode: the subgraph depth and the external data resolver.
final class DecodingContext {
    /// Deepest allowed nesting of graphs inside graphs. Each level costs a few stack frames,
    /// and real models nest If/Loop bodies only a handful of levels deep.
    static let maximumGraphDepth = 16

    var graphDepth = 0
    let externalData: ExternalDataResolver?

    init(externalData: ExternalDataResolver?) {
        self.externalData = externalData
    }
}

/// A bounds-checked protobuf reader over one message of a larger input.
///
/// Offsets are absolute indices into the whole input, so every error points at the byte
/// where the offending field starts. `source` is the same input as a `Data`, which lets
/// `bytes` fields return slices that share its storage instead of copying it.
struct WireReader {
    let input: UnsafeRawBufferPointer
    let source: Data
    let message: String
    /// Offset of the key of the field that contains this message (0 for the top level).
    let messageOffset: Int
    let context: DecodingContext
    private(set) var position: Int
    let end: Int

    init(input: UnsafeRawBufferPointer, source: Data, message: String, context: DecodingContext) {
        self.input = input
        self.source = source
        self.message = message
        self.messageOffset = 0
        self.context = context
        self.position = 0
        self.end = input.count
    }

    private init(parent: WireReader, message: String, messageOffset: Int, range: Range<Int>) {
        self.input = parent.input
        self.source = parent.source
        self.message = message
        self.messageOffset = messageOffset
        self.context = parent.context
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    // MARK: Keys

    /// Reads the next field key, or returns nil at the end of the message.
    mutating func nextField() throws -> FieldTag? {
        guard position < end else { return nil }
        let offset = position
        let key = try readVarint(field: "key")
        let number = key >> 3
        let rawWireType = Int(key & 7)
        guard number != 0, number <= maximumFieldNumber else {
            throw ONNXError.invalidFieldNumber(message: message, fieldNumber: number, offset: offset)
        }
        guard let wireType = WireType(rawValue: UInt8(rawWireType)) else {
            throw ONNXError.invalidWireType(
                message: message, fieldNumber: number, wireType: rawWireType, offset: offset)
        }
        return FieldTag(number: Int(number), wireType: wireType, offset: offset)
    }

    func expect(_ tag: FieldTag, _ wireType: WireType, _ field: StaticString) throws {
        guard tag.wireType == wireType else {
            throw ONNXError.wrongWireType(
                message: message, field: "\(field)", expected: wireType.name,
                found: Int(tag.wireType.rawValue), offset: tag.offset)
        }
    }

    // MARK: Primitive values

    mutating func readVarint(field: StaticString) throws -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else {
                throw ONNXError.truncated(message: message, field: "\(field)", offset: start)
            }
            guard position - start < maximumVarintLength else {
                throw ONNXError.malformedVarint(message: message, field: "\(field)", offset: start)
            }
            let byte = input[position]
            position += 1
            // Bits past the 64th are dropped.
            if shift < 64 { result |= UInt64(byte & 0x7F) << shift }
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readFixed32(field: StaticString, offset: Int) throws -> UInt32 {
        guard end - position >= 4 else {
            throw ONNXError.truncated(message: message, field: "\(field)", offset: offset)
        }
        let value = input.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    mutating func readFixed64(field: StaticString, offset: Int) throws -> UInt64 {
        guard end - position >= 8 else {
            throw ONNXError.truncated(message: message, field: "\(field)", offset: offset)
        }
        let value = input.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    /// Reads a length prefix and returns the byte range it covers, checked against the message end.
    mutating func readLengthDelimited(_ tag: FieldTag, _ field: StaticString) throws -> Range<Int> {
        try expect(tag, .lengthDelimited, field)
        let length = try readVarint(field: field)
        let available = end - position
        guard length <= UInt64(available) else {
            throw ONNXError.lengthPastEnd(
                message: message, field: "\(field)", length: length, available: available, offset: tag.offset)
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    // MARK: Scalar fields

    mutating func readUInt64(_ tag: FieldTag, _ field: StaticString) throws -> UInt64 {
        try expect(tag, .varint, field)
        return try readVarint(field: field)
    }

    mutating func readInt64(_ tag: FieldTag, _ field: StaticString) throws -> Int64 {
        Int64(bitPattern: try readUInt64(tag, field))
    }

    /// Reads an int32 or enum: protobuf sign-extends negative values to 64 bits, and
    /// parsers keep the low 32 bits.
    mutating func readInt32(_ tag: FieldTag, _ field: StaticString) throws -> Int32 {
        Int32(truncatingIfNeeded: try readUInt64(tag, field))
    }

    mutating func readFloat(_ tag: FieldTag, _ field: StaticString) throws -> Float {
        try expect(tag, .fixed32, field)
        return Float(bitPattern: try readFixed32(field: field, offset: tag.offset))
    }

    mutating func readString(_ tag: FieldTag, _ field: StaticString) throws -> String {
        let range = try readLengthDelimited(tag, field)
        let bytes = UnsafeRawBufferPointer(rebasing: input[range])
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw ONNXError.invalidUTF8(message: message, field: "\(field)", offset: tag.offset)
        }
        return string
    }

    /// Reads a bytes field into its own storage (for small values such as attribute strings).
    mutating func readBytes(_ tag: FieldTag, _ field: StaticString) throws -> Data {
        let range = try readLengthDelimited(tag, field)
        return Data(UnsafeRawBufferPointer(rebasing: input[range]))
    }

    /// Reads a bytes field as a slice of `source`: no copy, and indices start at the
    /// field's offset in the input rather than at zero.
    mutating func readSharedBytes(_ tag: FieldTag, _ field: StaticString) throws -> Data {
        let range = try readLengthDelimited(tag, field)
        let base = source.startIndex
        return source[(base + range.lowerBound)..<(base + range.upperBound)]
    }

    /// Decodes a nested message with `decode`, on a reader bounded to the message's bytes.
    mutating func readMessage<T>(
        _ tag: FieldTag, _ field: StaticString, as name: String, _ decode: (inout WireReader) throws -> T
    ) throws -> T {
        let range = try readLengthDelimited(tag, field)
        var nested = WireReader(parent: self, message: name, messageOffset: tag.offset, range: range)
        return try decode(&nested)
    }

    // MARK: Repeated scalar fields (packed or unpacked)

    /// Appends one unpacked value, or every value of a packed run, of a varint field.
    mutating func appendVarints<T>(
        _ tag: FieldTag, _ field: StaticString, to values: inout [T], _ convert: (UInt64) -> T
    ) throws {
        if tag.wireType == .lengthDelimited {
            let range = try readLengthDelimited(tag, field)
            var packed = WireReader(parent: self, message: message, messageOffset: tag.offset, range: range)
            // Each varint takes at least one byte, so the range length bounds the count.
            values.reserveCapacity(values.count + range.count)
            while packed.position < packed.end {
                values.append(convert(try packed.readVarint(field: field)))
            }
            return
        }
        try expect(tag, .varint, field)
        values.append(convert(try readVarint(field: field)))
    }

    mutating func appendInt64s(_ tag: FieldTag, _ field: StaticString, to values: inout [Int64]) throws {
        try appendVarints(tag, field, to: &values) { Int64(bitPattern: $0) }
    }

    mutating func appendInt32s(_ tag: FieldTag, _ field: StaticString, to values: inout [Int32]) throws {
        try appendVarints(tag, field, to: &values) { Int32(truncatingIfNeeded: $0) }
    }

    mutating func appendUInt64s(_ tag: FieldTag, _ field: StaticString, to values: inout [UInt64]) throws {
        try appendVarints(tag, field, to: &values) { $0 }
    }

    mutating func appendFloats(_ tag: FieldTag, _ field: StaticString, to values: inout [Float]) throws {
        try appendFixedWidth(tag, field, .fixed32, to: &values) { reader, offset in
            Float(bitPattern: try reader.readFixed32(field: field, offset: offset))
        }
    }

    mutating func appendDoubles(_ tag: FieldTag, _ field: StaticString, to values: inout [Double]) throws {
        try appendFixedWidth(tag, field, .fixed64, to: &values) { reader, offset in
            Double(bitPattern: try reader.readFixed64(field: field, offset: offset))
        }
    }

    private mutating func appendFixedWidth<T: BitwiseCopyable>(
        _ tag: FieldTag, _ field: StaticString, _ wireType: WireType, to values: inout [T],
        _ read: (inout WireReader, Int) throws -> T
    ) throws {
        let width = MemoryLayout<T>.size
        if tag.wireType == .lengthDelimited {
            let range = try readLengthDelimited(tag, field)
            guard range.count % width == 0 else {
                throw ONNXError.truncated(message: message, field: "\(field)", offset: tag.offset)
            }
            appendLittleEndian(UnsafeRawBufferPointer(rebasing: input[range]), to: &values)
            return
        }
        try expect(tag, wireType, field)
        values.append(try read(&self, tag.offset))
    }

    // MARK: Unknown fields

    /// Skips the value of `tag` and appends the whole field, key included, to `unknown`.
    mutating func skip(_ tag: FieldTag, into unknown: inout Data) throws {
        switch tag.wireType {
        case .varint: _ = try readVarint(field: "unknown")
        case .fixed64: _ = try readFixed64(field: "unknown", offset: tag.offset)
        case .lengthDelimited: _ = try readLengthDelimited(tag, "unknown")
        case .fixed32: _ = try readFixed32(field: "unknown", offset: tag.offset)
        }
        keepField(tag, in: &unknown)
    }

    /// Appends the bytes of the field just read, key included, to `unknown`. Used for enum
    /// values this codec does not model, so that they survive a round trip.
    func keepField(_ tag: FieldTag, in unknown: inout Data) {
        unknown.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[tag.offset..<position]))
    }
}

/// Appends little-endian fixed-width values from `bytes` (whose count is a multiple of the
/// element size) to `values`. The bytes are copied as they are, which is correct on the
/// little-endian hosts this package supports (x86_64 and aarch64).
func appendLittleEndian<T: BitwiseCopyable>(_ bytes: UnsafeRawBufferPointer, to values: inout [T]) {
    let count = bytes.count / MemoryLayout<T>.stride
    guard count > 0 else { return }
    let decoded = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[..<(count * MemoryLayout<T>.stride)]))
        initialized = count
    }
    if values.isEmpty {
        values = decoded
    } else {
        values.append(contentsOf: decoded)
    }
}
