import Decomposition
import Factorization
import Graph
import LinearAlgebra
import Runtime

/// Seeded standard normal values.
func randomValues(_ count: Int, seed: UInt64) -> [Float] {
    var generator = Decomposition.SplitMix64(seed: seed)
    return (0..<count).map { _ in Float(generator.nextNormal()) }
}

/// Builds a model with one Conv node on input `x` [1, I, H, W] and output `y`.
func convolutionModel(
    outChannels: Int, inChannels: Int, kernel: (Int, Int), strides: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0],
    dilations: [Int] = [1, 1], group: Int = 1, bias: Bool = true, spatial: (Int, Int) = (9, 8),
    weight: [Float]? = nil, seed: UInt64 = 1
) -> Model {
    let weightShape = [outChannels, inChannels / group, kernel.0, kernel.1]
    let values = weight ?? randomValues(weightShape.reduce(1, *), seed: seed)
    var initializers = ["w": TensorData(floats: values, shape: weightShape)]
    var inputs = ["x", "w"]
    if bias {
        initializers["b"] = TensorData(floats: randomValues(outChannels, seed: seed + 1), shape: [outChannels])
        inputs.append("b")
    }
    let node = Node(
        name: "conv", opType: "Conv", inputs: inputs, outputs: ["y"],
        attributes: [
            "kernel_shape": .ints([kernel.0, kernel.1]), "strides": .ints(strides), "pads": .ints(pads),
            "dilations": .ints(dilations), "group": .int(group),
        ])
    let graph = Graph(
        name: "conv", nodes: [node], initializers: initializers,
        inputs: [ValueInfo(name: "x", elementType: .float, shape: [1, inChannels, spatial.0, spatial.1].map { .known($0) })],
        outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)])
    return Model(graph: graph, opsets: ["": 17])
}

/// Builds a model with one Gemm node, y = alpha · x · B' + beta · c, on x [batch, I].
func gemmModel(
    outputs: Int, inputs: Int, transB: Bool, alpha: Float = 1, beta: Float = 1, bias: Bool = true, batch: Int = 3
) -> Model {
    let weightShape = transB ? [outputs, inputs] : [inputs, outputs]
    var initializers = ["w": TensorData(floats: randomValues(outputs * inputs, seed: 7), shape: weightShape)]
    var names = ["x", "w"]
    if bias {
        initializers["c"] = TensorData(floats: randomValues(outputs, seed: 8), shape: [outputs])
        names.append("c")
    }
    let node = Node(
        name: "fc", opType: "Gemm", inputs: names, outputs: ["y"],
        attributes: ["transB": .int(transB ? 1 : 0), "alpha": .float(alpha), "beta": .float(beta)])
    let graph = Graph(
        name: "gemm", nodes: [node], initializers: initializers,
        inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(batch), .known(inputs)])],
        outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)])
    return Model(graph: graph, opsets: ["": 17])
}

/// Runs both models on the same seeded input and returns max|y − ŷ| / max|y|.
func relativeOutputError(_ original: Model, _ other: Model, seed: UInt64 = 3) throws -> Double {
    let input = original.graph.inputs[0]
    let shape = input.shape!.map { dim -> Int in
        if case .known(let value) = dim { return value }
        return 1
    }
    let x = Tensor<Float>(shape: shape, scalars: randomValues(shape.reduce(1, *), seed: seed))
    let expected = try InferenceSession(model: original).run(inputs: [input.name: x])
    let actual = try InferenceSession(model: other).run(inputs: [input.name: x])
    let name = original.graph.outputs[0].name
    let y = expected[name]!.scalars
    let yHat = actual[name]!.scalars
    precondition(y.count == yHat.count, "output sizes differ: \(y.count) and \(yHat.count)")
    var difference: Float = 0
    var magnitude: Float = 0
    for (a, b) in zip(y, yHat) {
        difference = max(difference, abs(a - b))
        magnitude = max(magnitude, abs(a))
    }
    return Double(difference / max(magnitude, .leastNormalMagnitude))
}

/// Every layer, the first and the classifier included.
let everyLayer = LayerSelection(includeFirstConvolution: true, includeClassifier: true)
