import LinearAlgebra

/// Algorithm for the Tucker factors.
public enum TuckerAlgorithm: Sendable, Equatable {
    /// Truncated higher-order SVD (De Lathauwer, De Moor and Vandewalle 2000a):
    /// each factor is the matrix of leading left singular vectors of its unfolding.
    case hosvd
    /// Higher-order orthogonal iteration (De Lathauwer, De Moor and Vandewalle
    /// 2000b), started from the HOSVD. Stops after `maxIterations`, or from the
    /// third iteration on when the relative error changed by less than `tolerance`
    /// (absolute difference) since the previous iteration, the rule of TensorLy 0.10.
    case hooi(maxIterations: Int = 100, tolerance: Double = 1e-4)
}

/// Computes a Tucker decomposition of every mode.
///
/// - Parameters:
///   - x: dense tensor.
///   - ranks: one rank per mode; each is clamped to `1...shape[m]` and the
///     change reported in `rankAdjustments`.
///   - algorithm: `.hosvd` or `.hooi(...)`.
/// - Throws: `DecompositionError.nonFiniteInput`, `.invalidRank` when the rank
///   count differs from the mode count, `.linearAlgebra` when LAPACK fails.
/// - Complexity: per mode, a Gram matrix of the unfolding (`Iₘ · count` flops)
///   and an `Iₘ × Iₘ` eigendecomposition; never an SVD of the full unfolding.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func tucker<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, ranks: [Int], algorithm: TuckerAlgorithm = .hooi()
) throws -> TuckerTensor<Scalar> {
    try partialTucker(x, modes: Array(0..<x.rank), ranks: ranks, algorithm: algorithm, operation: "tucker")
}

/// Computes a Tucker decomposition over the given modes only, for example the
/// Tucker-2 form of an OIHW kernel over modes `[0, 1]` (Kim et al. 2015).
///
/// - Parameters:
///   - x: dense tensor.
///   - modes: distinct modes to decompose.
///   - ranks: one rank per entry of `modes`, clamped to `1...shape[m]` and reported.
///   - algorithm: `.hosvd` or `.hooi(...)`.
/// - Throws: as `tucker(_:ranks:algorithm:)`, and `.invalidRank` for duplicate or
///   out-of-range modes.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func partialTucker<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, modes: [Int], ranks: [Int], algorithm: TuckerAlgorithm = .hooi()
) throws -> TuckerTensor<Scalar> {
    try partialTucker(x, modes: modes, ranks: ranks, algorithm: algorithm, operation: "partialTucker")
}

private func partialTucker<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, modes unsortedModes: [Int], ranks unsortedRanks: [Int], algorithm: TuckerAlgorithm,
    operation: String
) throws -> TuckerTensor<Scalar> {
    try validate(x, operation: operation)
    guard unsortedModes.count == unsortedRanks.count, !unsortedModes.isEmpty else {
        throw DecompositionError.invalidRank(
            operation: operation, ranks: unsortedRanks,
            reason: "expected one rank for each of the \(unsortedModes.count) decomposed modes")
    }
    guard Set(unsortedModes).count == unsortedModes.count, unsortedModes.allSatisfy({ $0 >= 0 && $0 < x.rank }) else {
        throw DecompositionError.invalidRank(
            operation: operation, ranks: unsortedModes, reason: "modes must be distinct and within 0..<\(x.rank)")
    }
    let order = unsortedModes.indices.sorted { unsortedModes[$0] < unsortedModes[$1] }
    let modes = order.map { unsortedModes[$0] }
    var adjustments: [RankAdjustment] = []
    let ranks = order.map { index in
        clampRank(
            unsortedRanks[index], limit: x.shape[unsortedModes[index]], position: unsortedModes[index],
            reason: "a Tucker rank cannot exceed its mode's extent", into: &adjustments)
    }

    let normSquared = x.squaredNorm
    var factors = try wrapping(operation) {
        try zip(modes, ranks).map { try x.leadingLeftSingularVectors(mode: $0, count: $1) }
    }
    var core = project(x, factors, modes: modes)
    var history = [relativeErrorFromCore(core, normSquared: normSquared)]

    if case let .hooi(maxIterations, tolerance) = algorithm {
        for iteration in 0..<maxIterations {
            for (index, mode) in modes.enumerated() {
                let partial = project(x, factors, modes: modes, skipping: index)
                factors[index] = try wrapping(operation) {
                    try partial.leadingLeftSingularVectors(mode: mode, count: ranks[index])
                }
            }
            core = project(x, factors, modes: modes)
            let error = relativeErrorFromCore(core, normSquared: normSquared)
            let before = history.last!
            history.append(error)
            if iteration >= 2 && abs(before - error) < tolerance { break }
        }
    }
    return TuckerTensor(
        shape: x.shape, core: core, factors: factors, modes: modes, errorHistory: history,
        rankAdjustments: adjustments)
}

/// `X ×ₘ U⁽ᵐ⁾ᵀ` over `modes`, leaving out `modes[skipping]`.
private func project<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, _ factors: [Tensor<Scalar>], modes: [Int], skipping: Int? = nil
) -> Tensor<Scalar> {
    // Contract the modes that shrink the tensor most first.
    let order = modes.indices.filter { $0 != skipping }.sorted {
        Double(factors[$0].shape[1]) / Double(x.shape[modes[$0]]) < Double(factors[$1].shape[1]) / Double(x.shape[modes[$1]])
    }
    var result = x
    for index in order { result = result.modeProduct(factors[index], mode: modes[index], transpose: true) }
    return result
}

/// With orthonormal factors, `‖X − X̂‖² = ‖X‖² − ‖G‖²`.
private func relativeErrorFromCore<Scalar: LAPACKScalar>(_ core: Tensor<Scalar>, normSquared: Double) -> Double {
    guard normSquared > 0 else { return 0 }
    return (abs(normSquared - core.squaredNorm) / normSquared).squareRoot()
}
