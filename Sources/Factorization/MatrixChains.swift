// Matrix layers (Gemm, MatMul with a constant weight) rewritten as chains of
// standard ONNX ops. Weights follow PyTorch's Linear layout: W [O, I], y = W x.

/// TT-matrix or TR-matrix cores of a weight W [O, I] with O = Π m_k and I = Π n_k
/// (Novikov et al. 2015; Zhao et al. 2016).
///
/// Core k has shape [r_{k-1}, m_k, n_k, r_k] and
/// W[(m_1…m_d), (n_1…n_d)] = trace(G_1[:, m_1, n_1, :] ⋯ G_d[:, m_d, n_d, :]);
/// a tensor train has r_0 = r_d = 1.
struct RingMatrixFactors {
    var outputFactors: [Int]  // m_k
    var inputFactors: [Int]  // n_k
    var ranks: [Int]  // r_0 … r_d, with r_d == r_0
    var cores: [[Float]]

    var order: Int { inputFactors.count }
    var ringRank: Int { ranks[0] }

    /// Number of core elements.
    var parameterCount: Int { cores.reduce(0) { $0 + $1.count } }

    /// Returns the matrix that contracts core k with the activation, [n_k·r_{k-1}, r_0·m_1·r_1] for
    /// k = 0 and [n_k·r_{k-1}, m_k·r_k] otherwise, so that each step is one MatMul.
    func contractionMatrix(_ k: Int, scale: Float = 1) -> (rows: Int, columns: Int, elements: [Float]) {
        let (m, n) = (outputFactors[k], inputFactors[k])
        let (rPrevious, rNext) = (ranks[k], ranks[k + 1])
        let core = cores[k]
        func coreElement(_ a: Int, _ mi: Int, _ ni: Int, _ b: Int) -> Float {
            core[((a * m + mi) * n + ni) * rNext + b] * scale
        }

        if k == 0 {
            // The ring index a_0 moves into the column block: columns (a_0, m_1, a_1).
            let columns = rPrevious * m * rNext
            var elements = [Float](repeating: 0, count: n * columns)
            for ni in 0..<n {
                for a in 0..<rPrevious {
                    for mi in 0..<m {
                        for b in 0..<rNext {
                            elements[ni * columns + (a * m + mi) * rNext + b] = coreElement(a, mi, ni, b)
                        }
                    }
                }
            }
            return (n, columns, elements)
        }

        let rows = n * rPrevious
        let columns = m * rNext
        var elements = [Float](repeating: 0, count: rows * columns)
        for ni in 0..<n {
            for a in 0..<rPrevious {
                for mi in 0..<m {
                    for b in 0..<rNext {
                        elements[(ni * rPrevious + a) * columns + mi * rNext + b] = coreElement(a, mi, ni, b)
                    }
                }
            }
        }
        return (rows, columns, elements)
    }
}
