import LinearAlgebra

/// A tensor stored in factored form.
public protocol DecomposedTensor<Scalar>: Sendable {
    associatedtype Scalar: LAPACKScalar
    /// Shape of the full tensor the factors represent.
    var shape: [Int] { get }
    /// Number of stored scalars in the factored form.
    var parameterCount: Int { get }
    /// Multiplies the factors back into a dense tensor of `shape`.
    func reconstruct() -> Tensor<Scalar>
}

extension DecomposedTensor {
    /// Relative reconstruction error `‖X − X̂‖ / ‖X‖`, computed from the residual
    /// with `Double` accumulation. Returns the absolute error `‖X̂‖` when `X` is zero.
    /// - Precondition: `original.shape == shape`.
    public func relativeError(to original: Tensor<Scalar>) -> Double {
        precondition(original.shape == shape, "relativeError: shape \(original.shape) differs from \(shape)")
        let residual = reconstruct().distance(to: original)
        let norm = original.squaredNorm.squareRoot()
        return norm > 0 ? residual / norm : residual
    }

    /// Fraction of the dense tensor's element count stored, `parameterCount / ∏ shape`.
    public var compressionRatio: Double { Double(parameterCount) / Double(shape.reduce(1, *)) }
}
