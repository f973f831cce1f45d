import Decomposition
import LinearAlgebra

/// A weight matrix W [O, I] decomposed for a matrix layer.
enum MatrixFactors {
    case lowRank(LowRankMatrixFactors)
    case ring(RingMatrixFactors)
}

/// Factors of one weight matrix, with the ranks used, the rank clamps in words and
/// the relative weight error.
struct MatrixFactorization {
    var factors: MatrixFactors
    var ranks: [Int]
    var adjustments: [String]
    var relativeError: Double
    /// Input and output factorisations of TT- and TR-matrices, else nil.
    var shapes: (output: [Int], input: [Int])?
}

/// Decomposes W [O, I] as a truncated SVD (svd, and what cp and tucker2 mean for a
/// matrix) or, when `tensorized`, as a TT-matrix (tt) or TR-matrix (tr).
func factorizeMatrix(
    _ matrix: Tensor<Double>, layer: String, tensorized: Bool, options: CompressionOptions
) throws -> MatrixFactorization {
    let (rows, columns) = (matrix.shape[0], matrix.shape[1])
    let explicit = options.rankPolicy.explicitRanks(for: layer)
    let effective = options.rankPolicy.effective(for: layer)

    if tensorized && (options.method == .tt || options.method == .tr) {
        return try factorizeTensorizedMatrix(matrix, layer: layer, explicit: explicit, policy: effective, options: options)
    }

    let rankLimit = min(rows, columns)
    let decomposition = try truncatedSVD(matrix) { spectrum -> Int in
        var rank: Int
        switch effective {
        case .fixed(let r): rank = r
        case .ratio(let f): rank = RankSelection.matrixRank(parameterFraction: f, rows: rows, columns: columns)
        case .energy(let e): rank = RankSelection.energyRank(spectrum: spectrum, threshold: e)
        case .vbmf: rank = max(EVBMF.estimate(singularValues: spectrum, rows: rows, columns: columns).rank, 1)
        case .perLayer: preconditionFailure("per-layer policies are resolved by effective(for:)")
        }
        if let explicit, let first = explicit.first { rank = first }
        return min(max(roundUp([rank], toMultipleOf: options.rankMultiple)[0], 1), rankLimit)
    }
    var notes: [String] = []
    let requested: Int? = {
        if let explicit { return explicit.first }
        if case .fixed(let r) = effective { return r }
        return nil
    }()
    if let requested, requested > rankLimit {
        notes.append("rank \(requested) → \(rankLimit) (a [\(rows), \(columns)] matrix has at most rank \(rankLimit))")
    }

    // Split each singular value evenly: left = U·√σ, right = √σ·Vᵀ.
    let r = decomposition.rank
    var left = [Float](repeating: 0, count: rows * r)
    var right = [Float](repeating: 0, count: r * columns)
    for k in 0..<r {
        let scale = Double(decomposition.singularValues[k]).squareRoot()
        for o in 0..<rows { left[o * r + k] = Float(decomposition.u.scalars[o * r + k] * scale) }
        for i in 0..<columns { right[k * columns + i] = Float(decomposition.vt.scalars[k * columns + i] * scale) }
    }
    let norm = matrix.frobeniusNorm
    let error = norm > 0 ? decomposition.discardedEnergy.squareRoot() / norm : 0
    return MatrixFactorization(
        factors: .lowRank(LowRankMatrixFactors(rank: r, left: left, right: right)), ranks: [r],
        adjustments: notes, relativeError: error, shapes: nil)
}

private func factorizeTensorizedMatrix(
    _ matrix: Tensor<Double>, layer: String, explicit: [Int]?, policy: RankPolicy, options: CompressionOptions
) throws -> MatrixFactorization {
    let (rows, columns) = (matrix.shape[0], matrix.shape[1])
    let ring = options.method == .tr
    let shapes =
        options.matrixShapes[layer]
        ?? (
            balancedFactorization(rows, parts: options.matrixOrder),
            balancedFactorization(columns, parts: options.matrixOrder)
        )
    let d = shapes.output.count
    let bondCount = ring ? d : d - 1
    let merged = zip(shapes.output, shapes.input).map { $0 * $1 }

    // A TT-matrix over the interleaved modes m_k·n_k has the ranks of a train over `merged`.
    let (ranks, errorTarget) = try chainRankLimits(
        policy: policy, explicit: explicit, ring: ring, shape: merged, bondCount: bondCount, layer: layer,
        what: ring ? "tr matrix" : "tt matrix", rankMultiple: options.rankMultiple)

    let cores: [Tensor<Double>]
    let adjustments: [RankAdjustment]
    let error: Double
    if ring {
        let tr = try trMatrix(matrix, outputShape: shapes.output, inputShape: shapes.input, ranks: ranks, relativeError: errorTarget)
        (cores, adjustments, error) = (tr.cores, tr.rankAdjustments, tr.relativeError(to: matrix))
    } else {
        let tt = try ttMatrix(
            matrix, outputShape: shapes.output, inputShape: shapes.input, maxRanks: ranks, relativeError: errorTarget)
        (cores, adjustments, error) = (tt.cores, tt.rankAdjustments, tt.relativeError(to: matrix))
    }
    let bondRanks = cores.map { $0.shape[0] } + [cores.last!.shape[3]]
    let factors = RingMatrixFactors(
        outputFactors: shapes.output, inputFactors: shapes.input, ranks: bondRanks, cores: cores.map(floats))
    return MatrixFactorization(
        factors: .ring(factors), ranks: ring ? Array(bondRanks.dropLast()) : Array(bondRanks.dropFirst().dropLast()),
        adjustments: adjustments.map(\.description), relativeError: error, shapes: shapes)
}
