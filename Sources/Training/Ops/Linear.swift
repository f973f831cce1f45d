import CLinearAlgebra
import Graph

/// Row-major single-precision GEMM: C = alpha · op(A) · op(B) + beta · C, with op(A) of
/// shape [m, k] and op(B) of shape [k, n].
@inline(__always)
func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, beta: Float, _ c: UnsafeMutablePointer<Float>
) {
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha,
        a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n), beta, c, Int32(n))
}

/// ONNX Gemm: Y = alpha · op(A) · op(B) + beta · C, with C broadcast to [M, N].
final class GemmKernel: Kernel {
    private let alpha: Float
    private let beta: Float
    private let transposeA: Bool
    private let transposeB: Bool
    private var bias: Broadcast?
    private var dims = (m: 0, n: 0, k: 0)

    override init(node: Node, inputs: [ValueSlot?], outputs: [ValueSlot]) {
        alpha = node.floatAttribute("alpha", default: 1)
        beta = node.floatAttribute("beta", default: 1)
        transposeA = node.intAttribute("transA", default: 0) != 0
        transposeB = node.intAttribute("transB", default: 0) != 0
        super.init(node: node, inputs: inputs, outputs: outputs)
    }

    override func forward(_ context: ForwardContext) throws {
        let a = x
        let b = inputs[1]!
        guard a.shape.count == 2, b.shape.count == 2 else {
            throw shapeError("Gemm needs 2-D A and B, got \(a.shape) and \(b.shape)")
        }
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        guard k == kb else { throw shapeError("Gemm inner extents differ: A \(a.shape), B \(b.shape)") }
        dims = (m, n, k)
        y.assign(shape: [m, n], count: m * n)

        if inputs.count > 2, let c = inputs[2] {
            guard let plan = Broadcast(c.shape, [m, n]), plan.outputShape == [m, n] else {
                throw shapeError("Gemm cannot broadcast C \(c.shape) to [\(m), \(n)]")
            }
            bias = plan
            for i in 0..<(m * n) { y.data[i] = beta * c.data[plan.offsetsA.isEmpty ? i : plan.offsetsA[i]] }
        }
        let hasBias = inputs.count > 2 && inputs[2] != nil
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                y.data.withUnsafeMutableBufferPointer { py in
                    gemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                        pa.baseAddress!, pb.baseAddress!, beta: hasBias ? 1 : 0, py.baseAddress!)
                }
            }
        }
    }

    override func backward() {
        let (m, n, k) = dims
        let b = inputs[1]!
        y.grad.withUnsafeBufferPointer { dy in
            let gradient = dy.baseAddress!
            if needsGradient(0) {
                b.data.withUnsafeBufferPointer { pb in
                    x.grad.withUnsafeMutableBufferPointer { da in
                        if transposeA {
                            // dA = alpha · op(B) · dYᵀ, shape [k, m].
                            gemm(
                                transposeA: transposeB, transposeB: true, m: k, n: m, k: n, alpha: alpha,
                                pb.baseAddress!, gradient, beta: 1, da.baseAddress!)
                        } else {
                            // dA = alpha · dY · op(B)ᵀ, shape [m, k].
                            gemm(
                                transposeA: false, transposeB: !transposeB, m: m, n: k, k: n, alpha: alpha,
                                gradient, pb.baseAddress!, beta: 1, da.baseAddress!)
                        }
                    }
                }
            }
            if needsGradient(1) {
                x.data.withUnsafeBufferPointer { pa in
                    b.grad.withUnsafeMutableBufferPointer { db in
                        if transposeB {
                            // dB = alpha · dYᵀ · op(A), shape [n, k].
                            gemm(
                                transposeA: true, transposeB: transposeA, m: n, n: k, k: m, alpha: alpha,
                                gradient, pa.baseAddress!, beta: 1, db.baseAddress!)
                        } else {
                            // dB = alpha · op(A)ᵀ · dY, shape [k, n].
                            gemm(
                                transposeA: !transposeA, transposeB: false, m: k, n: n, k: m, alpha: alpha,
                                pa.baseAddress!, gradient, beta: 1, db.baseAddress!)
                        }
                    }
                }
            }
            if needsGradient(2), let c = inputs[2], let plan = bias {
                for i in 0..<(m * n) { c.grad[plan.offsetsA.isEmpty ? i : plan.offsetsA[i]] += beta * dy[i] }
            }
        }
    }
}

/// MatMul of A [..., M, K] with a 2-D B [K, N], the form linear layers and factorized
/// fully connected layers use. Leading axes of A fold into M.
final class MatMulKernel: Kernel {
    private var dims = (m: 0, n: 0, k: 0)

    override func forward(_ context: ForwardContext) throws {
        let b = inputs[1]!
        guard x.shape.count >= 2, b.shape.count == 2, x.shape.last == b.shape[0] else {
            throw shapeError("MatMul supports A [..., M, K] with B [K, N]; got \(x.shape) and \(b.shape)")
        }
        let k = b.shape[0]
        let n = b.shape[1]
        let m = x.count / k
        dims = (m, n, k)
        y.assign(shape: Array(x.shape.dropLast()) + [n], count: m * n)
        x.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                y.data.withUnsafeMutableBufferPointer { py in
                    gemm(
                        transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1,
                        pa.baseAddress!, pb.baseAddress!, beta: 0, py.baseAddress!)
                }
            }
        }
    }

    override func backward() {
        let (m, n, k) = dims
        let b = inputs[1]!
        y.grad.withUnsafeBufferPointer { dy in
            if needsGradient(0) {
                b.data.withUnsafeBufferPointer { pb in
                    x.grad.withUnsafeMutableBufferPointer { da in
                        gemm(
                            transposeA: false, transposeB: true, m: m, n: k, k: n, alpha: 1,
                            dy.baseAddress!, pb.baseAddress!, beta: 1, da.baseAddress!)
                    }
                }
            }
            if needsGradient(1) {
                x.data.withUnsafeBufferPointer { pa in
                    b.grad.withUnsafeMutableBufferPointer { db in
                        gemm(
                            transposeA: true, transposeB: false, m: k, n: n, k: m, alpha: 1,
                            pa.baseAddress!, dy.baseAddress!, beta: 1, db.baseAddress!)
                    }
                }
            }
        }
    }
}
