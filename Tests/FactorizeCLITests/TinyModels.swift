import Foundation
import Graph
import TestSupport

/// Seeded values in [-0.5, 0.5) from a linear congruential generator (Knuth's MMIX constants).
func seededValues(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 24) - 0.5
    }
}

/// Builds a small Fashion-MNIST-shaped classifier, input x [N, 1, 28, 28], output y [N, 10]:
/// conv1 (8×1×3×3, stride 2, pad 1) → Relu → conv2 (8×8×3×3, pad 1) → Relu →
/// GlobalAveragePool → Flatten → fc (Gemm 10×8).
/// Parameters: 80 + 584 + 90 = 754. MACs at batch 1: 8·14·14·9 + 8·14·14·72 + 10·8 = 127 088.
func tinyClassifier() -> Model {
    func weight(_ name: String, _ shape: [Int], seed: UInt64) -> (String, TensorData) {
        (name, TensorData(floats: seededValues(shape.reduce(1, *), seed: seed), shape: shape))
    }
    let initializers = Dictionary(uniqueKeysWithValues: [
        weight("w1", [8, 1, 3, 3], seed: 1), weight("b1", [8], seed: 2), weight("w2", [8, 8, 3, 3], seed: 3),
        weight("b2", [8], seed: 4), weight("w3", [10, 8], seed: 5), weight("b3", [10], seed: 6),
    ])
    let nodes = [
        Node(
            name: "conv1", opType: "Conv", inputs: ["x", "w1", "b1"], outputs: ["c1"],
            attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])]),
        Node(name: "relu1", opType: "Relu", inputs: ["c1"], outputs: ["r1"]),
        Node(
            name: "conv2", opType: "Conv", inputs: ["r1", "w2", "b2"], outputs: ["c2"],
            attributes: ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])]),
        Node(name: "relu2", opType: "Relu", inputs: ["c2"], outputs: ["r2"]),
        Node(name: "pool", opType: "GlobalAveragePool", inputs: ["r2"], outputs: ["p"]),
        Node(name: "flatten", opType: "Flatten", inputs: ["p"], outputs: ["f"]),
        Node(name: "fc", opType: "Gemm", inputs: ["f", "w3", "b3"], outputs: ["y"], attributes: ["transB": .int(1)]),
    ]
    let graph = Graph(
        name: "tiny", nodes: nodes, initializers: initializers,
        inputs: [ValueInfo(name: "x", elementType: .float, shape: [.symbolic("N"), .known(1), .known(28), .known(28)])],
        outputs: [ValueInfo(name: "y", elementType: .float, shape: [.symbolic("N"), .known(10)])])
    return Model(graph: graph, opsets: ["": 17])
}

/// Builds a model that passes its input scores through: x [N, 10, 1, 1] → Flatten → y [N, 10].
func passThroughClassifier() -> Model {
    let graph = Graph(
        name: "scores", nodes: [Node(name: "flatten", opType: "Flatten", inputs: ["x"], outputs: ["y"])],
        inputs: [ValueInfo(name: "x", elementType: .float, shape: [.symbolic("N"), .known(10), .known(1), .known(1)])],
        outputs: [ValueInfo(name: "y", elementType: .float, shape: [.symbolic("N"), .known(10)])])
    return Model(graph: graph, opsets: ["": 17])
}

/// Saves `model` as `name` in a new temporary folder and returns the file.
func savedModel(_ model: Model, name: String = "tiny.onnx") throws -> URL {
    let url = try TestEnvironment.makeTemporaryDirectory("factorize-cli").appendingPathComponent(name)
    try model.save(to: url)
    return url
}

/// Parses a command's one-line JSON output.
func jsonObject(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    guard let object else { throw JSONShapeError(text: text) }
    return object
}

struct JSONShapeError: Error, CustomStringConvertible {
    var text: String
    var description: String { "not a JSON object: \(text)" }
}

let fashionMNISTAvailable = FileManager.default.fileExists(
    atPath: "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")
