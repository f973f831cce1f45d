import LinearAlgebra

/// Factors, weights and factor Gram matrices of one ALS iterate. Factor columns
/// are kept at unit norm with their norms in `weights`.
struct CPState<Scalar: LAPACKScalar> {
    var factors: [Tensor<Scalar>]
    var weights: [Scalar]
    var grams: [Tensor<Scalar>]
    let rank: Int

    init(x: Tensor<Scalar>, rank: Int, options: CPOptions) throws {
        self.rank = rank
        var generator = SplitMix64(seed: options.seed)
        var factors: [Tensor<Scalar>] = []
        for mode in 0..<x.rank {
            let extent = x.shape[mode]
            var factor: Tensor<Scalar>
            switch options.initialization {
            case .random(let seed):
                if mode == 0 { generator = SplitMix64(seed: seed) }
                factor = Tensor(shape: [extent, rank], scalars: (0..<extent * rank).map { _ in Scalar(generator.nextNormal()) })
            case .svd where mode == 0:
                // The first sweep solves for mode 0 before reading it.
                factor = Tensor(zeros: [extent, rank])
            case .svd:
                factor = try Self.svdFactor(x, mode: mode, rank: rank, generator: &generator)
            }
            _ = normalizeColumns(&factor)
            factors.append(factor)
        }
        self.factors = factors
        weights = [Scalar](repeating: 1, count: rank)
        grams = factors.map { gram($0, transpose: true) }
    }

    /// Leading left singular vectors of the unfolding, padded with normal columns.
    private static func svdFactor(
        _ x: Tensor<Scalar>, mode: Int, rank: Int, generator: inout SplitMix64
    ) throws -> Tensor<Scalar> {
        let extent = x.shape[mode]
        let kept = min(rank, extent)
        let leading = try x.leadingLeftSingularVectors(mode: mode, count: kept)
        var factor = Tensor<Scalar>(zeros: [extent, rank])
        for i in 0..<extent {
            for c in 0..<rank {
                factor.scalars[i * rank + c] = c < kept ? leading.scalars[i * kept + c] : Scalar(generator.nextNormal())
            }
        }
        return factor
    }

    /// Runs one ALS sweep over all modes and returns the relative error estimate.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func sweep(_ x: Tensor<Scalar>, normSquared: Double, regularization: Double) throws -> Double {
        let d = x.rank
        var lastProduct = Tensor<Scalar>(zeros: [0, 0])
        var lastHadamard = Tensor<Scalar>(zeros: [0, 0])
        let rest = x.count / x.shape[0]
        var projection = Tensor<Scalar>(zeros: [0, 0])
        for mode in 0..<d {
            let hadamard = hadamardOfGrams(skipping: mode)
            var system = hadamard
            for c in 0..<rank { system.scalars[c * rank + c] += Scalar(regularization) }
            let product = mode == 0
                ? mttkrp(x, factors, mode: 0)
                : mttkrp(projection: projection, restShape: Array(x.shape.dropFirst()), factors: factors, mode: mode)
            var factor = try solveNormalEquations(system, product)
            weights = normalizeColumns(&factor)
            factors[mode] = factor
            grams[mode] = gram(factor, transpose: true)
            if mode == 0 {
                // U₀ stays fixed for the rest of the sweep, so contract it once:
                // Y = U₀ᵀ X₍₀₎, [R, ∏_{m>0} Iₘ].
                projection = matmul(factor, x.reshaped([x.shape[0], rest]), transposeA: true)
            }
            if mode == d - 1 {
                lastProduct = product
                lastHadamard = hadamard
            }
        }
        let estimate = estimatedErrorSquared(
            normSquared: normSquared, product: lastProduct, hadamard: lastHadamard)
        if estimate < 1e-3 * normSquared { return exactError(x, normSquared: normSquared) }
        return (estimate / normSquared).squareRoot()
    }

    /// `‖X‖² − 2⟨X, X̂⟩ + ‖X̂‖²` in `Double`, from the last mode's MTTKRP result.
    private func estimatedErrorSquared(normSquared: Double, product: Tensor<Scalar>, hadamard: Tensor<Scalar>) -> Double {
        let last = factors[factors.count - 1]
        let lastGram = grams[grams.count - 1]
        var inner = 0.0
        for c in 0..<rank {
            var column = 0.0
            for i in 0..<last.shape[0] { column += Double(product.scalars[i * rank + c]) * Double(last.scalars[i * rank + c]) }
            inner += Double(weights[c]) * column
        }
        var modelSquared = 0.0
        for a in 0..<rank {
            for b in 0..<rank {
                modelSquared += Double(weights[a]) * Double(weights[b])
                    * Double(hadamard.scalars[a * rank + b]) * Double(lastGram.scalars[a * rank + b])
            }
        }
        return max(normSquared - 2 * inner + modelSquared, 0)
    }

    /// Relative error from the residual itself.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func exactError(_ x: Tensor<Scalar>, normSquared: Double) -> Double {
        tensor(shape: x.shape).reconstruct().distance(to: x) / normSquared.squareRoot()
    }

    private func hadamardOfGrams(skipping mode: Int) -> Tensor<Scalar> {
        var result = Tensor<Scalar>(repeating: 1, shape: [rank, rank])
        for (index, g) in grams.enumerated() where index != mode {
            for i in 0..<result.count { result.scalars[i] *= g.scalars[i] }
        }
        return result
    }

    /// Extrapolates factors and weights along the step from `previous` to `self`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func extrapolated(from previous: CPState, step: Double) -> CPState {
        var candidate = self
        let s = Scalar(step)
        for c in 0..<rank {
            let old = previous.weights[c]
            candidate.weights[c] = old + s * (weights[c] - old)
        }
        for mode in 0..<factors.count {
            var factor = factors[mode]
            for i in 0..<factor.count {
                let old = previous.factors[mode].scalars[i]
                factor.scalars[i] = old + s * (factor.scalars[i] - old)
            }
            let norms = normalizeColumns(&factor)
            candidate.factors[mode] = factor
            for c in 0..<rank { candidate.weights[c] *= norms[c] }
        }
        return candidate
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    /// Sets every weight and factor to zero, the exact CP form of a zero tensor.
    mutating func makeZero() {
        weights = [Scalar](repeating: 0, count: rank)
        factors = factors.map { Tensor(zeros: $0.shape) }
        refreshGrams()
    }

    mutating func refreshGrams() { grams = factors.map { gram($0, transpose: true) } }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func tensor(shape: [Int]) -> CPTensor<Scalar> {
        CPTensor(
            shape: shape, weights: weights, factors: factors, errorHistory: [], iterations: 0, converged: false,
            degeneracy: nil, rankAdjustments: [])
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func result(
        shape: [Int], history: [Double], iterations: Int, converged: Bool, adjustments: [RankAdjustment],
        degeneracy: CPDegeneracy?
    ) -> CPTensor<Scalar> {
        var t = tensor(shape: shape)
        t.errorHistory = history
        t.iterations = iterations
        t.converged = converged
        t.degeneracy = degeneracy
        t.rankAdjustments = adjustments
        return t
    }

    /// Finds the most negatively congruent pair of components with large weights.
    /// A pair counts when its congruence is below −0.8 and its larger weight is at
    /// least 1.5 · ‖X‖.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func degeneracy(norm: Double, weightTrace: [[Scalar]]) -> CPDegeneracy? {
        guard rank >= 2, norm > 0 else { return nil }
        var worst: CPDegeneracy?
        for a in 0..<rank {
            for b in (a + 1)..<rank {
                var congruence = 1.0
                for g in grams { congruence *= Double(g.scalars[a * rank + b]) }
                let larger = max(abs(Double(weights[a])), abs(Double(weights[b])))
                let ratio = larger / norm
                guard congruence < -0.8, ratio >= 1.5 else { continue }
                let earlier = weightTrace.count > 10 ? weightTrace[weightTrace.count - 11] : weightTrace.first ?? weights
                let earlierLarger = max(abs(Double(earlier[a])), abs(Double(earlier[b])))
                let growth = earlierLarger > 0 ? larger / earlierLarger : 1
                if worst == nil || congruence < worst!.congruence {
                    worst = CPDegeneracy(components: [a, b], congruence: congruence, weightRatio: ratio, growth: growth)
                }
            }
        }
        return worst
    }
}

/// Scales each column of `[n, R]` to unit norm and returns the former norms; a
/// zero column stays zero with norm 0.
@discardableResult
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func normalizeColumns<Scalar: LAPACKScalar>(_ matrix: inout Tensor<Scalar>) -> [Scalar] {
    let (n, r) = (matrix.shape[0], matrix.shape[1])
    var norms = [Double](repeating: 0, count: r)
    matrix.scalars.withUnsafeMutableBufferPointer { p in
        for i in 0..<n {
            for c in 0..<r { norms[c] += Double(p[i * r + c]) * Double(p[i * r + c]) }
        }
        let inverse = norms.map { $0 > 0 ? Scalar(1 / $0.squareRoot()) : 0 }
        for i in 0..<n {
            for c in 0..<r { p[i * r + c] *= inverse[c] }
        }
    }
    return norms.map { Scalar($0.squareRoot()) }
}

/// Solves `U · V = M` for symmetric positive semidefinite `V` by Cholesky, and
/// through the eigendecomposition pseudo-inverse when `V` is singular (for example
/// after a component has become zero).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func solveNormalEquations<Scalar: LAPACKScalar>(_ v: Tensor<Scalar>, _ m: Tensor<Scalar>) throws -> Tensor<Scalar> {
    do {
        return try choleskySolveRight(v, m)
    } catch LinearAlgebraError.notPositiveDefinite {
        let eigen = try symmetricEigen(v)
        let n = v.shape[0]
        let largest = eigen.values.map { abs($0) }.max() ?? 0
        let cutoff = largest * Scalar(n) * Scalar.ulpOfOne * 16
        var inverse = Tensor<Scalar>(zeros: [n, n])
        for k in 0..<n where eigen.values[k] > cutoff {
            let scale = 1 / eigen.values[k]
            for i in 0..<n {
                for j in 0..<n {
                    inverse.scalars[i * n + j] += scale * eigen.vectors.scalars[i * n + k] * eigen.vectors.scalars[j * n + k]
                }
            }
        }
        return matmul(m, inverse)
    }
}

/// Matricised tensor times Khatri–Rao product `X₍ₙ₎ · khatriRao(U without n)`,
/// `[In, R]`, with the tensor viewed as `[left, In, right]` so no unfolding is copied:
/// first `X[left·In, right] · KR(right modes)`, then a weighted sum over `left`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func mttkrp<Scalar: LAPACKScalar>(_ x: Tensor<Scalar>, _ factors: [Tensor<Scalar>], mode: Int) -> Tensor<Scalar> {
    let d = x.rank
    let r = factors[0].shape[1]
    let extent = x.shape[mode]
    let left = x.shape[..<mode].reduce(1, *)
    let right = x.shape[(mode + 1)...].reduce(1, *)
    if mode == d - 1 {
        let leftProduct = khatriRao(Array(factors[..<mode]))
        return matmul(x.reshaped([left, extent]), leftProduct, transposeA: true)
    }
    let rightProduct = khatriRao(Array(factors[(mode + 1)...]))
    let partial = matmul(x.reshaped([left * extent, right]), rightProduct)
    if mode == 0 { return partial }
    let leftProduct = khatriRao(Array(factors[..<mode]))
    var result = Tensor<Scalar>(zeros: [extent, r])
    partial.scalars.withUnsafeBufferPointer { t in
        leftProduct.scalars.withUnsafeBufferPointer { k in
            result.scalars.withUnsafeMutableBufferPointer { m in
                for l in 0..<left {
                    for i in 0..<extent {
                        let row = (l * extent + i) * r
                        for c in 0..<r { m[i * r + c] += k[l * r + c] * t[row + c] }
                    }
                }
            }
        }
    }
    return result
}

/// MTTKRP for mode `n ≥ 1` from `Y = U₀ᵀ X₍₀₎` (`[R, ∏_{m>0} Iₘ]`): for each
/// component `r`, the slice `Y[r]` is contracted with column `r` of every factor
/// other than 0 and `n`. Costs about `2 · R · ∏_{m>0} Iₘ` flops instead of
/// `2 · R · ∏ Iₘ` for the plain product.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func mttkrp<Scalar: LAPACKScalar>(
    projection: Tensor<Scalar>, restShape: [Int], factors: [Tensor<Scalar>], mode: Int
) -> Tensor<Scalar> {
    let r = projection.shape[0]
    let size = projection.shape[1]
    let extent = restShape[mode - 1]
    var result = [Scalar](repeating: 0, count: extent * r)
    var buffer = [Scalar](repeating: 0, count: size)
    var scratch = [Scalar](repeating: 0, count: size)
    projection.scalars.withUnsafeBufferPointer { y in
        for c in 0..<r {
            var length = size
            for i in 0..<size { buffer[i] = y[c * size + i] }
            // Contract trailing modes (last first): [P, I] · u → [P].
            for m in stride(from: restShape.count, to: mode, by: -1) {
                let factor = factors[m]
                let width = restShape[m - 1]
                let rows = length / width
                factor.scalars.withUnsafeBufferPointer { u in
                    for p in 0..<rows {
                        var sum: Scalar = 0
                        for j in 0..<width { sum += buffer[p * width + j] * u[j * r + c] }
                        scratch[p] = sum
                    }
                }
                swap(&buffer, &scratch)
                length = rows
            }
            // Contract leading modes (first first): uᵀ · [I, Q] → [Q].
            for m in 1..<mode {
                let factor = factors[m]
                let height = restShape[m - 1]
                let columns = length / height
                for q in 0..<columns { scratch[q] = 0 }
                factor.scalars.withUnsafeBufferPointer { u in
                    for i in 0..<height {
                        let weight = u[i * r + c]
                        for q in 0..<columns { scratch[q] += weight * buffer[i * columns + q] }
                    }
                }
                swap(&buffer, &scratch)
                length = columns
            }
            for i in 0..<extent { result[i * r + c] = buffer[i] }
        }
    }
    return Tensor(shape: [extent, r], scalars: result)
}
