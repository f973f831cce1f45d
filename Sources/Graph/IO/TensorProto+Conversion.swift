import Foundation
import ONNX

extension TensorData {
    /// Converts a TensorProto. `raw_data` is kept as is, so a slice of a
    /// memory-mapped file stays a slice. Typed repeated fields are converted to
    /// little-endian bytes of the tensor's element type.
    ///
    /// Throws `GraphError.unsupportedTensor` for string tensors, external data
    /// and element bytes that do not match the shape.
    public init(proto: TensorProto) throws {
        let shape = proto.dims.map { Int($0) }
        guard proto.dataLocation != .external, proto.externalData.isEmpty else {
            throw GraphError.unsupportedTensor(name: proto.name, reason: "its data is stored in an external file; load the model with external data resolved")
        }
        guard let width = proto.dataType.byteWidth else {
            throw GraphError.unsupportedTensor(name: proto.name, reason: "element type \(proto.dataType) has no fixed width")
        }
        let count = shape.reduce(1, *)
        let bytes: Data
        if let raw = proto.rawData {
            bytes = raw
        } else {
            bytes = try Self.typedFieldBytes(of: proto, count: count)
        }
        guard bytes.count == count * width else {
            throw GraphError.unsupportedTensor(
                name: proto.name,
                reason: "shape \(shape) of \(proto.dataType) needs \(count * width) bytes, the tensor holds \(bytes.count)")
        }
        self.init(elementType: proto.dataType, shape: shape, bytes: bytes)
    }

    /// Serializes the typed repeated field that ONNX uses for the element type.
    private static func typedFieldBytes(of proto: TensorProto, count: Int) throws -> Data {
        switch proto.dataType {
        case .float:
            return littleEndianBytes(of: proto.floatData.map { $0.bitPattern })
        case .double:
            return littleEndianBytes(of: proto.doubleData.map { $0.bitPattern })
        case .int64:
            return littleEndianBytes(of: proto.int64Data)
        case .int32:
            return littleEndianBytes(of: proto.int32Data)
        case .int16:
            return littleEndianBytes(of: proto.int32Data.map { Int16(truncatingIfNeeded: $0) })
        case .uint16, .float16, .bfloat16:
            return littleEndianBytes(of: proto.int32Data.map { UInt16(truncatingIfNeeded: $0) })
        case .int8:
            return littleEndianBytes(of: proto.int32Data.map { Int8(truncatingIfNeeded: $0) })
        case .uint8, .bool:
            return littleEndianBytes(of: proto.int32Data.map { UInt8(truncatingIfNeeded: $0) })
        case .uint32:
            return littleEndianBytes(of: proto.uint64Data.map { UInt32(truncatingIfNeeded: $0) })
        case .uint64:
            return littleEndianBytes(of: proto.uint64Data)
        default:
            throw GraphError.unsupportedTensor(name: proto.name, reason: "element type \(proto.dataType) is not supported")
        }
    }

    /// Converts the tensor to a TensorProto that stores its bytes in `raw_data`.
    public func proto(name: String) -> TensorProto {
        var proto = TensorProto()
        proto.name = name
        proto.dims = shape.map { Int64($0) }
        proto.dataType = elementType
        proto.rawData = bytes
        return proto
    }
}
