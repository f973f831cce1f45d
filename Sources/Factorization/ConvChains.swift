// Chains of standard convolutions whose composition equals a factorized kernel.
// Each builder takes factor matrices in row-major order and is exact: at full
// rank the chain computes the original convolution up to rounding.

/// CP (Lebedev et al. 2015): W[o,i,y,x] = Σ_r λ_r · out[o,r] · in[i,r] · vertical[y,r] · horizontal[x,r].
///
/// Becomes a 1×1 conv I→R, a depthwise kh×1 conv and a depthwise 1×kw conv that
/// carry the vertical and horizontal stride, pads and dilation, and a 1×1 conv
/// R→O with the original bias. The `cp3` variant decomposes the 3-way tensor
/// W[o, i, (y, x)] = Σ_r λ_r · out[o,r] · in[i,r] · filter[(y, x), r], whose spatial
/// factor becomes one depthwise kh×kw conv.
struct CPConvFactors {
    /// The spatial factor: two 1-D filters per rank (4-way CP) or one 2-D filter (3-way).
    enum Spatial {
        case separable(vertical: [Float], horizontal: [Float])  // [kh, R], [kw, R]
        case filters([Float])  // [kh · kw, R]
    }

    var rank: Int
    var weights: [Float]  // λ, [R]
    var output: [Float]  // [O, R]
    var input: [Float]  // [I, R]
    var spatial: Spatial

    func stages(outChannels: Int, inChannels: Int, geometry: ConvolutionGeometry, bias: [Float]?) -> [ConvStage] {
        let r = rank
        let (kh, kw) = geometry.kernel
        let first = ConvStage(shape: [r, inChannels, 1, 1], geometry: .pointwise) { o, i, _, _ in input[i * r + o] }
        let last = ConvStage(shape: [outChannels, r, 1, 1], geometry: .pointwise, bias: bias) { o, i, _, _ in
            weights[i] * output[o * r + i]
        }
        switch spatial {
        case .filters(let filters):
            let middle = ConvStage(shape: [r, 1, kh, kw], geometry: geometry.withGroups(r)) { o, _, y, x in
                filters[(y * kw + x) * r + o]
            }
            return [first, middle, last]
        case .separable(let vertical, let horizontal):
            let columns = ConvStage(shape: [r, 1, kh, 1], geometry: geometry.vertical(groups: r)) { o, _, y, _ in
                vertical[y * r + o]
            }
            let rows = ConvStage(shape: [r, 1, 1, kw], geometry: geometry.horizontal(groups: r)) { o, _, _, x in
                horizontal[x * r + o]
            }
            return [first, columns, rows, last]
        }
    }
}

/// Tucker-2 (Kim et al. 2015): W = core ×₀ U_out ×₁ U_in over the channel modes.
///
/// Becomes a 1×1 conv I→R_in, the kh×kw core conv R_in→R_out with the original
/// stride, pads and dilation, and a 1×1 conv R_out→O with the original bias.
struct Tucker2ConvFactors {
    var core: [Float]  // [R_out, R_in, kh, kw]
    var output: [Float]  // [O, R_out]
    var input: [Float]  // [I, R_in]
    var outputRank: Int
    var inputRank: Int

    func stages(outChannels: Int, inChannels: Int, geometry: ConvolutionGeometry, bias: [Float]?) -> [ConvStage] {
        let (kh, kw) = geometry.kernel
        let rIn = inputRank
        let rOut = outputRank
        let first = ConvStage(shape: [rIn, inChannels, 1, 1], geometry: .pointwise) { o, i, _, _ in input[i * rIn + o] }
        let middle = ConvStage(weightShape: [rOut, rIn, kh, kw], weight: core, geometry: geometry.withGroups(1))
        let last = ConvStage(shape: [outChannels, rOut, 1, 1], geometry: .pointwise, bias: bias) { o, i, _, _ in
            output[o * rOut + i]
        }
        return [first, middle, last]
    }
}

/// Tensor Train or Tensor Ring of the kernel permuted to (I, kh, kw, O)
/// (Novikov et al. 2015; Garipov et al. 2016; Zhao et al. 2016).
///
/// Cores G1 [r0, I, r1], G2 [r1, kh, r2], G3 [r2, kw, r3], G4 [r3, O, r0] with
/// W[i,y,x,o] = trace(G1[:,i,:] G2[:,y,:] G3[:,x,:] G4[:,o,:]); a train has r0 = 1.
/// Becomes a 1×1 conv I→r0·r1, a kh×1 conv r0·r1→r0·r2 and a 1×kw conv
/// r0·r2→r0·r3 (each with r0 groups sharing one core), and a 1×1 conv r0·r3→O
/// that closes the ring and adds the original bias.
struct RingConvFactors {
    var cores: [[Float]]  // four cores, row-major
    var ranks: [Int]  // [r0, r1, r2, r3]

    func stages(outChannels: Int, inChannels: Int, geometry: ConvolutionGeometry, bias: [Float]?) -> [ConvStage] {
        let (r0, r1, r2, r3) = (ranks[0], ranks[1], ranks[2], ranks[3])
        let (kh, kw) = geometry.kernel
        let (g1, g2, g3, g4) = (cores[0], cores[1], cores[2], cores[3])

        // Output channel a0·r1 + a1 of the first conv holds ring index a0 and core index a1.
        let first = ConvStage(shape: [r0 * r1, inChannels, 1, 1], geometry: .pointwise) { o, i, _, _ in
            let (a0, a1) = o.quotientAndRemainder(dividingBy: r1)
            return g1[(a0 * inChannels + i) * r1 + a1]
        }
        let columns = ConvStage(shape: [r0 * r2, r1, kh, 1], geometry: geometry.vertical(groups: r0)) { o, a1, y, _ in
            let a2 = o % r2
            return g2[(a1 * kh + y) * r2 + a2]
        }
        let rows = ConvStage(shape: [r0 * r3, r2, 1, kw], geometry: geometry.horizontal(groups: r0)) { o, a2, _, x in
            let a3 = o % r3
            return g3[(a2 * kw + x) * r3 + a3]
        }
        let last = ConvStage(shape: [outChannels, r0 * r3, 1, 1], geometry: .pointwise, bias: bias) { o, c, _, _ in
            let (a0, a3) = c.quotientAndRemainder(dividingBy: r3)
            return g4[(a3 * outChannels + o) * r0 + a0]
        }
        return [first, columns, rows, last]
    }
}

/// A weight matrix W [O, I] as the product `left · right`, left [O, R] and right [R, I]
/// (truncated SVD with the singular values split evenly between the two).
struct LowRankMatrixFactors {
    var rank: Int
    var left: [Float]  // [O, R]
    var right: [Float]  // [R, I]
}
