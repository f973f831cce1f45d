import LinearAlgebra

/// Element types of NumPy arrays that `NpyFile` reads, spelled as NumPy's `descr` strings
/// for a little-endian machine.
public enum NpyDType: String, Sendable, CaseIterable {
    case float32 = "<f4"
    case float64 = "<f8"
    case int64 = "<i8"
    case int32 = "<i4"
    case uint8 = "|u1"
    case bool = "|b1"

    /// Size of one element in bytes.
    public var byteWidth: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        case .uint8, .bool: return 1
        }
    }

    /// Parses a `descr` string. One-byte types accept any byte-order character
    /// (`|`, `<`, `>`, `=`) because byte order does not apply to them. Wider types accept
    /// little-endian (`<`) and native (`=`) order, since every supported host is little-endian.
    init?(descr: String) {
        var kind = Substring(descr)
        var order: Character = "="
        if let first = kind.first, "<>|=".contains(first) {
            order = first
            kind = kind.dropFirst()
        }
        switch kind {
        case "u1": self = .uint8
        case "b1": self = .bool
        case "f4", "f8", "i8", "i4":
            guard order == "<" || order == "=" else { return nil }
            switch kind {
            case "f4": self = .float32
            case "f8": self = .float64
            case "i8": self = .int64
            default: self = .int32
            }
        default:
            return nil
        }
    }
}

/// An n-dimensional array as stored in a `.npy` file: element type, shape and
/// little-endian element bytes in C (row-major) order.
public struct NpyArray: Equatable, Sendable {
    public let dtype: NpyDType
    /// Extent of each axis; empty for a 0-d (scalar) array.
    public let shape: [Int]
    /// Raw little-endian element bytes; `bytes.count == elementCount * dtype.byteWidth`.
    public let bytes: [UInt8]

    /// Number of elements (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Creates an array from raw bytes. The byte count must match shape and dtype.
    public init(dtype: NpyDType, shape: [Int], bytes: [UInt8]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(
            bytes.count == shape.reduce(1, *) * dtype.byteWidth,
            "shape \(shape) of \(dtype.rawValue) needs \(shape.reduce(1, *) * dtype.byteWidth) bytes, got \(bytes.count)")
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Creates a float32 array from a tensor.
    public init(_ tensor: Tensor<Float>) {
        self.init(dtype: .float32, shape: tensor.shape, bytes: Self.encode(tensor.scalars.map { $0.bitPattern }))
    }

    /// Creates a float64 array from a tensor.
    public init(_ tensor: Tensor<Double>) {
        self.init(dtype: .float64, shape: tensor.shape, bytes: Self.encode(tensor.scalars.map { $0.bitPattern }))
    }

    /// Creates an int64 array from row-major values.
    public init(shape: [Int], int64 values: [Int64]) {
        self.init(dtype: .int64, shape: shape, bytes: Self.encode(values.map { UInt64(bitPattern: $0) }))
    }

    /// Creates a uint8 array from row-major values.
    public init(shape: [Int], uint8 values: [UInt8]) {
        self.init(dtype: .uint8, shape: shape, bytes: values)
    }

    /// Elements converted to `Double`, whatever the dtype (booleans become 0 or 1).
    /// Integers above 2^53 in magnitude lose precision.
    public func doubleValues() -> [Double] {
        switch dtype {
        case .float32: return decode(UInt32.self).map { Double(Float(bitPattern: $0)) }
        case .float64: return decode(UInt64.self).map { Double(bitPattern: $0) }
        case .int64: return decode(UInt64.self).map { Double(Int64(bitPattern: $0)) }
        case .int32: return decode(UInt32.self).map { Double(Int32(bitPattern: $0)) }
        case .uint8: return bytes.map { Double($0) }
        case .bool: return bytes.map { $0 != 0 ? 1 : 0 }
        }
    }

    /// Elements converted to `Float`; float32 data is returned bit for bit.
    public func floatValues() -> [Float] {
        if dtype == .float32 { return decode(UInt32.self).map { Float(bitPattern: $0) } }
        return doubleValues().map { Float($0) }
    }

    /// Elements as integers. Returns nil for floating-point dtypes.
    public func int64Values() -> [Int64]? {
        switch dtype {
        case .int64: return decode(UInt64.self).map { Int64(bitPattern: $0) }
        case .int32: return decode(UInt32.self).map { Int64(Int32(bitPattern: $0)) }
        case .uint8: return bytes.map { Int64($0) }
        case .bool: return bytes.map { $0 != 0 ? 1 : 0 }
        case .float32, .float64: return nil
        }
    }

    /// Converts the array to a `Float` tensor of the same shape.
    public func floatTensor() -> Tensor<Float> {
        Tensor(shape: shape, scalars: floatValues())
    }

    /// Converts the array to a `Double` tensor of the same shape.
    public func doubleTensor() -> Tensor<Double> {
        Tensor(shape: shape, scalars: doubleValues())
    }

    private func decode<Word: FixedWidthInteger>(_: Word.Type) -> [Word] {
        let width = MemoryLayout<Word>.size
        var words = [Word](repeating: 0, count: bytes.count / width)
        words.withUnsafeMutableBytes { destination in
            bytes.withUnsafeBytes { destination.copyMemory(from: $0) }
        }
        return words.map { Word(littleEndian: $0) }
    }

    private static func encode<Word: FixedWidthInteger>(_ words: [Word]) -> [UInt8] {
        let littleEndian = words.map { $0.littleEndian }
        return littleEndian.withUnsafeBytes { Array($0) }
    }
}
