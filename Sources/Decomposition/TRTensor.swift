import LinearAlgebra

/// A tensor ring `X̂(i₀, …, i_{d−1}) = trace(Z₀[i₀] · Z₁[i₁] ⋯ Z_{d−1}[i_{d−1}])`
/// (Zhao et al. 2016).
public struct TRTensor<Scalar: LAPACKScalar>: DecomposedTensor {
    public var shape: [Int]
    /// Cores `[rₖ, nₖ, rₖ₊₁]`, where the last core's trailing rank equals `r₀`.
    public var cores: [Tensor<Scalar>]
    /// Relative error after TR-SVD (from the discarded singular values) followed by
    /// one entry per TR-ALS sweep (from the residual).
    public var errorHistory: [Double]
    /// Ranks that were clamped to fit the shape.
    public var rankAdjustments: [RankAdjustment]

    /// Ring ranks `[r₀, …, r_{d−1}]`; core `k` is `[rₖ, nₖ, r₍ₖ₊₁₎ mod d]`.
    public var ranks: [Int] { cores.map { $0.shape[0] } }
    /// `Σ rₖ · nₖ · rₖ₊₁`.
    public var parameterCount: Int { cores.reduce(0) { $0 + $1.count } }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func reconstruct() -> Tensor<Scalar> { traceChain(cores).reshaped(shape) }
}

/// Multiplies ring cores and takes the trace over the closing bond: `[∏ nₖ]` elements.
/// Each closing index `a` is contracted separately, so the largest intermediate is
/// `∏_{k<d−1} nₖ · r_{d−1}` elements rather than `r₀` times the tensor.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func traceChain<Scalar: LAPACKScalar>(_ cores: [Tensor<Scalar>]) -> Tensor<Scalar> {
    let r0 = cores[0].shape[0]
    let last = cores[cores.count - 1]
    let (rLast, nLast) = (last.shape[0], last.shape[1])
    let total = cores.reduce(1) { $0 * $1.shape[1] }
    var result = Tensor<Scalar>(zeros: [total])
    for a in 0..<r0 {
        // Row a of the first core, and column a of the last core.
        let first = cores[0]
        let (n0, r1) = (first.shape[1], first.shape[2])
        let head = Tensor(shape: [1, n0, r1], scalars: Array(first.scalars[(a * n0 * r1)..<((a + 1) * n0 * r1)]))
        var tail = [Scalar](repeating: 0, count: rLast * nLast)
        for i in 0..<(rLast * nLast) { tail[i] = last.scalars[i * r0 + a] }
        var chainCores = [head] + cores.dropFirst().dropLast()
        if cores.count > 1 {
            chainCores.append(Tensor(shape: [rLast, nLast, 1], scalars: tail))
        } else {
            // A single core: its own trace.
            chainCores = [Tensor(shape: [1, n0, 1], scalars: (0..<n0).map { first.scalars[(a * n0 + $0) * r1 + a] })]
        }
        let slice = contractChain(chainCores)
        for i in 0..<total { result.scalars[i] += slice.scalars[i] }
    }
    return result
}

/// A matrix in tensor-ring format (TR-matrix; Wang et al. 2018 use it for
/// fully connected layers): the interleaved tensorisation of `TTMatrix` with ring cores
/// `[rₖ, mₖ, nₖ, rₖ₊₁]`.
public struct TRMatrix<Scalar: LAPACKScalar>: DecomposedTensor {
    /// Factorisation of the row count.
    public var outputShape: [Int]
    /// Factorisation of the column count.
    public var inputShape: [Int]
    /// Cores `[rₖ, mₖ, nₖ, rₖ₊₁]`, the last trailing rank equal to `r₀`.
    public var cores: [Tensor<Scalar>]
    /// Relative error after TR-SVD and each TR-ALS sweep.
    public var errorHistory: [Double]
    /// Ranks that were clamped to fit the shape.
    public var rankAdjustments: [RankAdjustment]

    /// `[rows, columns]` of the represented matrix.
    public var shape: [Int] { [outputShape.reduce(1, *), inputShape.reduce(1, *)] }
    /// Ring ranks `[r₀, …, r_{d−1}]`.
    public var ranks: [Int] { cores.map { $0.shape[0] } }
    public var parameterCount: Int { cores.reduce(0) { $0 + $1.count } }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func reconstruct() -> Tensor<Scalar> {
        let merged = cores.map { $0.reshaped([$0.shape[0], $0.shape[1] * $0.shape[2], $0.shape[3]]) }
        return untensorizeMatrix(traceChain(merged), outputShape: outputShape, inputShape: inputShape)
    }
}
