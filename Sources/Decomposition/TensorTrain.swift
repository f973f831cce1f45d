import Foundation
import LinearAlgebra

/// Computes a tensor train by TT-SVD (Oseledets 2011): sequential truncated SVDs
/// of `[rₖ · nₖ, ∏_{m>k} nₘ]` reshapings of the remainder.
///
/// Bond `k` (between cores `k` and `k + 1`) keeps
/// `min(maxRanks[k], smallest r with Σ_{i≥r} σᵢ² ≤ δ²)` components, with
/// `δ = ε ‖X‖ / √(d − 1)` when a `relativeError` target ε is given, which bounds
/// the total relative error by ε. Each rank is also clamped to the SVD's
/// `min(rows, columns)` and never below 1; clamps are reported in `rankAdjustments`.
///
/// - Parameters:
///   - x: dense tensor with at least one mode.
///   - maxRanks: `d − 1` bond ranks, or nil for no cap (then `relativeError` is required).
///   - relativeError: target ε > 0, or nil.
/// - Throws: `DecompositionError.nonFiniteInput`, `.invalidRank` when the rank
///   count is wrong or neither limit is given, `.invalidOption` for ε ≤ 0,
///   `.linearAlgebra` when LAPACK fails.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func tensorTrain<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, maxRanks: [Int]? = nil, relativeError: Double? = nil
) throws -> TTTensor<Scalar> {
    let operation = "tensorTrain"
    try validate(x, operation: operation)
    let result = try trainSweep(
        x.reshaped(x.shape), maxRanks: maxRanks, relativeError: relativeError, operation: operation)
    return TTTensor(
        shape: x.shape, cores: result.cores, predictedError: result.error, rankAdjustments: result.adjustments)
}

/// TT-SVD with the same cap on every bond.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func tensorTrain<Scalar: LAPACKScalar>(_ x: Tensor<Scalar>, maxRank: Int) throws -> TTTensor<Scalar> {
    try tensorTrain(x, maxRanks: Array(repeating: maxRank, count: max(x.rank - 1, 0)))
}

/// Computes a TT-matrix of a `[rows, columns]` weight matrix (Novikov et al. 2015):
/// the matrix is reshaped to `[m₀, …, m_{d−1}, n₀, …, n_{d−1}]`, its modes are
/// interleaved to `[m₀n₀, m₁n₁, …]`, and that tensor goes through TT-SVD.
///
/// - Parameters:
///   - matrix: `[∏ outputShape, ∏ inputShape]`, for example a Gemm weight `[out, in]`.
///   - outputShape, inputShape: factorisations of equal length `d`; pad with 1s
///     or use `balancedFactorization(_:parts:)`.
///   - maxRanks, relativeError: as in `tensorTrain(_:maxRanks:relativeError:)`.
/// - Throws: `.unsupportedShape` when the factorisations do not match the matrix,
///   and the errors of `tensorTrain`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func ttMatrix<Scalar: LAPACKScalar>(
    _ matrix: Tensor<Scalar>, outputShape: [Int], inputShape: [Int], maxRanks: [Int]? = nil,
    relativeError: Double? = nil
) throws -> TTMatrix<Scalar> {
    let operation = "ttMatrix"
    try validateMatrixFactorization(matrix, outputShape: outputShape, inputShape: inputShape, operation: operation)
    try validate(matrix, operation: operation)
    let tensor = tensorizeMatrix(matrix, outputShape: outputShape, inputShape: inputShape)
    let result = try trainSweep(tensor, maxRanks: maxRanks, relativeError: relativeError, operation: operation)
    let cores = zip(result.cores.indices, result.cores).map { k, core in
        core.reshaped([core.shape[0], outputShape[k], inputShape[k], core.shape[2]])
    }
    return TTMatrix(
        outputShape: outputShape, inputShape: inputShape, cores: cores, predictedError: result.error,
        rankAdjustments: result.adjustments)
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func validateMatrixFactorization<Scalar: LAPACKScalar>(
    _ matrix: Tensor<Scalar>, outputShape: [Int], inputShape: [Int], operation: String
) throws {
    guard matrix.rank == 2, outputShape.count == inputShape.count, !outputShape.isEmpty,
        outputShape.reduce(1, *) == matrix.shape[0], inputShape.reduce(1, *) == matrix.shape[1],
        (outputShape + inputShape).allSatisfy({ $0 >= 1 })
    else {
        throw DecompositionError.unsupportedShape(
            operation: operation, shape: matrix.shape,
            reason: "outputShape \(outputShape) and inputShape \(inputShape) must have equal length "
                + "and multiply to the matrix's rows and columns")
    }
}

/// Factors `n` into `parts` integers as equal as possible (largest prime factors
/// placed first, each into the currently smallest part), sorted in descending
/// order and padded with 1s when `n` has fewer prime factors than `parts`.
///
/// For example `balancedFactorization(25088, parts: 6)` returns `[8, 7, 7, 4, 4, 4]`.
/// - Precondition: `n ≥ 1`, `parts ≥ 1`.
public func balancedFactorization(_ n: Int, parts: Int) -> [Int] {
    precondition(n >= 1 && parts >= 1, "balancedFactorization needs n ≥ 1 and parts ≥ 1, got \(n), \(parts)")
    var primes: [Int] = []
    var rest = n
    var p = 2
    while p * p <= rest {
        while rest % p == 0 {
            primes.append(p)
            rest /= p
        }
        p += 1
    }
    if rest > 1 { primes.append(rest) }
    var result = [Int](repeating: 1, count: parts)
    for prime in primes.sorted(by: >) {
        let smallest = result.indices.min { result[$0] < result[$1] }!
        result[smallest] *= prime
    }
    return result.sorted(by: >)
}

/// The shared TT-SVD loop; returns cores `[rₖ, nₖ, rₖ₊₁]`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func trainSweep<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, maxRanks: [Int]?, relativeError: Double?, operation: String
) throws -> (cores: [Tensor<Scalar>], error: Double, adjustments: [RankAdjustment]) {
    let d = x.rank
    if let maxRanks, maxRanks.count != d - 1 {
        throw DecompositionError.invalidRank(
            operation: operation, ranks: maxRanks, reason: "expected \(d - 1) bond ranks for \(d) modes")
    }
    if maxRanks == nil && relativeError == nil {
        throw DecompositionError.invalidRank(operation: operation, ranks: [], reason: "give maxRanks, relativeError or both")
    }
    if let epsilon = relativeError, !(epsilon > 0) {
        throw DecompositionError.invalidOption(
            operation: operation, name: "relativeError", value: epsilon, reason: "must be positive")
    }
    let norm = x.squaredNorm.squareRoot()
    let delta = (relativeError ?? 0) * norm / Double(max(d - 1, 1)).squareRoot()
    var adjustments: [RankAdjustment] = []
    var cores: [Tensor<Scalar>] = []
    var remainder = x.scalars
    var previousRank = 1
    var discarded = 0.0
    for k in 0..<(d - 1) {
        let rows = previousRank * x.shape[k]
        let columns = remainder.count / rows
        let bound = min(rows, columns)
        var cap = bound
        if let requested = maxRanks?[k] {
            cap = clampRank(requested, limit: bound, position: k, reason: "a TT bond rank cannot exceed min(rₖ·nₖ, ∏ remaining)", into: &adjustments)
        }
        let unfolding = Tensor(shape: [rows, columns], scalars: remainder)
        let decomposition = try wrapping(operation) {
            if relativeError == nil { return try truncatedSVD(unfolding, rank: cap) }
            return try truncatedSVD(unfolding, method: .full) { spectrum in
                min(cap, rankForDiscardedEnergy(spectrum, limit: delta * delta, enabled: true))
            }
        }
        let rank = decomposition.rank
        discarded += decomposition.discardedEnergy
        cores.append(decomposition.u.reshaped([previousRank, x.shape[k], rank]))
        remainder = scaleRows(decomposition.vt, by: decomposition.singularValues).scalars
        previousRank = rank
    }
    cores.append(Tensor(shape: [previousRank, x.shape[d - 1], 1], scalars: remainder))
    let error = norm > 0 ? discarded.squareRoot() / norm : 0
    return (cores, error, adjustments)
}

/// Smallest rank `r ≥ 1` with `Σ_{i≥r} σᵢ² ≤ limit`; the full length when `enabled` is false.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func rankForDiscardedEnergy<Scalar: LAPACKScalar>(_ spectrum: [Scalar], limit: Double, enabled: Bool) -> Int {
    guard enabled else { return spectrum.count }
    var tail = 0.0
    var rank = spectrum.count
    while rank > 1 {
        let value = Double(spectrum[rank - 1])
        if tail + value * value > limit { break }
        tail += value * value
        rank -= 1
    }
    return max(rank, 1)
}

/// `diag(s) · M` for `M` of shape `[k, n]`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func scaleRows<Scalar: LAPACKScalar>(_ m: Tensor<Scalar>, by s: [Scalar]) -> Tensor<Scalar> {
    var result = m
    let n = m.shape[1]
    for i in 0..<m.shape[0] {
        for j in 0..<n { result.scalars[i * n + j] *= s[i] }
    }
    return result
}

