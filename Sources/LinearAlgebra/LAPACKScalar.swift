import CLinearAlgebra

/// A scalar type with CBLAS and LAPACKE routines: `Float` (the `s` routines)
/// or `Double` (the `d` routines).
///
/// The static members are thin row-major wrappers that keep the BLAS and
/// LAPACK argument order; callers pass raw buffers and leading dimensions.
/// LAPACK routines return LAPACK's `info` unchanged.
public protocol LAPACKScalar: BinaryFloatingPoint, Sendable {
    /// Letter of the BLAS routine family, `s` or `d`, used in error messages.
    static var blasPrefix: String { get }
    /// `C = alpha * op(A) * op(B) + beta * C`, row-major.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, beta: Self,
        c: UnsafeMutablePointer<Self>, ldc: Int)
    /// `y = alpha * op(A) * x + beta * y`, row-major, unit strides.
    static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    /// Upper triangle of `C = alpha * A * Aᵀ + beta * C` (or `Aᵀ * A` when `transpose`), row-major.
    static func syrk(
        transpose: Bool, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Economy SVD by divide and conquer (`jobz` `S`), row-major.
    static func gesdd(
        jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        s: UnsafeMutablePointer<Self>, u: UnsafeMutablePointer<Self>, ldu: Int,
        vt: UnsafeMutablePointer<Self>, ldvt: Int) -> Int
    /// Economy SVD by QR iteration, the fallback when `?gesdd` does not converge.
    static func gesvd(
        jobu: UInt8, jobvt: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        s: UnsafeMutablePointer<Self>, u: UnsafeMutablePointer<Self>, ldu: Int,
        vt: UnsafeMutablePointer<Self>, ldvt: Int, superb: UnsafeMutablePointer<Self>) -> Int
    /// Eigenvalues (ascending) and, with `jobz` `V`, eigenvectors of a symmetric matrix.
    static func syevd(
        jobz: UInt8, uplo: UInt8, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        w: UnsafeMutablePointer<Self>) -> Int
    /// Selected eigenpairs of a symmetric matrix by relatively robust
    /// representations (`range` `I`: eigenvalues `il...iu`, 1-based ascending).
    static func syevr(
        n: Int, a: UnsafeMutablePointer<Self>, lda: Int, il: Int, iu: Int, found: UnsafeMutablePointer<Int32>,
        w: UnsafeMutablePointer<Self>, z: UnsafeMutablePointer<Self>, ldz: Int, isuppz: UnsafeMutablePointer<Int32>
    ) -> Int
    /// Householder QR factorisation in place.
    static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, tau: UnsafeMutablePointer<Self>) -> Int
    /// Forms the orthonormal `Q` from `?geqrf`'s reflectors.
    static func orgqr(
        m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Self>, lda: Int, tau: UnsafePointer<Self>) -> Int
    /// Cholesky solve `A X = B`; `columnMajor` selects the storage order of `B`.
    static func posv(
        columnMajor: Bool, uplo: UInt8, n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        b: UnsafeMutablePointer<Self>, ldb: Int) -> Int
    /// Minimum-norm least squares by SVD; `rank` receives the effective rank.
    static func gelsd(
        m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        b: UnsafeMutablePointer<Self>, ldb: Int, s: UnsafeMutablePointer<Self>, rcond: Self,
        rank: UnsafeMutablePointer<Int32>) -> Int
}

@inline(__always) private func order() -> CBLAS_ORDER { CblasRowMajor }
@inline(__always) private func trans(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }
@inline(__always) private func char(_ c: UInt8) -> CChar { CChar(bitPattern: c) }
@inline(__always) private func i32(_ x: Int) -> Int32 { Int32(truncatingIfNeeded: x) }
private let rowMajor = Int32(LAPACK_ROW_MAJOR)
private let columnMajorLayout = Int32(LAPACK_COL_MAJOR)

extension Float: LAPACKScalar {
    public static var blasPrefix: String { "s" }
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            order(), trans(transposeA), trans(transposeB), i32(m), i32(n), i32(k), alpha,
            a, i32(lda), b, i32(ldb), beta, c, i32(ldc))
    }
    public static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(order(), trans(transpose), i32(m), i32(n), alpha, a, i32(lda), x, 1, beta, y, 1)
    }
    public static func syrk(
        transpose: Bool, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_ssyrk(order(), CblasUpper, trans(transpose), i32(n), i32(k), alpha, a, i32(lda), beta, c, i32(ldc))
    }
    public static func gesdd(
        jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
        s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>, ldu: Int,
        vt: UnsafeMutablePointer<Float>, ldvt: Int
    ) -> Int {
        Int(LAPACKE_sgesdd(rowMajor, char(jobz), i32(m), i32(n), a, i32(lda), s, u, i32(ldu), vt, i32(ldvt)))
    }
    public static func gesvd(
        jobu: UInt8, jobvt: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
        s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>, ldu: Int,
        vt: UnsafeMutablePointer<Float>, ldvt: Int, superb: UnsafeMutablePointer<Float>
    ) -> Int {
        Int(LAPACKE_sgesvd(
            rowMajor, char(jobu), char(jobvt), i32(m), i32(n), a, i32(lda), s, u, i32(ldu), vt, i32(ldvt), superb))
    }
    public static func syevd(
        jobz: UInt8, uplo: UInt8, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, w: UnsafeMutablePointer<Float>
    ) -> Int {
        Int(LAPACKE_ssyevd(rowMajor, char(jobz), char(uplo), i32(n), a, i32(lda), w))
    }
    public static func syevr(
        n: Int, a: UnsafeMutablePointer<Float>, lda: Int, il: Int, iu: Int, found: UnsafeMutablePointer<Int32>,
        w: UnsafeMutablePointer<Float>, z: UnsafeMutablePointer<Float>, ldz: Int, isuppz: UnsafeMutablePointer<Int32>
    ) -> Int {
        Int(LAPACKE_ssyevr(
            rowMajor, char(UInt8(ascii: "V")), char(UInt8(ascii: "I")), char(UInt8(ascii: "U")), i32(n), a, i32(lda),
            0, 0, i32(il), i32(iu), 0, found, w, z, i32(ldz), isuppz))
    }
    public static func geqrf(
        m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, tau: UnsafeMutablePointer<Float>
    ) -> Int {
        Int(LAPACKE_sgeqrf(rowMajor, i32(m), i32(n), a, i32(lda), tau))
    }
    public static func orgqr(
        m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Float>, lda: Int, tau: UnsafePointer<Float>
    ) -> Int {
        Int(LAPACKE_sorgqr(rowMajor, i32(m), i32(n), i32(k), a, i32(lda), tau))
    }
    public static func posv(
        columnMajor: Bool, uplo: UInt8, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int,
        b: UnsafeMutablePointer<Float>, ldb: Int
    ) -> Int {
        Int(LAPACKE_sposv(columnMajor ? columnMajorLayout : rowMajor, char(uplo), i32(n), i32(nrhs), a, i32(lda), b, i32(ldb)))
    }
    public static func gelsd(
        m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int,
        b: UnsafeMutablePointer<Float>, ldb: Int, s: UnsafeMutablePointer<Float>, rcond: Float,
        rank: UnsafeMutablePointer<Int32>
    ) -> Int {
        Int(LAPACKE_sgelsd(rowMajor, i32(m), i32(n), i32(nrhs), a, i32(lda), b, i32(ldb), s, rcond, rank))
    }
}

extension Double: LAPACKScalar {
    public static var blasPrefix: String { "d" }
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
        c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            order(), trans(transposeA), trans(transposeB), i32(m), i32(n), i32(k), alpha,
            a, i32(lda), b, i32(ldb), beta, c, i32(ldc))
    }
    public static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(order(), trans(transpose), i32(m), i32(n), alpha, a, i32(lda), x, 1, beta, y, 1)
    }
    public static func syrk(
        transpose: Bool, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dsyrk(order(), CblasUpper, trans(transpose), i32(n), i32(k), alpha, a, i32(lda), beta, c, i32(ldc))
    }
    public static func gesdd(
        jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
        s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>, ldu: Int,
        vt: UnsafeMutablePointer<Double>, ldvt: Int
    ) -> Int {
        Int(LAPACKE_dgesdd(rowMajor, char(jobz), i32(m), i32(n), a, i32(lda), s, u, i32(ldu), vt, i32(ldvt)))
    }
    public static func gesvd(
        jobu: UInt8, jobvt: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
        s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>, ldu: Int,
        vt: UnsafeMutablePointer<Double>, ldvt: Int, superb: UnsafeMutablePointer<Double>
    ) -> Int {
        Int(LAPACKE_dgesvd(
            rowMajor, char(jobu), char(jobvt), i32(m), i32(n), a, i32(lda), s, u, i32(ldu), vt, i32(ldvt), superb))
    }
    public static func syevd(
        jobz: UInt8, uplo: UInt8, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, w: UnsafeMutablePointer<Double>
    ) -> Int {
        Int(LAPACKE_dsyevd(rowMajor, char(jobz), char(uplo), i32(n), a, i32(lda), w))
    }
    public static func syevr(
        n: Int, a: UnsafeMutablePointer<Double>, lda: Int, il: Int, iu: Int, found: UnsafeMutablePointer<Int32>,
        w: UnsafeMutablePointer<Double>, z: UnsafeMutablePointer<Double>, ldz: Int, isuppz: UnsafeMutablePointer<Int32>
    ) -> Int {
        Int(LAPACKE_dsyevr(
            rowMajor, char(UInt8(ascii: "V")), char(UInt8(ascii: "I")), char(UInt8(ascii: "U")), i32(n), a, i32(lda),
            0, 0, i32(il), i32(iu), 0, found, w, z, i32(ldz), isuppz))
    }
    public static func geqrf(
        m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, tau: UnsafeMutablePointer<Double>
    ) -> Int {
        Int(LAPACKE_dgeqrf(rowMajor, i32(m), i32(n), a, i32(lda), tau))
    }
    public static func orgqr(
        m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Double>, lda: Int, tau: UnsafePointer<Double>
    ) -> Int {
        Int(LAPACKE_dorgqr(rowMajor, i32(m), i32(n), i32(k), a, i32(lda), tau))
    }
    public static func posv(
        columnMajor: Bool, uplo: UInt8, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int,
        b: UnsafeMutablePointer<Double>, ldb: Int
    ) -> Int {
        Int(LAPACKE_dposv(columnMajor ? columnMajorLayout : rowMajor, char(uplo), i32(n), i32(nrhs), a, i32(lda), b, i32(ldb)))
    }
    public static func gelsd(
        m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int,
        b: UnsafeMutablePointer<Double>, ldb: Int, s: UnsafeMutablePointer<Double>, rcond: Double,
        rank: UnsafeMutablePointer<Int32>
    ) -> Int {
        Int(LAPACKE_dgelsd(rowMajor, i32(m), i32(n), i32(nrhs), a, i32(lda), b, i32(ldb), s, rcond, rank))
    }
}
