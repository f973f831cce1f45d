/// One convolution of a factorized chain: an OIHW weight, its geometry and an optional bias.
struct ConvStage {
    /// Weight shape [O, I/group, kh, kw].
    var weightShape: [Int]
    /// Row-major weight elements.
    var weight: [Float]
    var geometry: ConvolutionGeometry
    /// Bias of length O, or nil for a bias-free convolution.
    var bias: [Float]?

    init(weightShape: [Int], weight: [Float], geometry: ConvolutionGeometry, bias: [Float]? = nil) {
        precondition(weightShape.reduce(1, *) == weight.count, "weight \(weightShape) has \(weight.count) elements")
        precondition(bias == nil || bias!.count == weightShape[0], "bias length does not match \(weightShape[0]) outputs")
        self.weightShape = weightShape
        self.weight = weight
        self.geometry = geometry
        self.bias = bias
    }

    /// Builds a stage whose weight element [o, i, y, x] is `element(o, i, y, x)`.
    init(
        shape: [Int], geometry: ConvolutionGeometry, bias: [Float]? = nil,
        element: (_ o: Int, _ i: Int, _ y: Int, _ x: Int) -> Float
    ) {
        var weight = [Float](repeating: 0, count: shape.reduce(1, *))
        var index = 0
        for o in 0..<shape[0] {
            for i in 0..<shape[1] {
                for y in 0..<shape[2] {
                    for x in 0..<shape[3] {
                        weight[index] = element(o, i, y, x)
                        index += 1
                    }
                }
            }
        }
        self.init(weightShape: shape, weight: weight, geometry: geometry, bias: bias)
    }

    /// Number of weight and bias elements.
    var parameterCount: Int { weight.count + (bias?.count ?? 0) }
}
