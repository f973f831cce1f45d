import Foundation

/// A protobuf writer that collects the encoding as a list of chunks.
///
/// Small values accumulate in `buffer`. Bytes fields of at least `sharedChunkThreshold`
/// bytes (tensor `raw_data`) are kept as references to the caller's `Data`, so encoding a
/// model copies no weights. `count` is the total encoded size, which a parent message
/// needs for its length prefix.
struct WireWriter {
    static let sharedChunkThreshold = 4096

    private(set) var chunks: [Data] = []
    private var buffer: [UInt8] = []
    private(set) var count = 0

    /// Moves the pending small bytes into `chunks`, so that `chunks` contains the whole encoding.
    mutating func finish() {
        guard !buffer.isEmpty else { return }
        chunks.append(Data(buffer))
        buffer.removeAll(keepingCapacity: false)
    }

    // MARK: Primitives

    mutating func writeVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
            count += 1
        }
        buffer.append(UInt8(remaining))
        count += 1
    }

    mutating func writeKey(_ field: Int, _ wireType: WireType) {
        writeVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    private mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        count += bytes.count
    }

    /// Appends already-encoded bytes, such as the unknown fields a message kept.
    mutating func writeEncoded(_ bytes: Data) {
        guard !bytes.isEmpty else { return }
        if bytes.count >= Self.sharedChunkThreshold {
            finish()
            chunks.append(bytes)
            count += bytes.count
        } else {
            bytes.withUnsafeBytes { writeRaw($0) }
        }
    }

    // MARK: Singular fields (omitted when they hold the default value)

    mutating func writeUInt64(_ field: Int, _ value: UInt64, always: Bool = false) {
        guard value != 0 || always else { return }
        writeKey(field, .varint)
        writeVarint(value)
    }

    mutating func writeInt64(_ field: Int, _ value: Int64, always: Bool = false) {
        writeUInt64(field, UInt64(bitPattern: value), always: always)
    }

    /// Writes an int32 or enum. Negative values take 10 bytes, sign-extended as protobuf requires.
    mutating func writeInt32(_ field: Int, _ value: Int32, always: Bool = false) {
        writeInt64(field, Int64(value), always: always)
    }

    mutating func writeFloat(_ field: Int, _ value: Float, always: Bool = false) {
        guard value.bitPattern != 0 || always else { return }
        writeKey(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { writeRaw($0) }
    }

    mutating func writeString(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        var utf8 = value
        utf8.withUTF8 { bytes in
            writeKey(field, .lengthDelimited)
            writeVarint(UInt64(bytes.count))
            writeRaw(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Writes a bytes field, and with `always` also an empty one (repeated and optional fields).
    mutating func writeBytes(_ field: Int, _ value: Data, always: Bool = false) {
        guard !value.isEmpty || always else { return }
        writeKey(field, .lengthDelimited)
        writeVarint(UInt64(value.count))
        writeEncoded(value)
    }

    /// Writes a nested message encoded by `encode`, even when it is empty.
    mutating func writeMessage(_ field: Int, _ encode: (inout WireWriter) -> Void) {
        var nested = WireWriter()
        encode(&nested)
        writeKey(field, .lengthDelimited)
        writeVarint(UInt64(nested.count))
        append(nested)
    }

    private mutating func append(_ nested: WireWriter) {
        if nested.chunks.isEmpty {
            buffer.append(contentsOf: nested.buffer)
        } else {
            finish()
            chunks.append(contentsOf: nested.chunks)
            buffer = nested.buffer
        }
        count += nested.count
    }

    // MARK: Packed repeated fields

    mutating func writePackedVarints<S: Sequence>(_ field: Int, _ values: S, _ convert: (S.Element) -> UInt64) {
        var packed = WireWriter()
        for value in values { packed.writeVarint(convert(value)) }
        guard packed.count > 0 else { return }
        writeKey(field, .lengthDelimited)
        writeVarint(UInt64(packed.count))
        append(packed)
    }

    mutating func writePackedInt64s(_ field: Int, _ values: [Int64]) {
        writePackedVarints(field, values) { UInt64(bitPattern: $0) }
    }

    mutating func writePackedInt32s(_ field: Int, _ values: [Int32]) {
        writePackedVarints(field, values) { UInt64(bitPattern: Int64($0)) }
    }

    mutating func writePackedUInt64s(_ field: Int, _ values: [UInt64]) {
        writePackedVarints(field, values) { $0 }
    }

    /// Writes fixed-width values as one packed run of little-endian bytes.
    mutating func writePackedFixed<T: BitwiseCopyable>(_ field: Int, _ values: [T]) {
        guard !values.isEmpty else { return }
        writeBytes(field, values.withUnsafeBytes { Data($0) })
    }
}
