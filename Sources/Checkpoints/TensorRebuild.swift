/// Maximum rank of a stored tensor, a bound against hostile shape tuples.
let maximumTensorRank = 64

extension TensorDescriptor {
    /// Reads the arguments of `torch._utils._rebuild_tensor_v2(storage, storage_offset, size,
    /// stride, requires_grad, backward_hooks[, metadata])` or of the older
    /// `_rebuild_tensor(storage, storage_offset, size, stride)`. Offsets and strides count
    /// elements, not bytes.
    init(rebuildArguments arguments: [PickleValue], in result: PickleResult, version2: Bool) throws {
        let function = version2 ? "_rebuild_tensor_v2" : "_rebuild_tensor"
        let expectedCounts = version2 ? 6...7 : 4...4
        guard expectedCounts.contains(arguments.count) else {
            throw PickleFailure(reason: "\(function) expects \(expectedCounts) arguments, found \(arguments.count)")
        }
        guard case .storage(let storage) = arguments[0] else {
            throw PickleFailure(reason: "\(function) argument 1 is \(result.kindName(arguments[0])), not a storage")
        }
        guard case .int(let offset) = arguments[1], offset >= 0 else {
            throw PickleFailure(reason: "\(function) storage offset is not a non-negative int")
        }
        let shape = try Self.dimensions(arguments[2], name: "size", function: function, in: result)
        let strides = try Self.dimensions(arguments[3], name: "stride", function: function, in: result)
        guard shape.count == strides.count else {
            throw PickleFailure(reason: "\(function) size has \(shape.count) dimensions but stride has \(strides.count)")
        }
        self.init(storage: storage, offset: offset, shape: shape, strides: strides)
    }

    private static func dimensions(_ value: PickleValue, name: String, function: String, in result: PickleResult) throws -> [Int] {
        guard let items = result.items(value), items.count <= maximumTensorRank else {
            throw PickleFailure(reason: "\(function) \(name) is not a tuple of at most \(maximumTensorRank) ints")
        }
        return try items.map { item in
            guard case .int(let number) = item, number >= 0 else {
                throw PickleFailure(reason: "\(function) \(name) contains \(result.kindName(item)), expected a non-negative int")
            }
            return number
        }
    }
}

/// Copies a tensor's elements out of its storage in row-major order and widens them to Float32.
///
/// - Parameters:
///   - storageRange: the byte range of the whole (root) storage within `bytes`.
/// - Throws: `CheckpointError.unsupportedElementType` for storages other than float32,
///   float16, bfloat16 and int64, and `.storageOutOfRange` when the storage size disagrees
///   with its declared element count or the view addresses elements past its end.
func materialize(
    _ descriptor: TensorDescriptor, name: String, bytes: [UInt8], storageRange: Range<Int>, path: String
) throws -> StoredTensor {
    let storage = descriptor.storage
    let elementType: StoredElementType
    switch storage.kind {
    case .supported(let type): elementType = type
    case .unsupported(let typeName): throw CheckpointError.unsupportedElementType(path: path, tensor: name, type: typeName)
    }
    let outOfRange = { (reason: String) in CheckpointError.storageOutOfRange(path: path, tensor: name, reason: reason) }

    let elementSize = elementType.byteCount
    guard storageRange.count % elementSize == 0, storageRange.count / elementSize == storage.declaredCount else {
        throw outOfRange(
            "storage '\(storage.key)' contains \(storageRange.count) bytes, but its persistent id declares "
                + "\(storage.declaredCount) elements of \(elementSize) bytes")
    }
    let window = storage.view ?? 0..<storage.declaredCount
    guard window.lowerBound >= 0, window.upperBound <= storage.declaredCount else {
        throw outOfRange("storage view \(window) lies outside storage '\(storage.key)' of \(storage.declaredCount) elements")
    }

    guard let count = elementCount(descriptor.shape) else {
        throw outOfRange("the element count of shape \(descriptor.shape) overflows")
    }
    // An empty tensor reads nothing, so its storage offset is not checked.
    guard count > 0 else { return StoredTensor(shape: descriptor.shape, elementType: elementType, values: []) }
    guard let lastIndex = lastElementIndex(descriptor), lastIndex < window.count else {
        throw outOfRange(
            "storage offset \(descriptor.offset), shape \(descriptor.shape) and strides \(descriptor.strides) "
                + "address elements past the end of its storage of \(window.count) elements")
    }

    let firstByte = storageRange.lowerBound + (window.lowerBound + descriptor.offset) * elementSize
    let values = gatherValues(
        bytes: bytes, firstByte: firstByte, elementType: elementType,
        shape: descriptor.shape, strides: descriptor.strides, count: count)
    return StoredTensor(shape: descriptor.shape, elementType: elementType, values: values)
}

/// Product of the dimensions, or nil on overflow.
func elementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for dimension in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        if overflow { return nil }
        count = product
    }
    return count
}

/// Storage offset plus Σ (size − 1) × stride, the largest element index a non-empty view
/// reads, or nil on overflow.
private func lastElementIndex(_ descriptor: TensorDescriptor) -> Int? {
    var index = descriptor.offset
    for (dimension, stride) in zip(descriptor.shape, descriptor.strides) {
        let (step, stepOverflow) = (dimension - 1).multipliedReportingOverflow(by: stride)
        let (sum, sumOverflow) = index.addingReportingOverflow(step)
        if stepOverflow || sumOverflow { return nil }
        index = sum
    }
    return index
}

/// Reads `count` elements of a strided view starting at `firstByte`, walking the indices in
/// row-major order. Callers have checked that every addressed element lies within `bytes`.
/// The index walk uses wrapping arithmetic because carrying past a size-1 axis with a huge
/// stride briefly leaves the valid range before the carry subtracts it again.
private func gatherValues(
    bytes: [UInt8], firstByte: Int, elementType: StoredElementType, shape: [Int], strides: [Int], count: Int
) -> [Float] {
    let elementSize = elementType.byteCount
    var values = [Float](repeating: 0, count: count)
    bytes.withUnsafeBytes { raw in
        values.withUnsafeMutableBufferPointer { output in
            if isRowMajor(shape: shape, strides: strides) {
                for index in 0..<count {
                    output[index] = widen(raw, firstByte + index * elementSize, elementType)
                }
                return
            }
            var position = [Int](repeating: 0, count: shape.count)
            var elementOffset = 0
            for index in 0..<count {
                output[index] = widen(raw, firstByte + elementOffset * elementSize, elementType)
                var axis = shape.count - 1
                while axis >= 0 {
                    position[axis] += 1
                    elementOffset &+= strides[axis]
                    if position[axis] < shape[axis] { break }
                    elementOffset &-= strides[axis] &* shape[axis]
                    position[axis] = 0
                    axis -= 1
                }
            }
        }
    }
    return values
}

/// True when the strides are those of a contiguous row-major tensor. Dimensions of size 1
/// may carry any stride.
private func isRowMajor(shape: [Int], strides: [Int]) -> Bool {
    var expected = 1
    for axis in shape.indices.reversed() where shape[axis] != 1 {
        if strides[axis] != expected { return false }
        expected *= shape[axis]
    }
    return true
}

/// Reads one little-endian element at byte `offset` and widens it to Float32.
@inline(__always)
func widen(_ raw: UnsafeRawBufferPointer, _ offset: Int, _ elementType: StoredElementType) -> Float {
    switch elementType {
    case .float32:
        return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    case .float16:
        return floatFromHalf(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    case .bfloat16:
        return Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))) << 16)
    case .int64:
        return Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
    }
}

/// Widens IEEE 754 binary16 bits to Float32 exactly, keeping signed zeros, subnormals,
/// infinities and NaN payloads.
func floatFromHalf(_ bits: UInt16) -> Float {
    let sign = UInt32(bits >> 15) << 31
    let exponent = UInt32(bits >> 10) & 0x1f
    let mantissa = UInt32(bits) & 0x3ff
    switch exponent {
    case 0:
        // Subnormal or zero: mantissa × 2^-24 is exact in Float32.
        let magnitude = Float(mantissa) * 0x1p-24
        return Float(bitPattern: sign | magnitude.bitPattern)
    case 0x1f:
        return Float(bitPattern: sign | 0x7f80_0000 | mantissa << 13)
    default:
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }
}
