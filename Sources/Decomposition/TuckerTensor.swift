import LinearAlgebra

/// A Tucker tensor `X̂ = G ×ₘ U⁽ᵐ⁾` over the decomposed modes (Tucker 1966; Kolda
/// and Bader 2009). Modes not in `modes` are kept whole in the core, as in the
/// Tucker-2 form of a convolution kernel.
public struct TuckerTensor<Scalar: LAPACKScalar>: DecomposedTensor {
    public var shape: [Int]
    /// Core tensor; `core.shape[m] == ranks[i]` for `m == modes[i]`, else `shape[m]`.
    public var core: Tensor<Scalar>
    /// Factor matrices `[shape[m], rank]` with orthonormal columns, one per entry of `modes`.
    public var factors: [Tensor<Scalar>]
    /// Decomposed modes, ascending.
    public var modes: [Int]
    /// Relative error `√|‖X‖² − ‖G‖²| / ‖X‖` after initialisation (HOSVD) and after
    /// each HOOI iteration.
    public var errorHistory: [Double]
    /// Ranks that were clamped to fit the shape.
    public var rankAdjustments: [RankAdjustment]

    /// Ranks of the decomposed modes, in the order of `modes`.
    public var ranks: [Int] { factors.map { $0.shape[1] } }

    /// `core.count + Σ factor.count`.
    public var parameterCount: Int { core.count + factors.reduce(0) { $0 + $1.count } }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func reconstruct() -> Tensor<Scalar> {
        var result = core
        for (mode, factor) in zip(modes, factors) { result = result.modeProduct(factor, mode: mode) }
        return result
    }
}
