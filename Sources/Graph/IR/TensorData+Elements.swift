import Foundation

extension TensorData {
    /// Creates a float32 tensor from row-major elements.
    public init(floats: [Float], shape: [Int]) {
        precondition(floats.count == shape.reduce(1, *), "element count \(floats.count) does not match shape \(shape)")
        self.init(elementType: .float, shape: shape, bytes: littleEndianBytes(of: floats.map { $0.bitPattern }))
    }

    /// Creates an int64 tensor from row-major elements.
    public init(int64s: [Int64], shape: [Int]) {
        precondition(int64s.count == shape.reduce(1, *), "element count \(int64s.count) does not match shape \(shape)")
        self.init(elementType: .int64, shape: shape, bytes: littleEndianBytes(of: int64s))
    }

    /// Elements of a float32 tensor. Precondition: `elementType == .float`.
    public func floats() -> [Float] {
        precondition(elementType == .float, "floats() called on a \(elementType) tensor")
        return readLittleEndian(bytes, count: count, as: UInt32.self).map(Float.init(bitPattern:))
    }

    /// Elements of an integer or boolean tensor widened to Int64, or nil for
    /// floating-point, string and unknown element types.
    public func integers() -> [Int64]? {
        switch elementType {
        case .int64: return readLittleEndian(bytes, count: count, as: Int64.self)
        case .int32: return readLittleEndian(bytes, count: count, as: Int32.self).map(Int64.init)
        case .int16: return readLittleEndian(bytes, count: count, as: Int16.self).map(Int64.init)
        case .int8: return readLittleEndian(bytes, count: count, as: Int8.self).map(Int64.init)
        case .uint8, .bool: return readLittleEndian(bytes, count: count, as: UInt8.self).map(Int64.init)
        case .uint16: return readLittleEndian(bytes, count: count, as: UInt16.self).map(Int64.init)
        case .uint32: return readLittleEndian(bytes, count: count, as: UInt32.self).map(Int64.init)
        case .uint64: return readLittleEndian(bytes, count: count, as: UInt64.self).map { Int64(bitPattern: $0) }
        default: return nil
        }
    }

    /// Elements of a float32 or float64 tensor as Double, or nil for other element types.
    public func doubles() -> [Double]? {
        switch elementType {
        case .float: return floats().map(Double.init)
        case .double: return readLittleEndian(bytes, count: count, as: UInt64.self).map(Double.init(bitPattern:))
        default: return nil
        }
    }

    /// Size of the element bytes the shape and element type call for, or nil
    /// for element types without a fixed width.
    public var expectedByteCount: Int? { elementType.byteWidth.map { $0 * count } }
}

/// Serializes fixed-width integers as little-endian bytes.
func littleEndianBytes<T: FixedWidthInteger>(of values: [T]) -> Data {
    var data = Data(count: values.count * MemoryLayout<T>.size)
    data.withUnsafeMutableBytes { raw in
        for (index, value) in values.enumerated() {
            raw.storeBytes(of: value.littleEndian, toByteOffset: index * MemoryLayout<T>.size, as: T.self)
        }
    }
    return data
}

/// Reads `count` little-endian integers from the start of `data`, which may be unaligned.
func readLittleEndian<T: FixedWidthInteger>(_ data: Data, count: Int, as type: T.Type) -> [T] {
    precondition(data.count >= count * MemoryLayout<T>.size, "tensor holds \(data.count) bytes, \(count) elements of \(T.self) need more")
    return data.withUnsafeBytes { raw in
        (0..<count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
    }
}
