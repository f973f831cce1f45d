import CLinearAlgebra

/// Row-major `C = alpha * op(A) * op(B) + beta * C` split into `threads` blocks of C's
/// columns (or rows, when C is taller than wide), each computed by a single-threaded
/// `cblas_sgemm` call on one of the engine's own threads.
///
/// The engine keeps OpenBLAS at one thread and parallelizes GEMMs this way, so one pool
/// (Dispatch) does all the work. OpenBLAS's own workers spin while they wait for the next
/// call, and they would otherwise compete with the engine's threads for the same cores.
func parallelGemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
) {
    let orderA = transposeA ? CblasTrans : CblasNoTrans
    let orderB = transposeB ? CblasTrans : CblasNoTrans
    // Blocks of at least 32 columns (or rows) keep OpenBLAS's micro-kernels busy.
    let minimumBlock = 32
    if n >= m {
        parallelFor(n, threads: threads, minimumChunk: minimumBlock) { columns in
            let j = columns.lowerBound
            cblas_sgemm(
                CblasRowMajor, orderA, orderB, Int32(m), Int32(columns.count), Int32(k), alpha,
                a, Int32(lda), transposeB ? b + j * ldb : b + j, Int32(ldb), beta, c + j, Int32(ldc))
        }
    } else {
        parallelFor(m, threads: threads, minimumChunk: minimumBlock) { rows in
            let i = rows.lowerBound
            cblas_sgemm(
                CblasRowMajor, orderA, orderB, Int32(rows.count), Int32(n), Int32(k), alpha,
                transposeA ? a + i : a + i * lda, Int32(lda), b, Int32(ldb), beta, c + i * ldc, Int32(ldc))
        }
    }
}
