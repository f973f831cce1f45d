import Decomposition
import LinearAlgebra

/// Factors of one k_h×k_w convolution kernel (OIHW, group 1), with the ranks used,
/// the rank clamps in words and the relative weight error.
struct KernelFactorization {
    var stages: [ConvStage]
    var ranks: [Int]
    var adjustments: [String]
    var relativeError: Double
}

/// Decomposes an OIHW kernel with `method` and returns the equivalent convolution chain.
func factorizeKernel(
    _ kernel: Tensor<Double>, layer: String, geometry: ConvolutionGeometry, bias: [Float]?,
    options: CompressionOptions
) throws -> KernelFactorization {
    let (o, i) = (kernel.shape[0], kernel.shape[1])
    let policy = options.rankPolicy
    let explicit = policy.explicitRanks(for: layer)
    let effective = policy.effective(for: layer)

    switch options.method {
    case .cp, .cp3:
        // cp3 decomposes the 3-way [O, I, kh·kw] tensor: one full kh×kw filter per rank.
        let (kh, kw) = geometry.kernel
        let tensor = options.method == .cp3 ? kernel.reshaped([o, i, kh * kw]) : kernel
        var rank: Int
        switch effective {
        case .fixed(let r): rank = r
        case .ratio(let f): rank = RankSelection.cpRank(parameterFraction: f, shape: tensor.shape)
        case .energy(let e): rank = try RankSelection.tuckerRanks(energyThreshold: e, tensor: kernel, modes: [0, 1]).max()!
        case .vbmf: throw vbmfOnlyForTucker(layer)
        case .perLayer: preconditionFailure("per-layer policies are resolved by effective(for:)")
        }
        if let explicit { rank = try expandRanks(explicit, count: 1, layer: layer, what: "cp")[0] }
        rank = roundUp([rank], toMultipleOf: options.rankMultiple)[0]
        let cpOptions = CPOptions(
            initialization: .svd, maxIterations: options.cpMaxIterations, tolerance: options.cpTolerance,
            seed: options.seed)
        let cp = try cpALS(tensor, rank: rank, options: cpOptions)
        let spatial: CPConvFactors.Spatial = options.method == .cp3
            ? .filters(floats(cp.factors[2]))
            : .separable(vertical: floats(cp.factors[2]), horizontal: floats(cp.factors[3]))
        let factors = CPConvFactors(
            rank: cp.rank, weights: cp.weights.map(Float.init), output: floats(cp.factors[0]),
            input: floats(cp.factors[1]), spatial: spatial)
        var notes = cp.rankAdjustments.map(\.description)
        if let degeneracy = cp.degeneracy { notes.append("\(degeneracy)") }
        return KernelFactorization(
            stages: factors.stages(outChannels: o, inChannels: i, geometry: geometry, bias: bias),
            ranks: [cp.rank], adjustments: notes, relativeError: cp.relativeError(to: tensor))

    case .tucker2:
        var ranks: [Int]
        switch effective {
        case .fixed(let r): ranks = [r, r]
        case .ratio(let f): ranks = RankSelection.tuckerRanks(parameterFraction: f, shape: kernel.shape, modes: [0, 1])
        case .energy(let e): ranks = try RankSelection.tuckerRanks(energyThreshold: e, tensor: kernel, modes: [0, 1])
        case .vbmf: ranks = try RankSelection.evbmfTuckerRanks(kernel: kernel)
        case .perLayer: preconditionFailure("per-layer policies are resolved by effective(for:)")
        }
        if let explicit { ranks = try expandRanks(explicit, count: 2, layer: layer, what: "tucker2") }
        ranks = roundUp(ranks, toMultipleOf: options.rankMultiple)
        let tucker = try partialTucker(kernel, modes: [0, 1], ranks: ranks, algorithm: .hooi(maxIterations: 10))
        let factors = Tucker2ConvFactors(
            core: floats(tucker.core), output: floats(tucker.factors[0]), input: floats(tucker.factors[1]),
            outputRank: tucker.ranks[0], inputRank: tucker.ranks[1])
        return KernelFactorization(
            stages: factors.stages(outChannels: o, inChannels: i, geometry: geometry, bias: bias),
            ranks: tucker.ranks, adjustments: tucker.rankAdjustments.map(\.description),
            relativeError: tucker.relativeError(to: kernel))

    case .tt, .tr:
        // Cores run over (I, kh, kw, O) so that the chain starts and ends with 1×1 convolutions.
        let permuted = kernel.permuted([1, 2, 3, 0])
        let ring = options.method == .tr
        let rankCount = ring ? 4 : 3
        let (ranks, errorTarget) = try chainRankLimits(
            policy: effective, explicit: explicit, ring: ring, shape: permuted.shape, bondCount: rankCount,
            layer: layer, what: ring ? "tr" : "tt", rankMultiple: options.rankMultiple)
        let cores: [Tensor<Double>]
        let adjustments: [RankAdjustment]
        let error: Double
        if ring {
            let tr = try tensorRing(permuted, ranks: ranks, relativeError: errorTarget)
            (cores, adjustments, error) = (tr.cores, tr.rankAdjustments, tr.relativeError(to: permuted))
        } else {
            let tt = try tensorTrain(permuted, maxRanks: ranks, relativeError: errorTarget)
            (cores, adjustments, error) = (tt.cores, tt.rankAdjustments, tt.relativeError(to: permuted))
        }
        let bondRanks = cores.map { $0.shape[0] }
        let factors = RingConvFactors(cores: cores.map(floats), ranks: bondRanks)
        return KernelFactorization(
            stages: factors.stages(outChannels: o, inChannels: i, geometry: geometry, bias: bias),
            ranks: ring ? bondRanks : Array(bondRanks.dropFirst()), adjustments: adjustments.map(\.description),
            relativeError: error)

    case .svd:
        throw FactorizationError.unsupportedLayer(
            node: layer, reason: "svd factorizes matrices and 1×1 convolutions only")
    }
}

func vbmfOnlyForTucker(_ layer: String) -> FactorizationError {
    .invalidRankPolicy("--vbmf chooses Tucker-2 ranks and applies to --method tucker2 only (layer '\(layer)')")
}

func floats(_ tensor: Tensor<Double>) -> [Float] {
    tensor.scalars.map(Float.init)
}
