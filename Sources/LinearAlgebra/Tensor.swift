/// A dense, row-major tensor of `Float` or `Double` with value semantics.
///
/// Storage is a contiguous array in C order: the last index varies fastest.
/// Copies share storage until one of them is mutated.
public struct Tensor<Scalar: BinaryFloatingPoint & Sendable>: Equatable, Sendable {
    /// Extent of each mode; empty for a scalar.
    public let shape: [Int]
    /// Elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Scalar]

    /// Creates a tensor from its shape and its row-major elements.
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(
            shape.reduce(1, *) == scalars.count,
            "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape with every element equal to `value`.
    public init(repeating value: Scalar, shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
    }

    /// Creates a zero tensor of the given shape.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// Number of modes (dimensions).
    public var rank: Int { shape.count }

    /// Number of elements.
    public var count: Int { scalars.count }

    /// Row-major strides in elements.
    public var strides: [Int] { Tensor.rowMajorStrides(shape) }

    /// Returns row-major strides (in elements) for a shape.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = Array(repeating: 1, count: shape.count)
        var step = 1
        for axis in (0..<shape.count).reversed() {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// Accesses the element at a multi-index.
    public subscript(_ index: Int...) -> Scalar {
        get { scalars[offset(of: index)] }
        set { scalars[offset(of: index)] = newValue }
    }

    private func offset(of index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
        var offset = 0
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(index) out of range for shape \(shape)")
            offset = offset * shape[axis] + i
        }
        return offset
    }

    /// Returns the same elements viewed with another shape of equal element count.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Frobenius norm, accumulated in `Double`.
    public var frobeniusNorm: Double {
        var sum = 0.0
        for x in scalars {
            let d = Double(x)
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// Converts the element type.
    public func converted<Other: BinaryFloatingPoint & Sendable>(to _: Other.Type) -> Tensor<Other> {
        Tensor<Other>(shape: shape, scalars: scalars.map { Other($0) })
    }
}
