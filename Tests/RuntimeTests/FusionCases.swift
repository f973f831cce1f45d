import Graph

/// Small graphs whose nodes the optimizer fuses, compared against ONNX Runtime with and without fusion.
enum FusionCases {
    static var all: [OperatorCase] { [1, 2].flatMap(all) }

    static func all(_ n: Int) -> [OperatorCase] {
        let cases: [OperatorCase] = [
            OperatorCase(
                "conv batchnorm relu n\(n)",
                nodes: [
                    Node(name: "conv", opType: "Conv", inputs: ["x", "w", "cb"], outputs: ["c"], attributes: ["pads": ints([1, 1, 1, 1])]),
                    Node(name: "bn", opType: "BatchNormalization", inputs: ["c", "s", "b", "m", "v"], outputs: ["n"]),
                    Node(name: "relu", opType: "Relu", inputs: ["n"], outputs: ["y"]),
                ],
                inputs: [("x", [n, 3, 8, 8])],
                initializers: OperatorCases.batchNormParameters(4).merging(
                    ["w": .random([4, 3, 3, 3], seed: 1), "cb": .random([4], seed: 2)]) { a, _ in a }),
            OperatorCase(
                "pad conv clip n\(n)",
                nodes: [
                    Node(name: "pad", opType: "Pad", inputs: ["x", "p"], outputs: ["padded"]),
                    Node(name: "conv", opType: "Conv", inputs: ["padded", "w"], outputs: ["c"], attributes: ["group": .int(4), "strides": ints([2, 2])]),
                    Node(name: "clip", opType: "Clip", inputs: ["c", "lo", "hi"], outputs: ["y"]),
                ],
                inputs: [("x", [n, 4, 9, 9])],
                initializers: [
                    "p": int64Constant([0, 0, 0, 0, 0, 0, 1, 1]), "w": .random([4, 1, 3, 3], seed: 1),
                    "lo": TensorData(floats: [0], shape: []), "hi": TensorData(floats: [0.6], shape: []),
                ]),
            OperatorCase(
                "add relu residual n\(n)",
                nodes: [
                    Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: ["pads": ints([1, 1, 1, 1])]),
                    Node(name: "add", opType: "Add", inputs: ["c", "x"], outputs: ["s"]),
                    Node(name: "relu", opType: "Relu", inputs: ["s"], outputs: ["y"]),
                ],
                inputs: [("x", [n, 4, 6, 6])],
                initializers: ["w": .random([4, 4, 3, 3], seed: 1)]),
            OperatorCase(
                "batchnorm relu concat n\(n)",
                nodes: [
                    Node(name: "concat", opType: "Concat", inputs: ["x", "z"], outputs: ["c"], attributes: ["axis": .int(1)]),
                    Node(name: "bn", opType: "BatchNormalization", inputs: ["c", "s", "b", "m", "v"], outputs: ["n"]),
                    Node(name: "relu", opType: "Relu", inputs: ["n"], outputs: ["y"]),
                ],
                inputs: [("x", [n, 1, 5, 5]), ("z", [n, 3, 5, 5])],
                initializers: OperatorCases.batchNormParameters(4)),
            OperatorCase(
                "gemm relu flatten n\(n)",
                nodes: [
                    Node(name: "flatten", opType: "Flatten", inputs: ["x"], outputs: ["f"]),
                    Node(name: "gemm", opType: "Gemm", inputs: ["f", "w", "b"], outputs: ["g"], attributes: ["transB": .int(1)]),
                    Node(name: "relu", opType: "Relu", inputs: ["g"], outputs: ["y"]),
                ],
                inputs: [("x", [n, 2, 3, 2])],
                initializers: ["w": .random([5, 12], seed: 1), "b": .random([5], seed: 2)]),
        ]
        return cases
    }
}
