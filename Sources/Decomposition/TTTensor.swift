import LinearAlgebra

/// A tensor train `X̂(i₀, …, i_{d−1}) = G₀[i₀] · G₁[i₁] ⋯ G_{d−1}[i_{d−1}]`
/// (Oseledets 2011).
public struct TTTensor<Scalar: LAPACKScalar>: DecomposedTensor {
    public var shape: [Int]
    /// Cores `[rₖ, nₖ, rₖ₊₁]` with `r₀ = r_d = 1`.
    public var cores: [Tensor<Scalar>]
    /// Relative error predicted by the SVD truncations, `√(Σ discarded σ²) / ‖X‖`;
    /// exact for TT-SVD up to rounding.
    public var predictedError: Double
    /// Ranks that were clamped to fit the shape.
    public var rankAdjustments: [RankAdjustment]

    /// Bond ranks `[r₀, r₁, …, r_d]` with `r₀ = r_d = 1`.
    public var ranks: [Int] { cores.map { $0.shape[0] } + [cores.last?.shape[2] ?? 1] }

    /// `Σ rₖ · nₖ · rₖ₊₁`.
    public var parameterCount: Int { cores.reduce(0) { $0 + $1.count } }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func reconstruct() -> Tensor<Scalar> { contractChain(cores).reshaped(shape) }
}

/// Multiplies a chain of cores `[rₖ, nₖ, rₖ₊₁]` into `[r₀ · ∏nₖ, r_d]`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func contractChain<Scalar: LAPACKScalar>(_ cores: [Tensor<Scalar>]) -> Tensor<Scalar> {
    let first = cores[0]
    var chain = first.reshaped([first.shape[0] * first.shape[1], first.shape[2]])
    for core in cores.dropFirst() {
        let (r, n, next) = (core.shape[0], core.shape[1], core.shape[2])
        chain = matmul(chain, core.reshaped([r, n * next])).reshaped([chain.shape[0] * n, next])
    }
    return chain
}

/// A matrix in tensor-train format (TT-matrix; Oseledets 2010, used for fully
/// connected layers by Novikov et al. 2015): `W[(i₀…), (j₀…)] = G₀[i₀, j₀] ⋯ G_{d−1}[i_{d−1}, j_{d−1}]`
/// with row index `i = (i₀, …, i_{d−1})` and column index `j = (j₀, …, j_{d−1})`
/// both in row-major order.
public struct TTMatrix<Scalar: LAPACKScalar>: DecomposedTensor {
    /// Factorisation of the row count: `∏ outputShape = shape[0]`.
    public var outputShape: [Int]
    /// Factorisation of the column count: `∏ inputShape = shape[1]`.
    public var inputShape: [Int]
    /// Cores `[rₖ, mₖ, nₖ, rₖ₊₁]`, `mₖ = outputShape[k]`, `nₖ = inputShape[k]`, `r₀ = r_d = 1`.
    public var cores: [Tensor<Scalar>]
    /// Relative error predicted by the SVD truncations.
    public var predictedError: Double
    /// Ranks that were clamped to fit the shape.
    public var rankAdjustments: [RankAdjustment]

    /// `[rows, columns]` of the represented matrix.
    public var shape: [Int] { [outputShape.reduce(1, *), inputShape.reduce(1, *)] }
    /// Bond ranks `[r₀, …, r_d]`.
    public var ranks: [Int] { cores.map { $0.shape[0] } + [cores.last?.shape[3] ?? 1] }
    public var parameterCount: Int { cores.reduce(0) { $0 + $1.count } }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func reconstruct() -> Tensor<Scalar> {
        let merged = cores.map { $0.reshaped([$0.shape[0], $0.shape[1] * $0.shape[2], $0.shape[3]]) }
        return untensorizeMatrix(contractChain(merged), outputShape: outputShape, inputShape: inputShape)
    }
}

/// Reorders `[M, N]` with `M = ∏mₖ`, `N = ∏nₖ` into `[m₀n₀, m₁n₁, …]` (modes interleaved).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func tensorizeMatrix<Scalar: LAPACKScalar>(
    _ matrix: Tensor<Scalar>, outputShape: [Int], inputShape: [Int]
) -> Tensor<Scalar> {
    let d = outputShape.count
    let interleave = (0..<d).flatMap { [$0, d + $0] }
    let permuted = matrix.reshaped(outputShape + inputShape).permuted(interleave)
    return permuted.reshaped(zip(outputShape, inputShape).map { $0 * $1 })
}

/// Inverts `tensorizeMatrix`: `[m₀n₀, …]` (any leading `1`) back to `[M, N]`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func untensorizeMatrix<Scalar: LAPACKScalar>(
    _ tensor: Tensor<Scalar>, outputShape: [Int], inputShape: [Int]
) -> Tensor<Scalar> {
    let d = outputShape.count
    let interleaved = (0..<d).flatMap { [outputShape[$0], inputShape[$0]] }
    let back = (0..<d).map { 2 * $0 } + (0..<d).map { 2 * $0 + 1 }
    return tensor.reshaped(interleaved).permuted(back)
        .reshaped([outputShape.reduce(1, *), inputShape.reduce(1, *)])
}
