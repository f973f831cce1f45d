import Foundation
import Graph
import Training

/// Fashion-MNIST location and a small CNN for the end-to-end tests.
enum FashionMNISTFixture {
    /// `$FACTORIZE_FASHION_MNIST`, else the Debian dataset-fashion-mnist folder; nil when absent.
    static var directory: URL? {
        let path = ProcessInfo.processInfo.environment["FACTORIZE_FASHION_MNIST"] ?? "/usr/share/datasets/fashion-mnist"
        let url = URL(fileURLWithPath: path)
        let probe = url.appendingPathComponent("train-labels-idx1-ubyte")
        let exists = FileManager.default.fileExists(atPath: probe.path)
            || FileManager.default.fileExists(atPath: probe.path + ".gz")
        return exists ? url : nil
    }

    static var isAvailable: Bool { directory != nil }

    /// Conv(1→8, 3×3) → BN → Relu → MaxPool 2 → Conv(8→16, 3×3, stride 2) → BN → Relu →
    /// Flatten → Gemm(784→10), He-initialised from `seed`.
    static func smallCNN(seed: UInt64) -> Model {
        func he(_ shape: [Int], fanIn: Int, seed: UInt64) -> TensorData {
            var generator = SplitMix64(seed: seed)
            let deviation = Float((2 / Double(fanIn)).squareRoot())
            return TensorData(floats: (0..<shape.reduce(1, *)).map { _ in Float(generator.nextNormal()) * deviation }, shape: shape)
        }
        func constant(_ value: Float, _ count: Int) -> TensorData {
            TensorData(floats: [Float](repeating: value, count: count), shape: [count])
        }
        let conv: [String: Attribute] = ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])]
        var initializers: [String: TensorData] = [
            "c1.w": he([8, 1, 3, 3], fanIn: 9, seed: seed),
            "c2.w": he([16, 8, 3, 3], fanIn: 72, seed: seed + 1),
            "fc.w": he([10, 16 * 7 * 7], fanIn: 16 * 7 * 7, seed: seed + 2),
            "fc.b": constant(0, 10),
        ]
        for (name, channels) in [("bn1", 8), ("bn2", 16)] {
            initializers["\(name).scale"] = constant(1, channels)
            initializers["\(name).bias"] = constant(0, channels)
            initializers["\(name).mean"] = constant(0, channels)
            initializers["\(name).var"] = constant(1, channels)
        }
        func bn(_ name: String, _ input: String) -> Node {
            Node(
                name: name, opType: "BatchNormalization",
                inputs: [input, "\(name).scale", "\(name).bias", "\(name).mean", "\(name).var"], outputs: [name])
        }
        var stride2 = conv
        stride2["strides"] = .ints([2, 2])
        let nodes = [
            Node(name: "c1", opType: "Conv", inputs: ["input", "c1.w"], outputs: ["c1"], attributes: conv),
            bn("bn1", "c1"),
            Node(name: "r1", opType: "Relu", inputs: ["bn1"], outputs: ["r1"]),
            Node(name: "p1", opType: "MaxPool", inputs: ["r1"], outputs: ["p1"],
                 attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
            Node(name: "c2", opType: "Conv", inputs: ["p1", "c2.w"], outputs: ["c2"], attributes: stride2),
            bn("bn2", "c2"),
            Node(name: "r2", opType: "Relu", inputs: ["bn2"], outputs: ["r2"]),
            Node(name: "flat", opType: "Flatten", inputs: ["r2"], outputs: ["flat"]),
            Node(name: "fc", opType: "Gemm", inputs: ["flat", "fc.w", "fc.b"], outputs: ["logits"], attributes: ["transB": .int(1)]),
        ]
        let graph = Graph(
            name: "small-cnn", nodes: nodes, initializers: initializers,
            inputs: [ValueInfo(name: "input", elementType: .float, shape: [.symbolic("batch"), .known(1), .known(28), .known(28)])],
            outputs: [ValueInfo(name: "logits", elementType: .float, shape: [.symbolic("batch"), .known(10)])])
        return Model(graph: graph)
    }
}
