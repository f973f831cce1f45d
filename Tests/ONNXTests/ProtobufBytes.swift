import Foundation

/// Builds protobuf encodings by hand, field by field, so tests can produce encodings that
/// the codec's writer never emits (unpacked repeated fields, wrong wire types, truncation).
struct ProtobufBytes {
    var bytes: [UInt8] = []

    static func varintBytes(_ value: UInt64) -> [UInt8] {
        var result: [UInt8] = []
        var remaining = value
        while remaining >= 0x80 {
            result.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        result.append(UInt8(remaining))
        return result
    }

    func key(_ field: Int, _ wireType: UInt8) -> [UInt8] {
        Self.varintBytes(UInt64(field) << 3 | UInt64(wireType))
    }

    func varint(_ field: Int, _ value: Int64) -> ProtobufBytes {
        var copy = self
        copy.bytes += key(field, 0) + Self.varintBytes(UInt64(bitPattern: value))
        return copy
    }

    func fixed32(_ field: Int, _ value: Float) -> ProtobufBytes {
        var copy = self
        copy.bytes += key(field, 5) + withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init)
        return copy
    }

    func fixed64(_ field: Int, _ value: Double) -> ProtobufBytes {
        var copy = self
        copy.bytes += key(field, 1) + withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init)
        return copy
    }

    func bytes(_ field: Int, _ value: [UInt8]) -> ProtobufBytes {
        var copy = self
        copy.bytes += key(field, 2) + Self.varintBytes(UInt64(value.count)) + value
        return copy
    }

    func string(_ field: Int, _ value: String) -> ProtobufBytes {
        bytes(field, Array(value.utf8))
    }

    func message(_ field: Int, _ value: ProtobufBytes) -> ProtobufBytes {
        bytes(field, value.bytes)
    }

    func raw(_ value: [UInt8]) -> ProtobufBytes {
        var copy = self
        copy.bytes += value
        return copy
    }

    var data: Data { Data(bytes) }
    var count: Int { bytes.count }
}

/// The ModelProto prefix most hand-built models start with: ir_version 8 and opset 17.
func modelPrefix() -> ProtobufBytes {
    ProtobufBytes().varint(1, 8).message(8, ProtobufBytes().varint(2, 17))
}

/// A model whose graph holds only the given initializer, and the absolute offset of the
/// initializer's key in the encoding.
func modelWithInitializer(_ tensor: ProtobufBytes) -> (bytes: Data, tensorOffset: Int) {
    let graph = ProtobufBytes().string(2, "g").message(5, tensor)
    let prefix = modelPrefix()
    let model = prefix.message(7, graph)
    let graphKeyAndLength = 1 + ProtobufBytes.varintBytes(UInt64(graph.count)).count
    let tensorOffset = prefix.count + graphKeyAndLength + ProtobufBytes().string(2, "g").count
    return (model.data, tensorOffset)
}
