/// Mode permutation, matricization (unfold/fold) and mode-n products.
///
/// Matricization follows TensorLy's convention for row-major tensors, which is
/// Kolda and Bader (2009) with the remaining indices in row-major order. The
/// mode-n unfolding of `X` with shape `[I0, …, Id-1]` is the `[In, ∏_{k≠n} Ik]`
/// matrix obtained by moving mode `n` to the front and reshaping. Its columns run
/// over the other modes with the last one fastest.
extension Tensor {
    /// Returns the tensor with its modes reordered: result mode `k` is mode `axes[k]`
    /// of `self` (NumPy's `transpose(axes)`).
    ///
    /// - Precondition: `axes` is a permutation of `0..<rank`.
    /// - Complexity: one pass over the elements.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "permuted: \(axes) is not a permutation of 0..<\(rank)")
        if axes == Array(0..<rank) || count <= 1 { return self }
        let newShape = axes.map { shape[$0] }
        let sourceStrides = strides
        let stepStrides = axes.map { sourceStrides[$0] }
        var result = [Scalar](repeating: 0, count: count)
        let last = rank - 1
        let innerCount = newShape[last]
        let innerStride = stepStrides[last]
        var index = [Int](repeating: 0, count: rank)
        scalars.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                var out = 0
                var base = 0
                while out < target.count {
                    var offset = base
                    for _ in 0..<innerCount {
                        target[out] = source[offset]
                        offset += innerStride
                        out += 1
                    }
                    // Advance the multi-index over all modes but the last.
                    var axis = last - 1
                    while axis >= 0 {
                        index[axis] += 1
                        base += stepStrides[axis]
                        if index[axis] < newShape[axis] { break }
                        base -= stepStrides[axis] * newShape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return Tensor(shape: newShape, scalars: result)
    }

    /// Returns the mode-`mode` unfolding, `[shape[mode], count / shape[mode]]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func unfolded(mode: Int) -> Tensor {
        precondition(mode >= 0 && mode < rank, "unfolded: mode \(mode) out of range for shape \(shape)")
        let rest = shape[mode] == 0 ? 0 : count / shape[mode]
        var axes = [mode]
        axes += (0..<rank).filter { $0 != mode }
        return permuted(axes).reshaped([shape[mode], rest])
    }

    /// Inverts `unfolded(mode:)`: folds a `[shape[mode], ∏ others]` matrix back into `shape`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func folded(_ matrix: Tensor, mode: Int, shape: [Int]) -> Tensor {
        precondition(mode >= 0 && mode < shape.count, "folded: mode \(mode) out of range for shape \(shape)")
        var movedShape = [shape[mode]]
        movedShape += shape.enumerated().filter { $0.offset != mode }.map(\.element)
        let moved = matrix.reshaped(movedShape)
        var axes = [Int](repeating: 0, count: shape.count)
        // Result mode k comes from moved mode position of k.
        for k in 0..<shape.count {
            axes[k] = k == mode ? 0 : (k < mode ? k + 1 : k)
        }
        return moved.permuted(axes)
    }
}

extension Tensor where Scalar: LAPACKScalar {
    /// Computes the mode-`mode` product `X ×ₙ U` (Kolda and Bader 2009): mode `mode`
    /// of extent `In` is replaced by `J`.
    ///
    /// - Parameters:
    ///   - matrix: `[J, In]`, or `[In, J]` when `transpose` (then `Uᵀ` is applied).
    ///   - mode: the contracted mode.
    /// - Returns: a tensor with `shape[mode] == J`.
    /// - Complexity: `2·J·count` flops through `gemm`, with no unfolding copy.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func modeProduct(_ matrix: Tensor, mode: Int, transpose: Bool = false) -> Tensor {
        precondition(matrix.rank == 2 && mode >= 0 && mode < rank, "modeProduct: bad mode \(mode) or matrix \(matrix.shape)")
        let extent = shape[mode]
        let j = transpose ? matrix.shape[1] : matrix.shape[0]
        precondition(
            (transpose ? matrix.shape[0] : matrix.shape[1]) == extent,
            "modeProduct: matrix \(matrix.shape) does not fit mode \(mode) of \(shape)")
        let left = shape[..<mode].reduce(1, *)
        let right = shape[(mode + 1)...].reduce(1, *)
        var newShape = shape
        newShape[mode] = j
        var result = Tensor(zeros: newShape)
        if result.count == 0 || extent == 0 { return result }
        scalars.withUnsafeBufferPointer { px in
            matrix.scalars.withUnsafeBufferPointer { pu in
                result.scalars.withUnsafeMutableBufferPointer { py in
                    let x = px.baseAddress!, u = pu.baseAddress!, y = py.baseAddress!
                    if right == 1 {
                        // Y[left, J] = X[left, In] · op(U)ᵀ.
                        Scalar.gemm(
                            transposeA: false, transposeB: !transpose, m: left, n: j, k: extent, alpha: 1,
                            a: x, lda: extent, b: u, ldb: matrix.shape[1], beta: 0, c: y, ldc: j)
                        return
                    }
                    for block in 0..<left {
                        Scalar.gemm(
                            transposeA: transpose, transposeB: false, m: j, n: right, k: extent, alpha: 1,
                            a: u, lda: matrix.shape[1], b: x + block * extent * right, ldb: right, beta: 0,
                            c: y + block * j * right, ldc: right)
                    }
                }
            }
        }
        return result
    }
}

/// Computes the Khatri–Rao (column-wise Kronecker) product of matrices with equal
/// column counts.
///
/// Row `(i₀, i₁, …)` of the result (first matrix slowest) holds, in column `r`,
/// `∏ₖ Aₖ[iₖ, r]`. With this order `X₍ₙ₎ = Uₙ · khatriRao(U without n)ᵀ` for a CP
/// tensor under the unfolding of `Tensor.unfolded(mode:)`.
///
/// - Parameter matrices: `[Iₖ, R]` each, at least one.
/// - Returns: `[∏ Iₖ, R]`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func khatriRao<Scalar: LAPACKScalar>(_ matrices: [Tensor<Scalar>]) -> Tensor<Scalar> {
    precondition(!matrices.isEmpty, "khatriRao needs at least one matrix")
    let r = matrices[0].shape[1]
    precondition(matrices.allSatisfy { $0.rank == 2 && $0.shape[1] == r }, "khatriRao: column counts differ")
    var current = matrices[0]
    for next in matrices.dropFirst() {
        let (i, j) = (current.shape[0], next.shape[0])
        var product = [Scalar](repeating: 0, count: i * j * r)
        current.scalars.withUnsafeBufferPointer { a in
            next.scalars.withUnsafeBufferPointer { b in
                product.withUnsafeMutableBufferPointer { c in
                    for row in 0..<i {
                        for inner in 0..<j {
                            let out = (row * j + inner) * r
                            for column in 0..<r { c[out + column] = a[row * r + column] * b[inner * r + column] }
                        }
                    }
                }
            }
        }
        current = Tensor(shape: [i * j, r], scalars: product)
    }
    return current
}

extension Tensor where Scalar: LAPACKScalar {
    /// Computes the Gram matrix `X₍ₙ₎ · X₍ₙ₎ᵀ` of the mode-`mode` unfolding without
    /// forming the unfolding: a sum of `syrk` updates over the blocks of the modes
    /// before `mode`.
    ///
    /// - Returns: `[In, In]`, symmetric. Its eigenvalues are the squared singular
    ///   values of the unfolding.
    /// - Complexity: about `In · count` flops and `In²` extra memory.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func unfoldingGram(mode: Int) -> Tensor {
        precondition(mode >= 0 && mode < rank, "unfoldingGram: mode \(mode) out of range for shape \(shape)")
        let extent = shape[mode]
        let left = shape[..<mode].reduce(1, *)
        let right = shape[(mode + 1)...].reduce(1, *)
        var g = Tensor(zeros: [extent, extent])
        if count == 0 { return g }
        scalars.withUnsafeBufferPointer { px in
            g.scalars.withUnsafeMutableBufferPointer { pg in
                let x = px.baseAddress!, out = pg.baseAddress!
                if right == 1 {
                    // X viewed as [left, In]: G = Xᵀ X.
                    Scalar.syrk(transpose: true, n: extent, k: left, alpha: 1, a: x, lda: extent, beta: 0, c: out, ldc: extent)
                } else {
                    for block in 0..<left {
                        Scalar.syrk(
                            transpose: false, n: extent, k: right, alpha: 1, a: x + block * extent * right, lda: right,
                            beta: block == 0 ? 0 : 1, c: out, ldc: extent)
                    }
                }
                for i in 0..<extent {
                    for j in 0..<i { pg[i * extent + j] = pg[j * extent + i] }
                }
            }
        }
        return g
    }

    /// Computes the `count` leading left singular vectors of the mode-`mode`
    /// unfolding `[In, J]`.
    ///
    /// When `J < In`, the unfolding is formed and its `J × J` Gram matrix
    /// decomposed. Columns beyond the unfolding's `J` singular vectors span no part
    /// of it, so they are completed with a fixed orthonormal basis of the
    /// complement. Otherwise only `unfoldingGram(mode:)` (`In × In`) is formed and
    /// its `count` largest eigenpairs computed with `?syevr`.
    ///
    /// - Parameter count: number of vectors, at most `shape[mode]`.
    /// - Returns: `[In, count]` with orthonormal columns.
    /// - Throws: `LinearAlgebraError` from LAPACK or for non-finite input.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func leadingLeftSingularVectors(mode: Int, count k: Int) throws -> Tensor {
        let extent = shape[mode]
        precondition(k >= 0 && k <= extent, "leadingLeftSingularVectors: \(k) vectors from mode of \(extent)")
        let rest = extent == 0 ? 0 : count / extent
        if rest < extent {
            let leading = try truncatedSVD(unfolded(mode: mode), rank: min(k, rest)).u
            return k > rest ? try completingOrthonormalColumns(leading, to: k) : leading
        }
        let eigen = try largestEigenpairs(unfoldingGram(mode: mode), count: k)
        var vectors = [Scalar](repeating: 0, count: extent * k)
        for i in 0..<extent {
            for c in 0..<k { vectors[i * k + c] = eigen.vectors.scalars[i * k + (k - 1 - c)] }
        }
        return Tensor(shape: [extent, k], scalars: vectors)
    }

    /// Computes all `shape[mode]` singular values of the mode-`mode` unfolding in
    /// descending order, from the eigenvalues of `unfoldingGram(mode:)`. Values
    /// below about `√ε · σ₁` are inaccurate.
    ///
    /// - Throws: `LinearAlgebraError` from `?syevd` or for non-finite input.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func unfoldingSingularValues(mode: Int) throws -> [Scalar] {
        try symmetricEigenvalues(unfoldingGram(mode: mode)).reversed().map { Scalar(max($0, 0)).squareRoot() }
    }
}

/// Appends columns to `q` (`[n, k]`, orthonormal columns) until it has `count`
/// orthonormal columns, from a fixed pseudo-random matrix projected onto the
/// complement of `q` twice (classical Gram–Schmidt with reorthogonalisation) and
/// orthonormalised by QR.
func completingOrthonormalColumns<Scalar: LAPACKScalar>(_ q: Tensor<Scalar>, to count: Int) throws -> Tensor<Scalar> {
    let (n, k) = (q.shape[0], q.shape[1])
    let extra = count - k
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var fill = Tensor<Scalar>(shape: [n, extra], scalars: (0..<(n * extra)).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Scalar(Double(state >> 11) * 0x1.0p-53 - 0.5)
    })
    for _ in 0..<2 where k > 0 {
        let overlap = matmul(q, fill, transposeA: true)
        let projection = matmul(q, overlap)
        for i in 0..<fill.count { fill.scalars[i] -= projection.scalars[i] }
    }
    let complement = try qr(fill).q
    var result = [Scalar](repeating: 0, count: n * count)
    for i in 0..<n {
        for j in 0..<k { result[i * count + j] = q.scalars[i * k + j] }
        for j in 0..<extra { result[i * count + k + j] = complement.scalars[i * extra + j] }
    }
    return Tensor(shape: [n, count], scalars: result)
}
