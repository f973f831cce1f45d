/// Economy singular value decomposition `A = U · diag(σ) · Vᵀ`.
public struct SingularValueDecomposition<Scalar: LAPACKScalar>: Sendable {
    /// Left singular vectors as columns, `[m, k]`.
    public var u: Tensor<Scalar>
    /// Leading singular values in descending order, `k` of them.
    public var singularValues: [Scalar]
    /// Right singular vectors as rows, `[k, n]`.
    public var vt: Tensor<Scalar>
    /// Singular values of the matrix in descending order: all `min(m, n)` of them
    /// from `svd`, `.full` and rank-choosing calls, only the kept ones from the
    /// fixed-rank Gram and randomized paths.
    public var spectrum: [Scalar]
    /// Sum of the squared singular values that were dropped, `Σ_{i≥k} σᵢ²`, in
    /// `Double`. Equals `‖A − U·diag(σ)·Vᵀ‖²` (Eckart–Young). The fixed-rank Gram
    /// and randomized paths compute it as `‖A‖² − Σ_{i<k} σᵢ²`.
    public var discardedEnergy: Double

    /// Number of kept components `k`.
    public var rank: Int { singularValues.count }

    /// Creates a decomposition; `discardedEnergy` defaults to the tail of `spectrum`.
    public init(u: Tensor<Scalar>, singularValues: [Scalar], vt: Tensor<Scalar>, spectrum: [Scalar], discardedEnergy: Double? = nil) {
        self.u = u
        self.singularValues = singularValues
        self.vt = vt
        self.spectrum = spectrum
        self.discardedEnergy = discardedEnergy
            ?? spectrum.dropFirst(singularValues.count).reduce(0) { $0 + Double($1) * Double($1) }
    }
}

/// Algorithm choice for `truncatedSVD`.
public enum SVDMethod: Sendable {
    /// `gram`; for a fixed rank of at most an eighth of a matrix side of 2048 or more, the
    /// randomized range finder (see `RandomizedSVD`). Use `full` when singular values below
    /// `√ε · σ₁` matter, for example to choose a rank from a small error target.
    case automatic
    /// LAPACK `?gesdd`, falling back to `?gesvd` when `?gesdd` does not converge.
    case full
    /// Symmetric eigendecomposition (`?syevd`) of the smaller Gram matrix `A·Aᵀ`
    /// or `Aᵀ·A`. Memory stays `O(m·n + min(m, n)²)`, and the cost is about
    /// `min² · max + min³` flops. Singular values below about `√ε · σ₁` are
    /// inaccurate, but the kept subspace is orthonormal to working precision, so
    /// the reconstruction `U · (Uᵀ A)` is accurate.
    case gram
}

/// Computes the economy SVD with `?gesdd`, and with `?gesvd` when `?gesdd` reports
/// that it did not converge.
///
/// - Parameter a: `[m, n]`.
/// - Returns: `u [m, k]`, `k = min(m, n)` singular values, `vt [k, n]`.
/// - Throws: `LinearAlgebraError.lapackFailure` naming `?gesvd` when both fail,
///   `.nonFiniteValue` for NaN or infinite input.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func svd<Scalar: LAPACKScalar>(_ a: Tensor<Scalar>) throws -> SingularValueDecomposition<Scalar> {
    precondition(a.rank == 2, "svd needs a matrix, got \(a.shape)")
    if let bad = a.firstNonFinite() {
        throw LinearAlgebraError.nonFiniteValue(operation: "svd", offset: bad.offset, value: bad.value)
    }
    let (m, n) = (a.shape[0], a.shape[1])
    let k = min(m, n)
    if k == 0 {
        return SingularValueDecomposition(
            u: Tensor(zeros: [m, 0]), singularValues: [], vt: Tensor(zeros: [0, n]), spectrum: [])
    }
    if exceedsFloatWorkspace(Scalar.self, 4 * k * k + 7 * k + max(m, n) * k) {
        let wide = try svd(a.converted(to: Double.self))
        return SingularValueDecomposition(
            u: wide.u.converted(to: Scalar.self), singularValues: wide.singularValues.map { Scalar($0) },
            vt: wide.vt.converted(to: Scalar.self), spectrum: wide.spectrum.map { Scalar($0) })
    }
    var s = [Scalar](repeating: 0, count: k)
    var u = [Scalar](repeating: 0, count: m * k)
    var vt = [Scalar](repeating: 0, count: k * n)
    var work = a.scalars
    let info = work.withUnsafeMutableBufferPointer { pa in
        Scalar.gesdd(
            jobz: UInt8(ascii: "S"), m: m, n: n, a: pa.baseAddress!, lda: n, s: &s, u: &u, ldu: k, vt: &vt, ldvt: n)
    }
    if info < 0 { throw LinearAlgebraError.lapackFailure(routine: Scalar.blasPrefix + "gesdd", info: info) }
    if info > 0 {
        work = a.scalars
        var superb = [Scalar](repeating: 0, count: max(k - 1, 1))
        let fallback = work.withUnsafeMutableBufferPointer { pa in
            Scalar.gesvd(
                jobu: UInt8(ascii: "S"), jobvt: UInt8(ascii: "S"), m: m, n: n, a: pa.baseAddress!, lda: n,
                s: &s, u: &u, ldu: k, vt: &vt, ldvt: n, superb: &superb)
        }
        if fallback != 0 { throw LinearAlgebraError.lapackFailure(routine: Scalar.blasPrefix + "gesvd", info: fallback) }
    }
    return SingularValueDecomposition(
        u: Tensor(shape: [m, k], scalars: u), singularValues: s, vt: Tensor(shape: [k, n], scalars: vt), spectrum: s)
}

/// Computes the leading `rank` singular triplets of `a`.
///
/// Signs are fixed so that the largest-magnitude entry of each column of `U` is
/// positive, which makes the result deterministic across SVD methods.
/// `rank` is clamped to `0...min(m, n)`. The full spectrum is returned in
/// `spectrum` either way, so callers can read the discarded energy.
///
/// - Parameters:
///   - a: `[m, n]`.
///   - rank: number of components to keep.
///   - method: see `SVDMethod`. `.automatic` forms only the `min(m, n)²` Gram
///     matrix and computes only `rank` of its eigenvectors, so a `[1000, 9000]`
///     matrix never needs a `9000 × 9000` factor.
/// - Throws: `LinearAlgebraError` from LAPACK or for non-finite input.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func truncatedSVD<Scalar: LAPACKScalar>(
    _ a: Tensor<Scalar>, rank: Int, method: SVDMethod = .automatic
) throws -> SingularValueDecomposition<Scalar> {
    precondition(a.rank == 2, "truncatedSVD needs a matrix, got \(a.shape)")
    if case .full = method { return try truncatedSVD(a, method: method) { _ in rank } }
    let k = min(max(rank, 0), min(a.shape[0], a.shape[1]))
    if RandomizedSVD.applies(rows: a.shape[0], columns: a.shape[1], rank: k) {
        if let bad = a.firstNonFinite() {
            throw LinearAlgebraError.nonFiniteValue(operation: "truncatedSVD", offset: bad.offset, value: bad.value)
        }
        return flippingSigns(try RandomizedSVD.decompose(a, rank: k))
    }
    return flippingSigns(try gramSVD(a, fixedRank: k) { _ in k })
}

/// Computes the leading singular triplets of `a`, with the number kept chosen by
/// `chooseRank` from the full descending spectrum (for example an energy or error
/// threshold). The chosen rank is clamped to `0...min(m, n)`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func truncatedSVD<Scalar: LAPACKScalar>(
    _ a: Tensor<Scalar>, method: SVDMethod = .automatic, chooseRank: ([Scalar]) -> Int
) throws -> SingularValueDecomposition<Scalar> {
    precondition(a.rank == 2, "truncatedSVD needs a matrix, got \(a.shape)")
    let n = a.shape[1]
    if case .full = method {
        var full = try svd(a)
        let k = min(max(chooseRank(full.spectrum), 0), full.spectrum.count)
        full.u = takeColumns(full.u, k)
        full.vt = Tensor(shape: [k, n], scalars: Array(full.vt.scalars[..<(k * n)]))
        full.singularValues = Array(full.spectrum[..<k])
        full.discardedEnergy = full.spectrum.dropFirst(k).reduce(0) { $0 + Double($1) * Double($1) }
        return flippingSigns(full)
    }
    return flippingSigns(try gramSVD(a, fixedRank: nil, chooseRank: chooseRank))
}

/// Flips each singular pair so the entry of largest magnitude in the column of
/// `U` (the first one on ties) is positive. Singular vectors are defined only up
/// to sign, and algorithms that reshape them (tensor ring SVD) depend on the
/// choice. scikit-learn and TensorLy use this same convention.
private func flippingSigns<Scalar: LAPACKScalar>(
    _ decomposition: SingularValueDecomposition<Scalar>
) -> SingularValueDecomposition<Scalar> {
    var result = decomposition
    let (m, k, n) = (result.u.shape[0], result.rank, result.vt.shape[1])
    for c in 0..<k {
        var largest: Scalar = 0
        var sign: Scalar = 1
        for i in 0..<m {
            let value = result.u.scalars[i * k + c]
            if abs(value) > largest {
                largest = abs(value)
                sign = value < 0 ? -1 : 1
            }
        }
        guard sign < 0 else { continue }
        for i in 0..<m { result.u.scalars[i * k + c].negate() }
        for j in 0..<n { result.vt.scalars[c * n + j].negate() }
    }
    return result
}

/// SVD through the eigendecomposition of the smaller Gram matrix. With a
/// `fixedRank`, only that many eigenpairs are computed (`?syevr`).
private func gramSVD<Scalar: LAPACKScalar>(
    _ a: Tensor<Scalar>, fixedRank: Int?, chooseRank: ([Scalar]) -> Int
) throws -> SingularValueDecomposition<Scalar> {
    if let bad = a.firstNonFinite() {
        throw LinearAlgebraError.nonFiniteValue(operation: "truncatedSVD", offset: bad.offset, value: bad.value)
    }
    let (m, n) = (a.shape[0], a.shape[1])
    let wide = m <= n
    let small = min(m, n)
    let g = gram(a, transpose: !wide)
    let eigen = try fixedRank.map { try largestEigenpairs(g, count: $0) } ?? symmetricEigen(g)

    // Eigenvalues come ascending; singular values are their square roots, descending.
    let found = eigen.values.count
    let spectrum = eigen.values.reversed().map { Scalar(max($0, 0)).squareRoot() }
    let k = fixedRank ?? min(max(chooseRank(spectrum), 0), small)
    var basis = [Scalar](repeating: 0, count: small * k)
    for row in 0..<small {
        for column in 0..<k { basis[row * k + column] = eigen.vectors.scalars[row * found + (found - 1 - column)] }
    }
    let discarded: Double? = fixedRank.map { _ in
        max(a.squaredNorm - spectrum.reduce(0) { $0 + Double($1) * Double($1) }, 0)
    }
    let sideVectors = Tensor(shape: [small, k], scalars: basis)
    let values = Array(spectrum[..<k])

    // The other side: Vᵀ = diag(1/σ) Uᵀ A (wide), or U = A V diag(1/σ) (tall).
    var other = wide ? matmul(sideVectors, a, transposeA: true) : matmul(a, sideVectors)
    let cutoff = (spectrum.first ?? 0) * Scalar(small) * Scalar.ulpOfOne
    for c in 0..<k {
        let scale: Scalar = values[c] > cutoff ? 1 / values[c] : 0
        if wide {
            for j in 0..<n { other.scalars[c * n + j] *= scale }
        } else {
            for i in 0..<m { other.scalars[i * k + c] *= scale }
        }
    }
    return wide
        ? SingularValueDecomposition(
            u: sideVectors, singularValues: values, vt: other, spectrum: spectrum, discardedEnergy: discarded)
        : SingularValueDecomposition(
            u: other, singularValues: values, vt: sideVectors.transposedMatrix(), spectrum: spectrum,
            discardedEnergy: discarded)
}

/// Returns the first `k` columns of a `[m, n]` matrix.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func takeColumns<Scalar: LAPACKScalar>(_ a: Tensor<Scalar>, _ k: Int) -> Tensor<Scalar> {
    let (m, n) = (a.shape[0], a.shape[1])
    if k == n { return a }
    var out = [Scalar](repeating: 0, count: m * k)
    for i in 0..<m {
        for j in 0..<k { out[i * k + j] = a.scalars[i * n + j] }
    }
    return Tensor(shape: [m, k], scalars: out)
}

/// Computes the Moore–Penrose pseudoinverse through the SVD, treating singular
/// values below `relativeTolerance · σ₁` as zero.
///
/// - Parameter a: `[m, n]`.
/// - Returns: `[n, m]`.
/// - Throws: `LinearAlgebraError` from the SVD.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func pseudoinverse<Scalar: LAPACKScalar>(
    _ a: Tensor<Scalar>, relativeTolerance: Scalar? = nil
) throws -> Tensor<Scalar> {
    let (m, n) = (a.shape[0], a.shape[1])
    let decomposition = try svd(a)
    let tolerance = (relativeTolerance ?? Scalar(max(m, n)) * Scalar.ulpOfOne) * (decomposition.spectrum.first ?? 0)
    let k = decomposition.rank
    // V · diag(1/σ) · Uᵀ: scale the rows of Vᵀ, then multiply.
    var scaledVt = decomposition.vt
    for i in 0..<k {
        let inverse: Scalar = decomposition.singularValues[i] > tolerance ? 1 / decomposition.singularValues[i] : 0
        for j in 0..<n { scaledVt.scalars[i * n + j] *= inverse }
    }
    if k == 0 { return Tensor(zeros: [n, m]) }
    return matmul(scaledVt, decomposition.u, transposeA: true, transposeB: true)
}
