import Foundation

/// A constant tensor unpacked for evaluation at import time: floating-point
/// elements as Double, integer and boolean elements as Int64, together with the
/// ONNX element type they are stored back as.
struct ConstantValue: Equatable {
    enum Elements: Equatable {
        case floating([Double])
        case integer([Int64])
    }

    var elementType: ElementType
    var shape: [Int]
    var elements: Elements

    var count: Int { shape.reduce(1, *) }

    init(elementType: ElementType, shape: [Int], elements: Elements) {
        self.elementType = elementType
        self.shape = shape
        self.elements = elements
    }

    init(integers: [Int64], shape: [Int], elementType: ElementType = .int64) {
        self.init(elementType: elementType, shape: shape, elements: .integer(integers))
    }

    /// Unpacks a tensor, or returns nil for element types the evaluator does not handle (float16, strings).
    init?(_ tensor: TensorData) {
        if let integers = tensor.integers() {
            self.init(elementType: tensor.elementType, shape: tensor.shape, elements: .integer(integers))
        } else if let doubles = tensor.doubles() {
            self.init(elementType: tensor.elementType, shape: tensor.shape, elements: .floating(doubles))
        } else {
            return nil
        }
    }

    var isFloating: Bool {
        if case .floating = elements { return true }
        return false
    }

    /// Elements converted to Int64 (floating values truncated toward zero).
    var integers: [Int64] {
        switch elements {
        case let .integer(values): return values
        case let .floating(values):
            return values.map { value in
                guard !value.isNaN else { return 0 }
                return Int64(exactly: value.rounded(.towardZero)) ?? (value < 0 ? .min : .max)
            }
        }
    }

    /// Elements converted to Double.
    var doubles: [Double] {
        switch elements {
        case let .integer(values): return values.map(Double.init)
        case let .floating(values): return values
        }
    }

    /// Packs the elements back into little-endian bytes of `elementType`.
    var tensorData: TensorData {
        let bytes: Data
        switch elementType {
        case .float: bytes = littleEndianBytes(of: doubles.map { Float($0).bitPattern })
        case .double: bytes = littleEndianBytes(of: doubles.map(\.bitPattern))
        case .int64: bytes = littleEndianBytes(of: integers)
        case .int32: bytes = littleEndianBytes(of: integers.map { Int32(truncatingIfNeeded: $0) })
        case .int16: bytes = littleEndianBytes(of: integers.map { Int16(truncatingIfNeeded: $0) })
        case .int8: bytes = littleEndianBytes(of: integers.map { Int8(truncatingIfNeeded: $0) })
        case .uint8, .bool: bytes = littleEndianBytes(of: integers.map { UInt8(truncatingIfNeeded: $0) })
        case .uint16: bytes = littleEndianBytes(of: integers.map { UInt16(truncatingIfNeeded: $0) })
        case .uint32: bytes = littleEndianBytes(of: integers.map { UInt32(truncatingIfNeeded: $0) })
        case .uint64: bytes = littleEndianBytes(of: integers.map { UInt64(bitPattern: $0) })
        default: preconditionFailure("ConstantValue cannot hold element type \(elementType)")
        }
        return TensorData(elementType: elementType, shape: shape, bytes: bytes)
    }

    /// Converts to another element type as ONNX Cast does (floating to integer truncates toward zero).
    func cast(to target: ElementType) -> ConstantValue {
        switch target {
        case .float:
            return ConstantValue(elementType: target, shape: shape, elements: .floating(doubles.map { Double(Float($0)) }))
        case .double:
            return ConstantValue(elementType: target, shape: shape, elements: .floating(doubles))
        case .bool:
            return ConstantValue(elementType: target, shape: shape, elements: .integer(doubles.map { $0 != 0 ? 1 : 0 }))
        default:
            return ConstantValue(elementType: target, shape: shape, elements: .integer(integers))
        }
    }

    /// Gathers elements by flat index into a new shape, keeping the element type.
    func gathering(_ indices: [Int], shape newShape: [Int]) -> ConstantValue {
        switch elements {
        case let .integer(values):
            return ConstantValue(elementType: elementType, shape: newShape, elements: .integer(indices.map { values[$0] }))
        case let .floating(values):
            return ConstantValue(elementType: elementType, shape: newShape, elements: .floating(indices.map { values[$0] }))
        }
    }

    func reshaped(_ newShape: [Int]) -> ConstantValue {
        ConstantValue(elementType: elementType, shape: newShape, elements: elements)
    }
}

/// Row-major strides of a shape.
func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var stride = 1
    for axis in shape.indices.reversed() {
        strides[axis] = stride
        stride *= shape[axis]
    }
    return strides
}

/// Calls `body` with each multi-index of `shape` in row-major order.
func forEachIndex(of shape: [Int], _ body: ([Int]) -> Void) {
    let count = shape.reduce(1, *)
    guard count > 0 else { return }
    var index = [Int](repeating: 0, count: shape.count)
    for _ in 0..<count {
        body(index)
        var axis = shape.count - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < shape[axis] { break }
            index[axis] = 0
            axis -= 1
        }
    }
}
