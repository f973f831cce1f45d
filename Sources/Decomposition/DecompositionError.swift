import LinearAlgebra

/// Failures of the decomposition algorithms.
public enum DecompositionError: Error, CustomStringConvertible, Equatable {
    /// The input tensor contains NaN or an infinity at the given row-major offset.
    case nonFiniteInput(operation: String, offset: Int, value: Double)
    /// The input tensor has no elements or fewer modes than the method needs.
    case unsupportedShape(operation: String, shape: [Int], reason: String)
    /// A rank argument is invalid (for example zero, negative or of the wrong count).
    case invalidRank(operation: String, ranks: [Int], reason: String)
    /// An option is outside its valid range.
    case invalidOption(operation: String, name: String, value: Double, reason: String)
    /// A linear algebra routine failed underneath.
    case linearAlgebra(operation: String, underlying: LinearAlgebraError)

    public var description: String {
        switch self {
        case let .nonFiniteInput(operation, offset, value):
            return "\(operation): input element at offset \(offset) is \(value); "
                + "decompositions need finite values, so clean or re-export the weights"
        case let .unsupportedShape(operation, shape, reason):
            return "\(operation): unsupported shape \(shape): \(reason)"
        case let .invalidRank(operation, ranks, reason):
            return "\(operation): invalid rank \(ranks): \(reason)"
        case let .invalidOption(operation, name, value, reason):
            return "\(operation): invalid \(name) = \(value): \(reason)"
        case let .linearAlgebra(operation, underlying):
            return "\(operation): \(underlying)"
        }
    }
}

/// Throws `nonFiniteInput` for the first NaN or infinite element and
/// `unsupportedShape` for an empty tensor.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func validate<Scalar: LAPACKScalar>(_ x: Tensor<Scalar>, operation: String, minimumModes: Int = 1) throws {
    if x.rank < minimumModes || x.count == 0 {
        throw DecompositionError.unsupportedShape(
            operation: operation, shape: x.shape,
            reason: "needs at least \(minimumModes) mode(s) and at least one element")
    }
    if let bad = x.firstNonFinite() {
        throw DecompositionError.nonFiniteInput(operation: operation, offset: bad.offset, value: bad.value)
    }
}

/// Runs a linear algebra step and wraps its error with the decomposition's name.
func wrapping<T>(_ operation: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LinearAlgebraError {
        throw DecompositionError.linearAlgebra(operation: operation, underlying: error)
    }
}
