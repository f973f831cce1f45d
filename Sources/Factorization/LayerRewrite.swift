import Graph
import LinearAlgebra

/// The nodes and initializers that replace one layer, with what the report needs.
struct LayerRewrite {
    var builder: ChainBuilder
    var ranks: [Int]
    var adjustments: [String]
    var relativeWeightError: Double
    /// Output and input factors of a TT- or TR-matrix, or nil.
    var matrixFactors: MatrixFactorShapes? = nil
    /// Weight and bias elements of the new nodes.
    var parameters: Int { builder.initializers.values.filter { $0.elementType == .float }.reduce(0) { $0 + $1.count } }
}

/// Builds the factorized replacement of `candidate` in `graph`.
func rewriteLayer(_ candidate: LayerCandidate, in graph: Graph, options: CompressionOptions) throws -> LayerRewrite {
    let node = graph.nodes[candidate.nodeIndex]
    guard let input = node.input(0), let output = node.outputs.first,
        let weight = node.input(1).flatMap({ graph.initializers[$0] })
    else {
        throw FactorizationError.unsupportedLayer(node: candidate.name, reason: "missing input, output or constant weight")
    }
    var builder = ChainBuilder(layerName: candidate.name, method: options.method.rawValue)

    switch candidate.kind {
    case .convolution:
        let geometry = try ConvolutionGeometry(node: node, weightShape: weight.shape)
        let bias = node.input(2).flatMap { graph.initializers[$0] }.map { $0.floats() }
        let kernel = Tensor<Double>(shape: weight.shape, scalars: weight.floats().map(Double.init))
        let result = geometry.group > 1
            ? try factorizeGroups(kernel, geometry: geometry, bias: bias, layer: candidate.name, options: options)
            : try factorizeUngrouped(kernel, geometry: geometry, bias: bias, layer: candidate.name, options: options)
        builder.appendConvolutions(result.stages, input: input, output: output)
        return LayerRewrite(
            builder: builder, ranks: result.ranks, adjustments: result.adjustments, relativeWeightError: result.relativeError)

    case .gemm, .matMul:
        let (matrix, scale, bias) = try linearLayer(node, candidate: candidate, weight: weight, graph: graph)
        let result = try factorizeMatrix(matrix, layer: candidate.name, tensorized: true, options: options)
        let (outputs, inputs) = (matrix.shape[0], matrix.shape[1])
        switch result.factors {
        case .lowRank(let factors):
            builder.appendLowRankMatrix(
                factors, outputs: outputs, inputs: inputs, input: input, scale: scale, bias: bias, output: output)
        case .ring(let factors):
            builder.appendRingMatrix(factors, input: input, scale: scale, bias: bias, output: output)
        }
        return LayerRewrite(
            builder: builder, ranks: result.ranks, adjustments: result.adjustments, relativeWeightError: result.relativeError,
            matrixFactors: result.shapes.map { MatrixFactorShapes(output: $0.output, input: $0.input) })
    }
}

/// Factorizes an ungrouped convolution: a 1×1 kernel as a matrix (truncated SVD), any other
/// kernel with the method's tensor decomposition.
func factorizeUngrouped(
    _ kernel: Tensor<Double>, geometry: ConvolutionGeometry, bias: [Float]?, layer: String, options: CompressionOptions
) throws -> KernelFactorization {
    let (outputs, inputs) = (kernel.shape[0], kernel.shape[1])
    guard geometry.isPointwise else {
        return try factorizeKernel(kernel, layer: layer, geometry: geometry, bias: bias, options: options)
    }
    let result = try factorizeMatrix(kernel.reshaped([outputs, inputs]), layer: layer, tensorized: false, options: options)
    guard case .lowRank(let factors) = result.factors else { preconditionFailure("pointwise layers use the SVD") }
    return KernelFactorization(
        stages: pointwiseStages(factors, outputs: outputs, inputs: inputs, geometry: geometry, bias: bias),
        ranks: result.ranks, adjustments: result.adjustments, relativeError: result.relativeError)
}

/// Splits a 1×1 convolution into two 1×1 convolutions. The first carries the
/// original stride and pads, the second the bias. Padded positions stay exact because the
/// first convolution has no bias, so it maps zero padding to zero.
private func pointwiseStages(
    _ factors: LowRankMatrixFactors, outputs: Int, inputs: Int, geometry: ConvolutionGeometry, bias: [Float]?
) -> [ConvStage] {
    let r = factors.rank
    let first = ConvStage(weightShape: [r, inputs, 1, 1], weight: factors.right, geometry: geometry.withGroups(1))
    let second = ConvStage(weightShape: [outputs, r, 1, 1], weight: factors.left, geometry: .pointwise, bias: bias)
    return [first, second]
}

/// Returns the weight W [O, I], scale and bias of a Gemm or MatMul with y = scale · W x + bias.
private func linearLayer(
    _ node: Node, candidate: LayerCandidate, weight: TensorData, graph: Graph
) throws -> (Tensor<Double>, Float, [Float]?) {
    let values = weight.floats().map(Double.init)
    var matrix = Tensor<Double>(shape: weight.shape, scalars: values)
    let transposed = node.opType == "Gemm" && node.int("transB", default: 0) != 0
    if !transposed { matrix = matrix.permuted([1, 0]) }

    guard node.opType == "Gemm" else { return (matrix, 1, nil) }
    let alpha = node.float("alpha", default: 1)
    let beta = node.float("beta", default: 1)
    guard let biasName = node.input(2), let biasTensor = graph.initializers[biasName] else { return (matrix, alpha, nil) }
    guard biasTensor.count == matrix.shape[0] else {
        throw FactorizationError.unsupportedLayer(
            node: candidate.name,
            reason: "Gemm bias of shape \(biasTensor.shape) is not a vector of the \(matrix.shape[0]) outputs")
    }
    return (matrix, alpha, biasTensor.floats().map { $0 * beta })
}
