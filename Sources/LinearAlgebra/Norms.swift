/// Sums of squares and inner products accumulated in `Double`, so `Float`
/// tensors keep about 15 significant digits in norms and residuals.
extension Tensor where Scalar: LAPACKScalar {
    /// Squared Frobenius norm `‖X‖²`, accumulated in `Double`.
    public var squaredNorm: Double { sumOfSquares() }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func sumOfSquares() -> Double {
        scalars.withUnsafeBufferPointer { p in accumulate(p.count) { Double(p[$0]) * Double(p[$0]) } }
    }

    /// Inner product `⟨X, Y⟩` accumulated in `Double`.
    /// - Precondition: equal shapes.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func innerProduct(_ other: Tensor) -> Double {
        precondition(shape == other.shape, "innerProduct: shapes \(shape) and \(other.shape) differ")
        return scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in accumulate(a.count) { Double(a[$0]) * Double(b[$0]) } }
        }
    }

    /// Frobenius norm of the difference `‖X − Y‖`, computed from the residual
    /// itself (not from `‖X‖² + ‖Y‖² − 2⟨X, Y⟩`, which cancels catastrophically
    /// when the two are close).
    /// - Precondition: equal shapes.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func distance(to other: Tensor) -> Double {
        precondition(shape == other.shape, "distance: shapes \(shape) and \(other.shape) differ")
        return scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                accumulate(a.count) {
                    let d = Double(a[$0]) - Double(b[$0])
                    return d * d
                }
            }
        }.squareRoot()
    }

    /// Offset and value of the first NaN or infinite element, or nil when all are finite.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func firstNonFinite() -> (offset: Int, value: Double)? {
        for (offset, x) in scalars.enumerated() where !x.isFinite { return (offset, Double(x)) }
        return nil
    }
}

/// Sums `term(i)` for `i` in `0..<count` in four independent `Double` lanes, which
/// lets the compiler vectorise while keeping `Double` accumulation.
@inline(__always)
func accumulate(_ count: Int, _ term: (Int) -> Double) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var i = 0
    while i + 4 <= count {
        s0 += term(i)
        s1 += term(i + 1)
        s2 += term(i + 2)
        s3 += term(i + 3)
        i += 4
    }
    while i < count {
        s0 += term(i)
        i += 1
    }
    return (s0 + s1) + (s2 + s3)
}
