/// ONNX Gemm: `Y = alpha * op(A) * op(B) + beta * C`, with `op` an optional transpose and `C`
/// unidirectionally broadcast to `[M, N]`. `Y` is first filled with `beta * C`, then
/// `cblas_sgemm` accumulates into it; `activation` is applied last.
struct GemmParameters {
    var m: Int
    var n: Int
    var k: Int
    var transposeA: Bool
    var transposeB: Bool
    var alpha: Float
    var beta: Float
    var activation: Activation
}

func gemm(
    _ p: GemmParameters, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafePointer<Float>?, cStrides: (row: Int, column: Int), output: UnsafeMutablePointer<Float>, threads: Int
) {
    var accumulate: Float = 0
    if let c, p.beta != 0 {
        for row in 0..<p.m {
            let out = output + row * p.n
            let source = c + row * cStrides.row
            if cStrides.column == 1 {
                for j in 0..<p.n { out[j] = p.beta * source[j] }
            } else {
                let value = p.beta * source[0]
                for j in 0..<p.n { out[j] = value }
            }
        }
        accumulate = 1
    }
    if p.m > 0 && p.n > 0 && p.k > 0 {
        parallelGemm(
            transposeA: p.transposeA, transposeB: p.transposeB, m: p.m, n: p.n, k: p.k, alpha: p.alpha,
            a: a, lda: p.transposeA ? p.m : p.k, b: b, ldb: p.transposeB ? p.k : p.n,
            beta: accumulate, c: output, ldc: p.n, threads: threads)
    } else if accumulate == 0 {
        output.initialize(repeating: 0, count: p.m * p.n)
    }
    p.activation.apply(output, count: p.m * p.n)
}

/// Batched MatMul with numpy broadcasting over the leading axes: for every batch index,
/// `[M, K] × [K, N]` through `cblas_sgemm`. `aOffsets` and `bOffsets` give each batch's
/// matrix start (broadcast batches repeat an offset).
func batchedMatMul(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aOffsets: [Int], b: UnsafePointer<Float>, bOffsets: [Int],
    output: UnsafeMutablePointer<Float>, threads: Int
) {
    for batch in 0..<aOffsets.count {
        let out = output + batch * m * n
        if k == 0 {
            out.initialize(repeating: 0, count: m * n)
            continue
        }
        parallelGemm(
            transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a + aOffsets[batch], lda: k,
            b: b + bOffsets[batch], ldb: n, beta: 0, c: out, ldc: n, threads: threads)
    }
}
