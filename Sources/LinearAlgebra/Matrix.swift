/// Matrix products and helpers on rank-2 tensors (`[rows, columns]`, row-major)
/// through CBLAS.
extension Tensor where Scalar: LAPACKScalar {
    /// Number of rows of a rank-2 tensor.
    public var rows: Int { shape[0] }
    /// Number of columns of a rank-2 tensor.
    public var columns: Int { shape[1] }

    /// Creates the `n × n` identity matrix.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func identity(_ n: Int) -> Tensor {
        var result = Tensor(zeros: [n, n])
        for i in 0..<n { result.scalars[i * n + i] = 1 }
        return result
    }

    /// Returns the transpose of a rank-2 tensor, `[m, n]` → `[n, m]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func transposedMatrix() -> Tensor {
        precondition(rank == 2, "transposedMatrix needs a rank-2 tensor, got shape \(shape)")
        return permuted([1, 0])
    }
}

/// Multiplies two matrices with `cblas_?gemm`: `op(a) · op(b)`.
///
/// - Parameters:
///   - a: `[m, k]`, or `[k, m]` when `transposeA`.
///   - b: `[k, n]`, or `[n, k]` when `transposeB`.
/// - Returns: `[m, n]`.
/// - Precondition: inner dimensions agree.
/// - Complexity: `2·m·n·k` flops.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func matmul<Scalar: LAPACKScalar>(
    _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor<Scalar> {
    precondition(a.rank == 2 && b.rank == 2, "matmul needs matrices, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kB = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition(k == kB, "matmul inner dimensions differ: \(a.shape) and \(b.shape)")
    var c = Tensor<Scalar>(zeros: [m, n])
    if m == 0 || n == 0 || k == 0 { return c }
    a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
            c.scalars.withUnsafeMutableBufferPointer { pc in
                Scalar.gemm(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                    a: pa.baseAddress!, lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1], beta: 0,
                    c: pc.baseAddress!, ldc: n)
            }
        }
    }
    return c
}

/// Multiplies a matrix by a vector with `cblas_?gemv`: `op(a) · x`.
///
/// - Parameters:
///   - a: `[m, n]`.
///   - x: `n` elements, or `m` when `transpose`.
/// - Returns: `m` elements, or `n` when `transpose`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func matvec<Scalar: LAPACKScalar>(
    _ a: Tensor<Scalar>, _ x: [Scalar], transpose: Bool = false
) -> [Scalar] {
    precondition(a.rank == 2, "matvec needs a matrix, got \(a.shape)")
    let (m, n) = (a.shape[0], a.shape[1])
    precondition(x.count == (transpose ? m : n), "matvec: vector of \(x.count) does not fit \(a.shape)")
    var y = [Scalar](repeating: 0, count: transpose ? n : m)
    if m == 0 || n == 0 { return y }
    a.scalars.withUnsafeBufferPointer { pa in
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                Scalar.gemv(
                    transpose: transpose, m: m, n: n, alpha: 1, a: pa.baseAddress!, lda: n,
                    x: px.baseAddress!, beta: 0, y: py.baseAddress!)
            }
        }
    }
    return y
}

/// Computes the Gram matrix `a · aᵀ` (or `aᵀ · a` when `transpose`) with `cblas_?syrk`
/// and fills both triangles.
///
/// - Parameter a: `[m, n]`.
/// - Returns: `[m, m]`, or `[n, n]` when `transpose`.
/// - Complexity: about `m²·n` flops, half of the equivalent `gemm`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func gram<Scalar: LAPACKScalar>(_ a: Tensor<Scalar>, transpose: Bool = false) -> Tensor<Scalar> {
    precondition(a.rank == 2, "gram needs a matrix, got \(a.shape)")
    let (m, n) = (a.shape[0], a.shape[1])
    let size = transpose ? n : m
    let inner = transpose ? m : n
    var g = Tensor<Scalar>(zeros: [size, size])
    if size == 0 || inner == 0 { return g }
    a.scalars.withUnsafeBufferPointer { pa in
        g.scalars.withUnsafeMutableBufferPointer { pg in
            Scalar.syrk(
                transpose: transpose, n: size, k: inner, alpha: 1, a: pa.baseAddress!, lda: n,
                beta: 0, c: pg.baseAddress!, ldc: size)
            for i in 0..<size {
                for j in 0..<i { pg[i * size + j] = pg[j * size + i] }
            }
        }
    }
    return g
}
