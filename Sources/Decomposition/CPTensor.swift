import LinearAlgebra

/// A CP (CANDECOMP/PARAFAC) tensor `X̂ = Σᵣ λᵣ · u⁰ᵣ ∘ u¹ᵣ ∘ … ∘ uᵈ⁻¹ᵣ`
/// (Kolda and Bader 2009).
public struct CPTensor<Scalar: LAPACKScalar>: DecomposedTensor {
    public var shape: [Int]
    /// Component weights λ, `R` of them.
    public var weights: [Scalar]
    /// Factor matrices `[Iₙ, R]`, one per mode; columns have unit norm unless the
    /// component is zero.
    public var factors: [Tensor<Scalar>]
    /// Relative error after each ALS iteration, as estimated during the iteration
    /// (accurate to about `1e-6` in `Float`; see `cpALS`).
    public var errorHistory: [Double]
    /// Number of ALS iterations run.
    public var iterations: Int
    /// True when the relative change of the error fell below the tolerance.
    public var converged: Bool
    /// Set when two components cancel each other with growing weights.
    public var degeneracy: CPDegeneracy?
    /// Ranks that were clamped to fit the shape.
    public var rankAdjustments: [RankAdjustment]

    /// Number of components `R`.
    public var rank: Int { weights.count }

    /// `R · Σₙ Iₙ`. The weights are not counted because a layer absorbs them into
    /// one factor.
    public var parameterCount: Int { rank * shape.reduce(0, +) }

    /// Returns the factors with the weights multiplied into the first one.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func absorbedFactors() -> [Tensor<Scalar>] {
        var result = factors
        guard !result.isEmpty else { return result }
        let r = rank
        for i in 0..<result[0].shape[0] {
            for c in 0..<r { result[0].scalars[i * r + c] *= weights[c] }
        }
        return result
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func reconstruct() -> Tensor<Scalar> {
        let full = absorbedFactors()
        if shape.count == 1 {
            return Tensor(shape: shape, scalars: (0..<shape[0]).map { i in
                (0..<rank).reduce(0) { $0 + full[0].scalars[i * rank + $1] } })
        }
        let rest = khatriRao(Array(full.dropFirst()))
        return matmul(full[0], rest, transposeB: true).reshaped(shape)
    }
}

/// Two CP components whose factors point in nearly opposite directions while
/// their weights exceed the tensor's norm.
///
/// This is the two-factor degeneracy of ALS (Kruskal, Harshman and Lundy 1989).
/// The fit then improves only while the cancelling components grow without bound.
public struct CPDegeneracy: Equatable, Sendable, CustomStringConvertible {
    /// The two component indices.
    public var components: [Int]
    /// Product over modes of the cosines between the two components' factor
    /// columns; near −1 for a degenerate pair.
    public var congruence: Double
    /// Larger of the two weights divided by `‖X‖`.
    public var weightRatio: Double
    /// Ratio of that weight to its value ten iterations earlier; above 1 means growing.
    public var growth: Double

    public var description: String {
        "components \(components) cancel (congruence \(congruence), weight \(weightRatio)·‖X‖, growth ×\(growth)); "
            + "use l2 regularisation (CPOptions.regularization) or a lower rank"
    }
}
