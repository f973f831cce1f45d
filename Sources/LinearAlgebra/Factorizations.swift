/// Eigendecomposition `A = V · diag(w) · Vᵀ` of a symmetric matrix.
public struct SymmetricEigendecomposition<Scalar: LAPACKScalar>: Sendable {
    /// Eigenvalues in ascending order.
    public var values: [Scalar]
    /// Orthonormal eigenvectors as columns, `[n, n]`; column `i` belongs to `values[i]`.
    public var vectors: Tensor<Scalar>
}

/// Computes all eigenvalues and eigenvectors of a symmetric matrix with the
/// divide-and-conquer routine `?syevd` (upper triangle read).
///
/// - Parameter a: `[n, n]`, symmetric.
/// - Throws: `LinearAlgebraError.lapackFailure` naming `?syevd` when it does not
///   converge; `.nonFiniteValue` for NaN or infinite input.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func symmetricEigen<Scalar: LAPACKScalar>(_ a: Tensor<Scalar>) throws -> SymmetricEigendecomposition<Scalar> {
    precondition(a.rank == 2 && a.shape[0] == a.shape[1], "symmetricEigen needs a square matrix, got \(a.shape)")
    if let bad = a.firstNonFinite() {
        throw LinearAlgebraError.nonFiniteValue(operation: "symmetricEigen", offset: bad.offset, value: bad.value)
    }
    let n = a.shape[0]
    if n == 0 { return SymmetricEigendecomposition(values: [], vectors: a) }
    if exceedsFloatWorkspace(Scalar.self, 2 * n * n + 6 * n + 1) {
        let wide = try symmetricEigen(a.converted(to: Double.self))
        return SymmetricEigendecomposition(values: wide.values.map { Scalar($0) }, vectors: wide.vectors.converted(to: Scalar.self))
    }
    var vectors = a.scalars
    var values = [Scalar](repeating: 0, count: n)
    let info = vectors.withUnsafeMutableBufferPointer { pa in
        Scalar.syevd(jobz: UInt8(ascii: "V"), uplo: UInt8(ascii: "U"), n: n, a: pa.baseAddress!, lda: n, w: &values)
    }
    if info != 0 { throw LinearAlgebraError.lapackFailure(routine: Scalar.blasPrefix + "syevd", info: info) }
    return SymmetricEigendecomposition(values: values, vectors: Tensor(shape: [n, n], scalars: vectors))
}

/// Computes the `count` largest eigenvalues (ascending) and their eigenvectors of a
/// symmetric matrix with `?syevr`, which skips the other eigenvectors; for
/// `count == n` it is `symmetricEigen`.
///
/// - Parameters:
///   - a: `[n, n]`, symmetric (upper triangle read).
///   - count: number of eigenpairs, `0...n`.
/// - Returns: `count` eigenvalues in ascending order and eigenvectors `[n, count]`.
/// - Throws: `LinearAlgebraError.lapackFailure` naming `?syevr`, `.nonFiniteValue`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func largestEigenpairs<Scalar: LAPACKScalar>(
    _ a: Tensor<Scalar>, count k: Int
) throws -> SymmetricEigendecomposition<Scalar> {
    precondition(a.rank == 2 && a.shape[0] == a.shape[1], "largestEigenpairs needs a square matrix, got \(a.shape)")
    let n = a.shape[0]
    precondition(k >= 0 && k <= n, "largestEigenpairs: \(k) eigenpairs of a \(n) × \(n) matrix")
    if k == n { return try symmetricEigen(a) }
    if k == 0 { return SymmetricEigendecomposition(values: [], vectors: Tensor(zeros: [n, 0])) }
    if let bad = a.firstNonFinite() {
        throw LinearAlgebraError.nonFiniteValue(operation: "largestEigenpairs", offset: bad.offset, value: bad.value)
    }
    var work = a.scalars
    var values = [Scalar](repeating: 0, count: n)
    var vectors = [Scalar](repeating: 0, count: n * k)
    var support = [Int32](repeating: 0, count: 2 * k)
    var found: Int32 = 0
    let info = work.withUnsafeMutableBufferPointer { pa in
        Scalar.syevr(
            n: n, a: pa.baseAddress!, lda: n, il: n - k + 1, iu: n, found: &found, w: &values, z: &vectors, ldz: k,
            isuppz: &support)
    }
    if info != 0 { throw LinearAlgebraError.lapackFailure(routine: Scalar.blasPrefix + "syevr", info: info) }
    return SymmetricEigendecomposition(values: Array(values[..<k]), vectors: Tensor(shape: [n, k], scalars: vectors))
}

/// Computes the eigenvalues (ascending) of a symmetric matrix with `?syevd`,
/// without eigenvectors.
///
/// - Throws: `LinearAlgebraError.lapackFailure` naming `?syevd`, `.nonFiniteValue`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func symmetricEigenvalues<Scalar: LAPACKScalar>(_ a: Tensor<Scalar>) throws -> [Scalar] {
    precondition(a.rank == 2 && a.shape[0] == a.shape[1], "symmetricEigenvalues needs a square matrix, got \(a.shape)")
    if let bad = a.firstNonFinite() {
        throw LinearAlgebraError.nonFiniteValue(operation: "symmetricEigenvalues", offset: bad.offset, value: bad.value)
    }
    let n = a.shape[0]
    if n == 0 { return [] }
    var work = a.scalars
    var values = [Scalar](repeating: 0, count: n)
    let info = work.withUnsafeMutableBufferPointer { pa in
        Scalar.syevd(jobz: UInt8(ascii: "N"), uplo: UInt8(ascii: "U"), n: n, a: pa.baseAddress!, lda: n, w: &values)
    }
    if info != 0 { throw LinearAlgebraError.lapackFailure(routine: Scalar.blasPrefix + "syevd", info: info) }
    return values
}

/// Computes the economy QR factorisation `A = Q · R` with `?geqrf` and `?orgqr`.
///
/// - Parameter a: `[m, n]`.
/// - Returns: `q [m, k]` with orthonormal columns and upper-triangular `r [k, n]`, `k = min(m, n)`.
/// - Throws: `LinearAlgebraError.lapackFailure` naming the routine.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func qr<Scalar: LAPACKScalar>(_ a: Tensor<Scalar>) throws -> (q: Tensor<Scalar>, r: Tensor<Scalar>) {
    precondition(a.rank == 2, "qr needs a matrix, got \(a.shape)")
    let (m, n) = (a.shape[0], a.shape[1])
    let k = min(m, n)
    if k == 0 { return (Tensor(zeros: [m, 0]), Tensor(zeros: [0, n])) }
    var work = a.scalars
    var tau = [Scalar](repeating: 0, count: k)
    let info = work.withUnsafeMutableBufferPointer { Scalar.geqrf(m: m, n: n, a: $0.baseAddress!, lda: n, tau: &tau) }
    if info != 0 { throw LinearAlgebraError.lapackFailure(routine: Scalar.blasPrefix + "geqrf", info: info) }

    var r = [Scalar](repeating: 0, count: k * n)
    for i in 0..<k {
        for j in i..<n { r[i * n + j] = work[i * n + j] }
    }
    var q = [Scalar](repeating: 0, count: m * k)
    for i in 0..<m {
        for j in 0..<k { q[i * k + j] = work[i * n + j] }
    }
    let generated = q.withUnsafeMutableBufferPointer {
        Scalar.orgqr(m: m, n: k, k: k, a: $0.baseAddress!, lda: k, tau: tau)
    }
    if generated != 0 { throw LinearAlgebraError.lapackFailure(routine: Scalar.blasPrefix + "orgqr", info: generated) }
    return (Tensor(shape: [m, k], scalars: q), Tensor(shape: [k, n], scalars: r))
}

/// Solves `A · X = B` for symmetric positive definite `A` by Cholesky (`?posv`).
///
/// - Parameters:
///   - a: `[n, n]`, symmetric positive definite.
///   - b: `[n, p]`.
/// - Returns: `X`, `[n, p]`.
/// - Throws: `LinearAlgebraError.notPositiveDefinite` when the factorisation
///   breaks down, `.lapackFailure` for other `info`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func choleskySolve<Scalar: LAPACKScalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) throws -> Tensor<Scalar> {
    precondition(a.rank == 2 && a.shape[0] == a.shape[1] && b.rank == 2 && b.shape[0] == a.shape[0],
                 "choleskySolve: shapes \(a.shape) and \(b.shape) do not fit")
    return try positiveDefiniteSolve(a, b, columnMajor: false, rowsOfB: b.shape[0], columnsOfB: b.shape[1])
}

/// Solves `X · A = B` for symmetric positive definite `A` by Cholesky (`?posv`),
/// the form of the ALS normal equations `Uₙ · V = M`.
///
/// - Parameters:
///   - a: `[n, n]`, symmetric positive definite.
///   - b: `[p, n]`.
/// - Returns: `X = B · A⁻¹`, `[p, n]`.
/// - Throws: as `choleskySolve(_:_:)`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func choleskySolveRight<Scalar: LAPACKScalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) throws -> Tensor<Scalar> {
    precondition(a.rank == 2 && a.shape[0] == a.shape[1] && b.rank == 2 && b.shape[1] == a.shape[0],
                 "choleskySolveRight: shapes \(a.shape) and \(b.shape) do not fit")
    // A row-major [p, n] buffer is the column-major [n, p] matrix Bᵀ, and A is
    // symmetric, so solving A · Xᵀ = Bᵀ in column-major order yields X in place.
    return try positiveDefiniteSolve(a, b, columnMajor: true, rowsOfB: b.shape[1], columnsOfB: b.shape[0])
}

private func positiveDefiniteSolve<Scalar: LAPACKScalar>(
    _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, columnMajor: Bool, rowsOfB n: Int, columnsOfB p: Int
) throws -> Tensor<Scalar> {
    if n == 0 || p == 0 { return b }
    var factor = a.scalars
    var solution = b.scalars
    let info = factor.withUnsafeMutableBufferPointer { pa in
        solution.withUnsafeMutableBufferPointer { pb in
            Scalar.posv(
                columnMajor: columnMajor, uplo: UInt8(ascii: "U"), n: n, nrhs: p, a: pa.baseAddress!, lda: n,
                b: pb.baseAddress!, ldb: columnMajor ? n : p)
        }
    }
    if info > 0 { throw LinearAlgebraError.notPositiveDefinite(routine: Scalar.blasPrefix + "posv", order: info) }
    if info < 0 { throw LinearAlgebraError.lapackFailure(routine: Scalar.blasPrefix + "posv", info: info) }
    return Tensor(shape: b.shape, scalars: solution)
}

/// Solves the linear least-squares problem `min ‖A · X − B‖` with the SVD-based
/// `?gelsd`, which also handles rank-deficient `A`.
///
/// - Parameters:
///   - a: `[m, n]`.
///   - b: `[m, p]`.
///   - relativeTolerance: singular values below this times `σ₁` count as zero;
///     nil uses machine precision.
/// - Returns: the minimum-norm solution `X`, `[n, p]`.
/// - Throws: `LinearAlgebraError.lapackFailure` naming `?gelsd`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func leastSquares<Scalar: LAPACKScalar>(
    _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, relativeTolerance: Scalar? = nil
) throws -> Tensor<Scalar> {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[0] == b.shape[0], "leastSquares: shapes \(a.shape) and \(b.shape) do not fit")
    let (m, n, p) = (a.shape[0], a.shape[1], b.shape[1])
    if m == 0 || n == 0 || p == 0 { return Tensor(zeros: [n, p]) }
    let rows = max(m, n)
    var work = a.scalars
    var rhs = [Scalar](repeating: 0, count: rows * p)
    for i in 0..<m {
        for j in 0..<p { rhs[i * p + j] = b.scalars[i * p + j] }
    }
    var s = [Scalar](repeating: 0, count: min(m, n))
    var effectiveRank: Int32 = 0
    let info = work.withUnsafeMutableBufferPointer { pa in
        rhs.withUnsafeMutableBufferPointer { pb in
            Scalar.gelsd(
                m: m, n: n, nrhs: p, a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: p, s: &s,
                rcond: relativeTolerance ?? -1, rank: &effectiveRank)
        }
    }
    if info != 0 { throw LinearAlgebraError.lapackFailure(routine: Scalar.blasPrefix + "gelsd", info: info) }
    return Tensor(shape: [n, p], scalars: Array(rhs[..<(n * p)]))
}

/// True when `Scalar` is `Float` and a LAPACK workspace of `size` elements
/// exceeds 2²⁴. LAPACKE's single-precision routines return the workspace size
/// from their query as a `Float`, which rounds such sizes down, and the routine
/// then rejects the too-small workspace (for example `?syevd` with `n > 2890`).
/// Callers run those problems in `Double` instead.
func exceedsFloatWorkspace<Scalar: LAPACKScalar>(_: Scalar.Type, _ size: Int) -> Bool {
    Scalar.self == Float.self && size > 1 << 24
}
