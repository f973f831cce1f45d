import LinearAlgebra

/// Factorizes a grouped convolution group by group, as `g` independent chains merged into one
/// chain of grouped convolutions.
///
/// Group j of a convolution with `g` groups maps input channels j·I/g ..< (j+1)·I/g to output
/// channels j·O/g ..< (j+1)·O/g with its own kernel [O/g, I/g, kh, kw]. Each group's kernel is
/// factorized on its own. Stage k of the merged chain stacks the g groups' stage-k weights
/// along the output axis and multiplies the stage's group count by g, so every factor
/// convolution still reads only its own group's channels. All groups get the same ranks: when a policy
/// chooses different ranks per group, every group is factorized again at the largest ones.
func factorizeGroups(
    _ kernel: Tensor<Double>, geometry: ConvolutionGeometry, bias: [Float]?, layer: String, options: CompressionOptions
) throws -> KernelFactorization {
    let groups = geometry.group
    var chains = try factorizeEachGroup(kernel, geometry: geometry, bias: bias, layer: layer, options: options)
    let ranks = chains.map(\.ranks)
    if Set(ranks).count > 1 {
        let largest = (0..<ranks[0].count).map { index in ranks.map { $0[index] }.max()! }
        var fixed = options
        fixed.rankPolicy = .perLayer([layer: largest], fallback: options.rankPolicy)
        chains = try factorizeEachGroup(kernel, geometry: geometry, bias: bias, layer: layer, options: fixed)
        guard Set(chains.map(\.ranks)).count == 1 else {
            throw FactorizationError.unsupportedLayer(
                node: layer, reason: "the groups' factorizations have different ranks \(chains.map(\.ranks)) even at \(largest)")
        }
    }
    let stages = (0..<chains[0].stages.count).map { k in mergedStage(chains.map { $0.stages[k] }, groups: groups) }
    return KernelFactorization(
        stages: stages, ranks: chains[0].ranks,
        adjustments: Array(Set(chains.flatMap(\.adjustments))).sorted(),
        relativeError: combinedError(chains.map(\.relativeError), kernel: kernel, groups: groups))
}

/// Factorizes the kernel and bias of each group as an ungrouped convolution.
private func factorizeEachGroup(
    _ kernel: Tensor<Double>, geometry: ConvolutionGeometry, bias: [Float]?, layer: String, options: CompressionOptions
) throws -> [KernelFactorization] {
    let groups = geometry.group
    let outputsPerGroup = kernel.shape[0] / groups
    let block = kernel.scalars.count / groups
    return try (0..<groups).map { j in
        let part = Tensor<Double>(
            shape: [outputsPerGroup] + Array(kernel.shape.dropFirst()),
            scalars: Array(kernel.scalars[(j * block)..<((j + 1) * block)]))
        let partBias = bias.map { Array($0[(j * outputsPerGroup)..<((j + 1) * outputsPerGroup)]) }
        return try factorizeUngrouped(part, geometry: geometry.withGroups(1), bias: partBias, layer: layer, options: options)
    }
}

/// Stacks the same stage of every group's chain into one convolution with `groups` times the groups.
private func mergedStage(_ stages: [ConvStage], groups: Int) -> ConvStage {
    let first = stages[0]
    let shape = [first.weightShape[0] * groups] + Array(first.weightShape.dropFirst())
    let bias = first.bias == nil ? nil : stages.flatMap { $0.bias! }
    return ConvStage(
        weightShape: shape, weight: stages.flatMap(\.weight), geometry: first.geometry.withGroups(first.geometry.group * groups),
        bias: bias)
}

/// Returns the relative error of the whole kernel from each group's relative error, because
/// the groups' squared absolute errors add up.
private func combinedError(_ errors: [Double], kernel: Tensor<Double>, groups: Int) -> Double {
    let block = kernel.scalars.count / groups
    var squaredError = 0.0
    var squaredNorm = 0.0
    for (j, error) in errors.enumerated() {
        let norm = kernel.scalars[(j * block)..<((j + 1) * block)].reduce(0) { $0 + $1 * $1 }
        squaredError += error * error * norm
        squaredNorm += norm
    }
    return squaredNorm > 0 ? (squaredError / squaredNorm).squareRoot() : 0
}
