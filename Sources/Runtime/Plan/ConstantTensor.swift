import Foundation
import Graph

/// A tensor known before execution: an initializer, a `Constant` output, or the
/// result of evaluating a node whose inputs are all constant (shape arithmetic).
///
/// Floating-point types are held as `Float`; every integer and boolean type as `Int64`,
/// because shape arithmetic needs exact 64-bit values such as `Int64.max` slice ends.
struct ConstantTensor {
    enum Storage {
        case float([Float])
        case int([Int64])
    }

    var shape: [Int]
    var storage: Storage

    var count: Int { shape.reduce(1, *) }

    init(shape: [Int], floats: [Float]) {
        precondition(shape.reduce(1, *) == floats.count)
        self.shape = shape
        self.storage = .float(floats)
    }

    init(shape: [Int], ints: [Int64]) {
        precondition(shape.reduce(1, *) == ints.count)
        self.shape = shape
        self.storage = .int(ints)
    }

    /// Decodes little-endian initializer bytes. Throws for strings and unknown types.
    init(_ data: TensorData, name: String) throws {
        let count = data.count
        let bytes = data.bytes
        func load<T>(_: T.Type) -> [T] {
            bytes.withUnsafeBytes { raw in
                (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) }
            }
        }
        guard let width = data.elementType.byteWidth, bytes.count >= count * width else {
            throw RuntimeError.unsupportedElementType(value: name, elementType: data.elementType)
        }
        shape = data.shape
        switch data.elementType {
        case .float: storage = .float(load(Float.self))
        case .double: storage = .float(load(Double.self).map { Float($0) })
        case .float16: storage = .float(load(UInt16.self).map { Float(Float16(bitPattern: $0)) })
        case .bfloat16: storage = .float(load(UInt16.self).map { Float(bitPattern: UInt32($0) << 16) })
        case .int64: storage = .int(load(Int64.self))
        case .int32: storage = .int(load(Int32.self).map { Int64($0) })
        case .int16: storage = .int(load(Int16.self).map { Int64($0) })
        case .int8: storage = .int(load(Int8.self).map { Int64($0) })
        case .uint8, .bool: storage = .int(load(UInt8.self).map { Int64($0) })
        case .uint16: storage = .int(load(UInt16.self).map { Int64($0) })
        case .uint32: storage = .int(load(UInt32.self).map { Int64($0) })
        case .uint64: storage = .int(load(UInt64.self).map { Int64(bitPattern: $0) })
        default: throw RuntimeError.unsupportedElementType(value: name, elementType: data.elementType)
        }
    }

    /// Elements as `Float` (integers converted).
    var floats: [Float] {
        switch storage {
        case .float(let values): return values
        case .int(let values): return values.map { Float($0) }
        }
    }

    /// Elements as `Int64` (floats truncated toward zero).
    var ints: [Int64] {
        switch storage {
        case .float(let values): return values.map { Int64($0) }
        case .int(let values): return values
        }
    }

    /// Elements as `Int`, for shapes, pads and axes.
    var indices: [Int] { ints.map { Int(clamping: $0) } }

    var isFloat: Bool {
        if case .float = storage { return true }
        return false
    }

    /// Returns a tensor of `newShape` whose element `i` is this tensor's element `sourceIndices[i]`.
    /// Structural operators (Transpose, Slice, Gather, Expand) on constants reduce to this.
    func gathered(shape newShape: [Int], sourceIndices: [Int]) -> ConstantTensor {
        switch storage {
        case .float(let values): return ConstantTensor(shape: newShape, floats: sourceIndices.map { values[$0] })
        case .int(let values): return ConstantTensor(shape: newShape, ints: sourceIndices.map { values[$0] })
        }
    }

    /// Returns the same elements with another shape of equal count.
    func reshaped(_ newShape: [Int]) -> ConstantTensor {
        var copy = self
        copy.shape = newShape
        return copy
    }
}
