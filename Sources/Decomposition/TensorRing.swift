import LinearAlgebra

/// Computes a tensor ring by TR-SVD (Zhao et al. 2016), optionally refined by
/// TR-ALS sweeps.
///
/// The first truncated SVD of the `[n₀, ∏_{k>0} nₖ]` unfolding keeps `r₀ · r₁`
/// components, split into the closing bond `r₀` and the first inner bond `r₁`.
/// The remaining bonds follow TT-SVD on the remainder, with `r₀` moved to the end. With a `relativeError` target ε the first step discards at most
/// `δ₁² = 2ε²‖X‖²/d` and every later step `δ² = ε²‖X‖²/d`, and `r₀ · r₁` is split
/// into the two closest factors.
///
/// - Parameters:
///   - x: dense tensor with at least two modes.
///   - ranks: `d` ring ranks `[r₀, …, r_{d−1}]` (core `k` is `[rₖ, nₖ, r₍ₖ₊₁₎ mod d]`)
///     used as caps, or nil with a `relativeError`. `r₀ · r₁` is clamped to
///     `min(n₀, ∏_{k>0} nₖ)` and the other ranks to their SVD bounds, never below 1;
///     clamps are reported.
///   - relativeError: target ε > 0, or nil.
///   - alsIterations: TR-ALS sweeps after TR-SVD (0 for plain TR-SVD). Each sweep
///     solves every core by least squares with the others fixed.
///   - tolerance: stop TR-ALS when the relative error improves by less than this.
/// - Throws: `DecompositionError.nonFiniteInput`, `.invalidRank`, `.invalidOption`,
///   `.linearAlgebra`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func tensorRing<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, ranks: [Int]? = nil, relativeError: Double? = nil, alsIterations: Int = 0,
    tolerance: Double = 1e-6
) throws -> TRTensor<Scalar> {
    let operation = "tensorRing"
    try validate(x, operation: operation, minimumModes: 2)
    var (cores, adjustments, discarded) = try ringSweep(x, ranks: ranks, relativeError: relativeError, operation: operation)
    let normSquared = x.squaredNorm
    // The TR-SVD steps are orthogonal projections like those of TT-SVD, so the
    // squared error is the sum of the discarded energies.
    var history = [normSquared > 0 ? (discarded / normSquared).squareRoot() : 0]
    if alsIterations > 0 && normSquared > 0 {
        cores = try wrapping(operation) {
            try refineRing(x, cores, iterations: alsIterations, tolerance: tolerance, normSquared: normSquared, history: &history)
        }
    }
    return TRTensor(shape: x.shape, cores: cores, errorHistory: history, rankAdjustments: adjustments)
}

/// Computes a TR-matrix of a `[rows, columns]` weight matrix: the interleaved
/// tensorisation of `ttMatrix` followed by `tensorRing`.
///
/// - Parameters: as `ttMatrix` for the shapes and `tensorRing` for ranks and refinement;
///   `outputShape` and `inputShape` need at least two entries.
/// - Throws: `.unsupportedShape` when the factorisations do not match the matrix,
///   and the errors of `tensorRing`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func trMatrix<Scalar: LAPACKScalar>(
    _ matrix: Tensor<Scalar>, outputShape: [Int], inputShape: [Int], ranks: [Int]? = nil,
    relativeError: Double? = nil, alsIterations: Int = 0
) throws -> TRMatrix<Scalar> {
    let operation = "trMatrix"
    try validateMatrixFactorization(matrix, outputShape: outputShape, inputShape: inputShape, operation: operation)
    let tensor = tensorizeMatrix(matrix, outputShape: outputShape, inputShape: inputShape)
    let ring = try tensorRing(tensor, ranks: ranks, relativeError: relativeError, alsIterations: alsIterations)
    let cores = zip(ring.cores.indices, ring.cores).map { k, core in
        core.reshaped([core.shape[0], outputShape[k], inputShape[k], core.shape[2]])
    }
    return TRMatrix(
        outputShape: outputShape, inputShape: inputShape, cores: cores, errorHistory: ring.errorHistory,
        rankAdjustments: ring.rankAdjustments)
}

/// TR-SVD; returns cores `[rₖ, nₖ, rₖ₊₁]` and the rank clamps.
private func ringSweep<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, ranks: [Int]?, relativeError: Double?, operation: String
) throws -> ([Tensor<Scalar>], [RankAdjustment], Double) {
    let d = x.rank
    if let ranks, ranks.count != d {
        throw DecompositionError.invalidRank(operation: operation, ranks: ranks, reason: "expected \(d) ring ranks for \(d) modes")
    }
    if ranks == nil && relativeError == nil {
        throw DecompositionError.invalidRank(operation: operation, ranks: [], reason: "give ranks, relativeError or both")
    }
    if let epsilon = relativeError, !(epsilon > 0) {
        throw DecompositionError.invalidOption(operation: operation, name: "relativeError", value: epsilon, reason: "must be positive")
    }
    let norm = x.squaredNorm.squareRoot()
    let delta = (relativeError ?? 0) * norm / Double(d).squareRoot()
    var adjustments: [RankAdjustment] = []

    // First step: [n₀, rest] with r₀ · r₁ components.
    let n0 = x.shape[0]
    let rest = x.count / n0
    let firstBound = min(n0, rest)
    var r0 = 1, r1 = 1
    if let ranks { (r0, r1) = clampRingPair(ranks[0], ranks[1], bound: firstBound, into: &adjustments) }
    let first = try wrapping(operation) {
        if relativeError == nil { return try truncatedSVD(x.reshaped([n0, rest]), rank: r0 * r1) }
        return try truncatedSVD(x.reshaped([n0, rest]), method: .full) { spectrum in
            let product = rankForDiscardedEnergy(spectrum, limit: 2 * delta * delta, enabled: true)
            if ranks != nil && r0 * r1 <= product { return r0 * r1 }
            (r0, r1) = closestFactorPair(min(product, firstBound))
            return r0 * r1
        }
    }
    var discarded = first.discardedEnergy
    var cores = [first.u.reshaped([n0, r0, r1]).permuted([1, 0, 2])]
    var remainder = scaleRows(first.vt, by: first.singularValues)
        .reshaped([r0, r1, rest]).permuted([1, 2, 0]).scalars  // [r₁, n₁ ⋯ n_{d−1}, r₀]

    // Middle steps: TT-SVD with r₀ carried at the end.
    var previousRank = r1
    for k in 1..<(d - 1) {
        let rows = previousRank * x.shape[k]
        let columns = remainder.count / rows
        var cap = min(rows, columns)
        if let ranks {
            cap = clampRank(ranks[k + 1], limit: cap, position: k + 1, reason: "a TR rank cannot exceed its SVD bound min(rows, columns)", into: &adjustments)
        }
        let unfolding = Tensor(shape: [rows, columns], scalars: remainder)
        let decomposition = try wrapping(operation) {
            if relativeError == nil { return try truncatedSVD(unfolding, rank: cap) }
            // An error target needs the small singular values, which the Gram path loses.
            return try truncatedSVD(unfolding, method: .full) { spectrum in
                min(cap, rankForDiscardedEnergy(spectrum, limit: delta * delta, enabled: true))
            }
        }
        discarded += decomposition.discardedEnergy
        cores.append(decomposition.u.reshaped([previousRank, x.shape[k], decomposition.rank]))
        remainder = scaleRows(decomposition.vt, by: decomposition.singularValues).scalars
        previousRank = decomposition.rank
    }
    cores.append(Tensor(shape: [previousRank, x.shape[d - 1], r0], scalars: remainder))
    return (cores, adjustments, discarded)
}

/// Clamps `r₀ · r₁` to `bound`: among pairs `a ≤ r₀`, `b ≤ r₁` with `a · b ≤ bound` it keeps
/// the largest product, and of those the most balanced, so that requesting ranks above
/// the bound gives `r₀ · r₁ = bound` (an exact first step) even when `bound` is prime.
private func clampRingPair(_ requested0: Int, _ requested1: Int, bound: Int, into adjustments: inout [RankAdjustment]) -> (Int, Int) {
    var r0 = max(requested0, 1), r1 = max(requested1, 1)
    if r0 * r1 > bound {
        var best = (1, 1)
        for a in 1...min(r0, max(bound, 1)) {
            let b = min(r1, bound / a)
            guard b >= 1 else { continue }
            let isLarger = a * b > best.0 * best.1
            let isBalanced = a * b == best.0 * best.1 && abs(a - b) < abs(best.0 - best.1)
            if isLarger || isBalanced { best = (a, b) }
        }
        (r0, r1) = best
    }
    let reason = "r₀ · r₁ cannot exceed min(n₀, ∏ other extents) = \(bound)"
    if r0 != requested0 { adjustments.append(RankAdjustment(position: 0, requested: requested0, applied: r0, reason: reason)) }
    if r1 != requested1 { adjustments.append(RankAdjustment(position: 1, requested: requested1, applied: r1, reason: reason)) }
    return (r0, r1)
}

/// Splits `n` into `a · b = n` with `a ≤ b` and `b − a` smallest.
func closestFactorPair(_ n: Int) -> (Int, Int) {
    var a = Int(Double(n).squareRoot())
    while a > 1 && n % a != 0 { a -= 1 }
    return (max(a, 1), n / max(a, 1))
}

/// Relative error of a ring from its reconstruction.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ringError<Scalar: LAPACKScalar>(_ x: Tensor<Scalar>, _ cores: [Tensor<Scalar>], normSquared: Double) -> Double {
    let residual = traceChain(cores).reshaped(x.shape).distance(to: x)
    return normSquared > 0 ? residual / normSquared.squareRoot() : residual
}

/// TR-ALS (Zhao et al. 2016): each core in turn is the least-squares solution
/// with the others fixed. With `Q` the product of the other cores in ring order
/// (`[rₖ₊₁, J, rₖ]`, `J` the other modes from `k + 1` around to `k − 1`), the
/// cyclic unfolding satisfies `X₍ₖ₎ = Zₖ · Qᵀ` with `Zₖ` as `[nₖ, rₖ · rₖ₊₁]`.
private func refineRing<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, _ initial: [Tensor<Scalar>], iterations: Int, tolerance: Double, normSquared: Double,
    history: inout [Double]
) throws -> [Tensor<Scalar>] {
    let d = x.rank
    var cores = initial
    for _ in 0..<iterations {
        for k in 0..<d {
            let order = (0..<d).map { (k + $0) % d }
            let unfolding = x.permuted(order).reshaped([x.shape[k], x.count / x.shape[k]])
            let others = order.dropFirst().map { cores[$0] }
            let (left, right) = (cores[k].shape[0], cores[k].shape[2])
            let chain = contractChain(Array(others))  // [rₖ₊₁ · J, rₖ]
            let j = chain.count / (left * right)
            let design = chain.reshaped([right, j, left]).permuted([1, 2, 0]).reshaped([j, left * right])
            let product = matmul(unfolding, design)
            let solved = try solveNormalEquations(gram(design, transpose: true), product)
            cores[k] = solved.reshaped([x.shape[k], left, right]).permuted([1, 0, 2])
        }
        let error = ringError(x, cores, normSquared: normSquared)
        let before = history.last!
        history.append(error)
        if before - error < tolerance * before { break }
    }
    return cores
}
