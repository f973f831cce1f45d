import LinearAlgebra

/// Rank choices for the decompositions: the largest ranks that keep at most a
/// given fraction of the dense parameter count, and ranks that keep a given
/// fraction of each unfolding's energy.
///
/// Every returned rank is at least 1 and within what the shape allows, so a
/// fraction too small for rank 1 still yields rank 1 (check `parameterCount`).
public enum RankSelection {
    /// Largest CP rank `R` with `R · Σ Iₙ ≤ fraction · ∏ Iₙ`.
    public static func cpRank(parameterFraction fraction: Double, shape: [Int]) -> Int {
        let total = Double(shape.reduce(1, *))
        return max(1, Int(fraction * total / Double(shape.reduce(0, +))))
    }

    /// Largest rank `r` of a truncated SVD of `[rows, columns]` with `r · (rows + columns) ≤ fraction · rows · columns`.
    public static func matrixRank(parameterFraction fraction: Double, rows: Int, columns: Int) -> Int {
        let r = Int(fraction * Double(rows) * Double(columns) / Double(rows + columns))
        return min(max(r, 1), min(rows, columns))
    }

    /// Tucker ranks proportional to the extents of `modes` (`Rₘ ≈ β · Iₘ`), with the
    /// largest β whose core plus factors fit in `fraction · ∏ Iₙ`.
    public static func tuckerRanks(parameterFraction fraction: Double, shape: [Int], modes: [Int]) -> [Int] {
        let budget = fraction * Double(shape.reduce(1, *))
        func ranks(_ beta: Double) -> [Int] { modes.map { min(max(Int((beta * Double(shape[$0])).rounded()), 1), shape[$0]) } }
        func count(_ r: [Int]) -> Double {
            var core = shape.map(Double.init)
            for (mode, rank) in zip(modes, r) { core[mode] = Double(rank) }
            return core.reduce(1, *) + zip(modes, r).reduce(0) { $0 + Double(shape[$1.0] * $1.1) }
        }
        var (low, high) = (0.0, 1.0)
        if count(ranks(high)) <= budget { return ranks(high) }
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if count(ranks(middle)) <= budget { low = middle } else { high = middle }
        }
        return ranks(low)
    }

    /// Largest uniform TT bond cap `r` whose TT-SVD parameter count (bond ranks
    /// `min(r, ∏ nₖ before, ∏ nₖ after)`) fits in `fraction · ∏ nₖ`.
    public static func ttMaxRank(parameterFraction fraction: Double, shape: [Int]) -> Int {
        largestRank(budget: fraction * Double(shape.reduce(1, *)), upper: shape.reduce(1, *)) {
            trainParameterCount(shape: shape, cap: $0)
        }
    }

    /// Largest uniform TT-matrix bond cap within `fraction · rows · columns`.
    public static func ttMatrixMaxRank(parameterFraction fraction: Double, outputShape: [Int], inputShape: [Int]) -> Int {
        let merged = zip(outputShape, inputShape).map { $0 * $1 }
        return ttMaxRank(parameterFraction: fraction, shape: merged)
    }

    /// Largest uniform tensor ring rank `r` (every bond `r`, clamped as TR-SVD
    /// clamps it) whose parameter count fits in `fraction · ∏ nₖ`.
    public static func trRank(parameterFraction fraction: Double, shape: [Int]) -> Int {
        largestRank(budget: fraction * Double(shape.reduce(1, *)), upper: shape.reduce(1, *)) {
            ringParameterCount(shape: shape, rank: $0)
        }
    }

    /// Smallest `k ≥ 1` whose leading singular values hold at least `threshold`
    /// (in `(0, 1]`) of the energy `Σ σᵢ²`.
    public static func energyRank<S: BinaryFloatingPoint>(spectrum: [S], threshold: Double) -> Int {
        let energies = spectrum.map { Double($0) * Double($0) }
        let total = energies.reduce(0, +)
        guard total > 0 else { return 1 }
        var kept = 0.0
        for (index, e) in energies.enumerated() {
            kept += e
            if kept >= threshold * total * (1 - 1e-12) { return index + 1 }
        }
        return max(energies.count, 1)
    }

    /// Per-mode Tucker ranks keeping `threshold` of each unfolding's energy.
    /// - Throws: `DecompositionError.nonFiniteInput`, `.linearAlgebra`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func tuckerRanks<Scalar: LAPACKScalar>(
        energyThreshold threshold: Double, tensor: Tensor<Scalar>, modes: [Int]
    ) throws -> [Int] {
        try validate(tensor, operation: "tuckerRanks")
        return try modes.map { mode in
            let spectrum = try wrapping("tuckerRanks") { try tensor.unfoldingSingularValues(mode: mode) }
            return energyRank(spectrum: spectrum, threshold: threshold)
        }
    }

    /// Tucker-2 ranks of an OIHW kernel from EVBMF of its mode-0 (output channel)
    /// and mode-1 (input channel) unfoldings, as Kim et al. (2015) choose them.
    /// Ranks of 0 are raised to 1.
    /// - Returns: `[outputRank, inputRank]`.
    /// - Throws: `DecompositionError.nonFiniteInput`, `.unsupportedShape` for fewer than two modes.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func evbmfTuckerRanks<Scalar: LAPACKScalar>(kernel: Tensor<Scalar>) throws -> [Int] {
        try validate(kernel, operation: "evbmfTuckerRanks", minimumModes: 2)
        let wide = kernel.converted(to: Double.self)
        return try [0, 1].map { mode in
            let spectrum = try wrapping("evbmfTuckerRanks") { try wide.unfoldingSingularValues(mode: mode) }
            let columns = kernel.count / kernel.shape[mode]
            return max(EVBMF.estimate(singularValues: spectrum, rows: kernel.shape[mode], columns: columns).rank, 1)
        }
    }
}

/// Largest `r` in `1...upper` with `count(r) ≤ budget`, for `count` nondecreasing in `r`.
private func largestRank(budget: Double, upper: Int, count: (Int) -> Int) -> Int {
    var (low, high) = (1, max(upper, 1))
    if Double(count(high)) <= budget { return high }
    while high - low > 1 {
        let middle = (low + high) / 2
        if Double(count(middle)) <= budget { low = middle } else { high = middle }
    }
    return low
}

/// Parameter count of TT-SVD with every bond capped at `cap`.
func trainParameterCount(shape: [Int], cap: Int) -> Int {
    var previous = 1
    var count = 0
    var remaining = shape.reduce(1, *)
    for (k, n) in shape.enumerated() {
        remaining /= n
        let next = k == shape.count - 1 ? 1 : min(cap, previous * n, remaining)
        count += previous * n * next
        previous = next
    }
    return count
}

/// Parameter count of TR-SVD with every ring rank `rank`, after the clamps TR-SVD applies.
func ringParameterCount(shape: [Int], rank: Int) -> Int {
    let d = shape.count
    let rest = shape.reduce(1, *) / shape[0]
    var r0 = rank, r1 = rank
    while r0 * r1 > min(shape[0], rest) {
        if r0 >= r1 { r0 -= 1 } else { r1 -= 1 }
    }
    var count = r0 * shape[0] * r1
    var previous = r1
    var remaining = rest
    for k in 1..<d {
        remaining /= shape[k]
        let next = k == d - 1 ? r0 : min(rank, previous * shape[k], remaining * r0)
        count += previous * shape[k] * next
        previous = next
    }
    return count
}
