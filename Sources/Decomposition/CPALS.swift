import Foundation
import LinearAlgebra

/// Starting factors of `cpALS`.
public enum CPInitialization: Sendable, Equatable {
    /// Leading left singular vectors of each unfolding (Kolda and Bader 2009),
    /// padded with seeded standard normal columns when the rank exceeds a mode.
    case svd
    /// Standard normal entries from `SplitMix64(seed:)`.
    case random(seed: UInt64)
}

/// Options of `cpALS`.
public struct CPOptions: Sendable {
    /// Starting factors.
    public var initialization: CPInitialization
    /// Maximum number of ALS sweeps (one sweep updates every mode once).
    public var maxIterations: Int
    /// Stop when `|eₖ₋₁ − eₖ| / eₖ₋₁ < tolerance` for the relative error `e`;
    /// 0 runs all `maxIterations`.
    public var tolerance: Double
    /// Extrapolates the factors after each sweep along the last step with step
    /// `k^(1/p)` and keeps the result when it lowers the error (Bro 1998; the
    /// exponent `p` starts at 3 and grows after four rejections in a row).
    public var lineSearch: Bool
    /// Ridge weight α ≥ 0: each update solves `Uₙ (V + αI) = M`, which bounds the
    /// component weights and removes two-factor degeneracies (the l2-regularised
    /// ALS of Navasca, De Lathauwer and Kindermann 2008). Factors of the other
    /// modes have unit columns, so α is relative to a diagonal of 1.
    public var regularization: Double
    /// Seed for the columns that SVD initialisation pads with.
    public var seed: UInt64

    /// Creates options; the defaults match TensorLy 0.10's `parafac` (SVD
    /// initialisation, 100 iterations, tolerance 1e-8, no line search).
    public init(
        initialization: CPInitialization = .svd, maxIterations: Int = 100, tolerance: Double = 1e-8,
        lineSearch: Bool = false, regularization: Double = 0, seed: UInt64 = 0
    ) {
        self.initialization = initialization
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.lineSearch = lineSearch
        self.regularization = regularization
        self.seed = seed
    }
}

/// Computes a rank-`rank` CP decomposition by alternating least squares (Kolda and
/// Bader 2009), as Lebedev et al. (2015) use to compress convolution kernels.
///
/// Each sweep solves, for every mode `n`, the normal equations
/// `Uₙ · (∗_{m≠n} UₘᵀUₘ) = X₍ₙ₎ · khatriRao(U without n)` by Cholesky and then
/// moves the column norms of `Uₙ` into the weights. The matricised-tensor times
/// Khatri–Rao product is computed with two `gemm`s and no unfolding copy.
///
/// The relative error after each sweep comes from `‖X‖² − 2⟨X, X̂⟩ + ‖X̂‖²` with all
/// three terms accumulated in `Double`. Below 0.03, cancellation would cost `Float`
/// digits, so there the residual is computed directly.
///
/// - Parameters:
///   - x: dense tensor with at least two modes.
///   - rank: number of components `R ≥ 1`; values above `∏Iₙ / maxₙ Iₙ` (the largest
///     generic rank) are clamped and reported in `rankAdjustments`.
///   - options: initialisation, stopping, line search and regularisation.
/// - Returns: a `CPTensor` with the error history and any detected degeneracy.
/// - Throws: `DecompositionError.nonFiniteInput` for NaN or infinite input,
///   `.invalidRank` for `rank < 1`, `.invalidOption` for negative tolerance or
///   regularisation or `maxIterations < 1`, `.linearAlgebra` when LAPACK fails.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func cpALS<Scalar: LAPACKScalar>(
    _ x: Tensor<Scalar>, rank requestedRank: Int, options: CPOptions = CPOptions()
) throws -> CPTensor<Scalar> {
    let operation = "cpALS"
    try validate(x, operation: operation, minimumModes: 2)
    guard requestedRank >= 1 else {
        throw DecompositionError.invalidRank(operation: operation, ranks: [requestedRank], reason: "the rank must be at least 1")
    }
    for (name, value, minimum) in [
        ("tolerance", options.tolerance, 0.0), ("regularization", options.regularization, 0),
        ("maxIterations", Double(options.maxIterations), 1),
    ] where !(value >= minimum) {
        throw DecompositionError.invalidOption(
            operation: operation, name: name, value: value, reason: "must be at least \(minimum)")
    }
    var adjustments: [RankAdjustment] = []
    let rank = clampRank(
        requestedRank, limit: x.count / x.shape.max()!, position: 0,
        reason: "above the largest generic CP rank ∏Iₙ / max Iₙ", into: &adjustments)

    let normSquared = x.squaredNorm
    var state = try wrapping(operation) { try CPState(x: x, rank: rank, options: options) }
    if normSquared == 0 {
        state.makeZero()
        return state.result(shape: x.shape, history: [0], iterations: 0, converged: true, adjustments: adjustments, degeneracy: nil)
    }

    var history: [Double] = []
    var converged = false
    var weightTrace: [[Scalar]] = []
    var extrapolation = LineSearchSchedule()
    for iteration in 1...options.maxIterations {
        let previous = state
        var error = try wrapping(operation) { try state.sweep(x, normSquared: normSquared, regularization: options.regularization) }

        if options.lineSearch && iteration > 1 {
            var candidate = state.extrapolated(from: previous, step: extrapolation.step(iteration))
            let candidateError = candidate.exactError(x, normSquared: normSquared)
            if candidateError < error {
                candidate.refreshGrams()
                state = candidate
                error = candidateError
                extrapolation.accept()
            } else {
                extrapolation.reject()
            }
        }

        history.append(error)
        weightTrace.append(state.weights)
        if history.count >= 2 && options.tolerance > 0 {
            let before = history[history.count - 2]
            if before == 0 || abs(before - error) / before < options.tolerance {
                converged = true
                break
            }
        }
    }
    let degeneracy = state.degeneracy(norm: normSquared.squareRoot(), weightTrace: weightTrace)
    return state.result(
        shape: x.shape, history: history, iterations: history.count, converged: converged,
        adjustments: adjustments, degeneracy: degeneracy)
}

/// Schedule of Bro's extrapolation step `k^(1/p)`.
private struct LineSearchSchedule {
    var exponent = 3.0
    var failures = 0

    func step(_ iteration: Int) -> Double { pow(Double(iteration), 1 / exponent) }
    mutating func accept() { failures = 0 }
    mutating func reject() {
        failures += 1
        if failures == 4 {
            exponent += 1
            failures = 0
        }
    }
}
