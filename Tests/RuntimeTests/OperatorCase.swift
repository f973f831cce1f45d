import Graph
import LinearAlgebra

/// A small model (usually one node) with random inputs and weights, compared against ONNX Runtime.
struct OperatorCase: Sendable, CustomStringConvertible {
    var label: String
    var nodes: [Node]
    /// Graph inputs with their shapes; filled with seeded random values.
    var inputs: [(name: String, shape: [Int])]
    var initializers: [String: TensorData] = [:]
    var opset = 17

    var description: String { label }

    /// One node reading `x` (and the initializers named in `extraInputs`) and writing `y`.
    init(
        _ label: String, _ opType: String, x: [Int], extraInputs: [String] = [],
        initializers: [String: TensorData] = [:], attributes: [String: Attribute] = [:], opset: Int = 17
    ) {
        self.label = label
        self.nodes = [Node(name: label, opType: opType, inputs: ["x"] + extraInputs, outputs: ["y"], attributes: attributes)]
        self.inputs = [("x", x)]
        self.initializers = initializers
        self.opset = opset
    }

    init(_ label: String, nodes: [Node], inputs: [(name: String, shape: [Int])], initializers: [String: TensorData], opset: Int = 17) {
        self.label = label
        self.nodes = nodes
        self.inputs = inputs
        self.initializers = initializers
        self.opset = opset
    }

    var model: Model {
        let graph = Graph(
            name: label, nodes: nodes, initializers: initializers,
            inputs: inputs.map { ValueInfo(name: $0.name, elementType: .float, shape: $0.shape.map { .known($0) }) },
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)])
        return Model(graph: graph, opsets: ["": opset])
    }

    var feeds: [String: Tensor<Float>] {
        var result: [String: Tensor<Float>] = [:]
        for (index, input) in inputs.enumerated() { result[input.name] = randomTensor(input.shape, seed: UInt64(100 + index)) }
        return result
    }
}

func ints(_ values: [Int]) -> Attribute { .ints(values) }

func int64Constant(_ values: [Int]) -> TensorData { TensorData(int64s: values.map { Int64($0) }, shape: [values.count]) }

func floatConstant(_ values: [Float]) -> TensorData { TensorData(floats: values, shape: [values.count]) }

/// A Conv case: input NCHW, weights [M, C/group, kh, kw] with bias, plus attributes.
func convolution(
    _ label: String, x: [Int], weights: [Int], bias: Bool = true, _ attributes: [String: Attribute]
) -> OperatorCase {
    var initializers = ["w": TensorData.random(weights, seed: 1)]
    if bias { initializers["b"] = TensorData.random([weights[0]], seed: 2) }
    return OperatorCase(
        label, "Conv", x: x, extraInputs: bias ? ["w", "b"] : ["w"], initializers: initializers, attributes: attributes)
}
