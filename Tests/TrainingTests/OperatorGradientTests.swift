import Graph
import Testing
import Training

/// Finite-difference checks of every training kernel's backward pass.
@Suite struct OperatorGradientTests {
    typealias Check = GradientCheck

    /// Float32 central differences with step 1e-2 agree with exact gradients to about 1e-3 on
    /// these sizes. Random inputs rarely put a probe across a kink of Relu, Clip or MaxPool.
    let tolerance = 2e-2

    func expectGradients(_ model: Model, training: Bool = true, step: Float = 1e-2, _ comment: Comment) throws {
        let errors = try Check.relativeErrors(model, training: training, step: step)
        #expect(!errors.isEmpty, comment)
        for (name, error) in errors.sorted(by: { $0.key < $1.key }) {
            #expect(error < tolerance, "\(comment): \(name) relative error \(error)")
        }
    }

    struct ConvCase: CustomTestStringConvertible, Sendable {
        var label: String
        var input: [Int]
        var weight: [Int]
        var attributes: [String: Attribute]
        var bias = true
        var testDescription: String { label }
    }

    static let convCases: [ConvCase] = [
        ConvCase(label: "plain 3x3", input: [2, 3, 6, 6], weight: [4, 3, 3, 3], attributes: ["pads": .ints([1, 1, 1, 1])]),
        ConvCase(label: "stride (2,1)", input: [2, 2, 7, 6], weight: [3, 2, 3, 3], attributes: ["strides": .ints([2, 1])]),
        ConvCase(
            label: "asymmetric pads", input: [1, 2, 5, 5], weight: [3, 2, 3, 2],
            attributes: ["pads": .ints([0, 1, 2, 0])]),
        ConvCase(
            label: "dilation 2", input: [2, 2, 7, 7], weight: [2, 2, 3, 3],
            attributes: ["dilations": .ints([2, 2]), "pads": .ints([2, 1, 2, 1])]),
        ConvCase(label: "groups 2", input: [2, 4, 5, 5], weight: [6, 2, 3, 3], attributes: ["group": .int(2), "pads": .ints([1, 1, 1, 1])]),
        ConvCase(
            label: "depthwise", input: [2, 3, 5, 5], weight: [3, 1, 3, 3],
            attributes: ["group": .int(3), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])]),
        ConvCase(label: "1x1 no bias", input: [3, 4, 4, 4], weight: [2, 4, 1, 1], attributes: [:], bias: false),
        // 144 column rows × 900 pixels per image: blocks of 2 images under the 256 Ki-float
        // block budget, so the batch of 3 runs as two blocks.
        ConvCase(
            label: "image blocks", input: [3, 16, 30, 30], weight: [4, 8, 3, 3],
            attributes: ["group": .int(2), "pads": .ints([1, 1, 1, 1])]),
    ]

    @Test(arguments: convCases)
    func convolution(_ testCase: ConvCase) throws {
        var initializers = [
            "x": Check.randomTensor(testCase.input, seed: 1),
            "w": Check.randomTensor(testCase.weight, seed: 2),
        ]
        var inputs = ["x", "w"]
        if testCase.bias {
            initializers["b"] = Check.randomTensor([testCase.weight[0]], seed: 3)
            inputs.append("b")
        }
        let node = Node(name: "conv", opType: "Conv", inputs: inputs, outputs: ["y"], attributes: testCase.attributes)
        try expectGradients(Check.model(nodes: [node], initializers: initializers, output: "y"), "Conv \(testCase.label)")
    }

    @Test(arguments: [true, false])
    func batchNormalization(training: Bool) throws {
        let initializers = [
            "x": Check.randomTensor([4, 3, 3, 3], seed: 1),
            "scale": Check.randomTensor([3], seed: 2, offset: 1),
            "bias": Check.randomTensor([3], seed: 3),
            "mean": Check.randomTensor([3], seed: 4),
            "var": Check.floatTensor([0.5, 1.5, 2], [3]),
        ]
        let node = Node(
            name: "bn", opType: "BatchNormalization", inputs: ["x", "scale", "bias", "mean", "var"], outputs: ["y"],
            attributes: ["epsilon": .float(1e-5), "momentum": .float(0.9)])
        try expectGradients(
            Check.model(nodes: [node], initializers: initializers, output: "y"), training: training,
            "BatchNormalization training \(training)")
    }

    @Test func reluAndClip() throws {
        // Inputs stay 0.05 away from the kinks at −0.5, 0 and 0.7 so that no finite-difference
        // probe straddles one.
        var generator = SplitMix64(seed: 5)
        let values = (0..<51).map { _ -> Float in
            var value = Float(generator.nextNormal())
            for kink: Float in [-0.5, 0, 0.7] where abs(value - kink) < 0.05 { value = kink + 0.1 }
            return value
        }
        let initializers = [
            "x": Check.floatTensor(values, [3, 17]),
            "lo": Check.floatTensor([-0.5], []),
            "hi": Check.floatTensor([0.7], []),
        ]
        let nodes = [
            Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["r"]),
            Node(name: "clip", opType: "Clip", inputs: ["x", "lo", "hi"], outputs: ["c"]),
            Node(name: "sum", opType: "Add", inputs: ["r", "c"], outputs: ["y"]),
        ]
        try expectGradients(Check.model(nodes: nodes, initializers: initializers, output: "y"), "Relu + Clip")
    }

    struct PoolCase: CustomTestStringConvertible, Sendable {
        var label: String
        var opType: String
        var attributes: [String: Attribute]
        var testDescription: String { label }
    }

    static let poolCases: [PoolCase] = [
        PoolCase(label: "max 2x2", opType: "MaxPool", attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
        PoolCase(
            label: "max 3x3 stride (2,1) asymmetric pads", opType: "MaxPool",
            attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 1]), "pads": .ints([1, 0, 0, 1])]),
        PoolCase(
            label: "max ceil_mode dilation", opType: "MaxPool",
            attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "ceil_mode": .int(1), "dilations": .ints([1, 2])]),
        PoolCase(
            label: "average count_include_pad", opType: "AveragePool",
            attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(1)]),
        PoolCase(
            label: "average ceil_mode asymmetric pads", opType: "AveragePool",
            attributes: ["kernel_shape": .ints([2, 3]), "strides": .ints([2, 2]), "pads": .ints([0, 1, 1, 0]), "ceil_mode": .int(1)]),
        PoolCase(label: "global average", opType: "GlobalAveragePool", attributes: [:]),
    ]

    @Test(arguments: poolCases)
    func pooling(_ testCase: PoolCase) throws {
        let node = Node(name: "pool", opType: testCase.opType, inputs: ["x"], outputs: ["y"], attributes: testCase.attributes)
        let model = Check.model(nodes: [node], initializers: ["x": Check.randomTensor([2, 2, 7, 6], seed: 8)], output: "y")
        try expectGradients(model, "\(testCase.label)")
    }

    @Test func addBroadcastsBiasShapes() throws {
        let initializers = [
            "x": Check.randomTensor([2, 3, 4, 5], seed: 1),
            "channel": Check.randomTensor([3, 1, 1], seed: 2),
            "row": Check.randomTensor([5], seed: 3),
        ]
        let nodes = [
            Node(name: "a", opType: "Add", inputs: ["x", "channel"], outputs: ["t"]),
            Node(name: "b", opType: "Add", inputs: ["row", "t"], outputs: ["y"]),
        ]
        try expectGradients(Check.model(nodes: nodes, initializers: initializers, output: "y"), "Add broadcasting")
    }

    @Test func concatAlongChannels() throws {
        let initializers = [
            "a": Check.randomTensor([2, 2, 3, 3], seed: 1),
            "b": Check.randomTensor([2, 3, 3, 3], seed: 2),
        ]
        let node = Node(name: "cat", opType: "Concat", inputs: ["a", "b"], outputs: ["y"], attributes: ["axis": .int(1)])
        try expectGradients(Check.model(nodes: [node], initializers: initializers, output: "y"), "Concat")
    }

    @Test(arguments: [(0, 0), (0, 1), (1, 0), (1, 1)])
    func gemmTransposes(transA: Int, transB: Int) throws {
        let initializers = [
            "a": Check.randomTensor(transA == 1 ? [4, 3] : [3, 4], seed: 1),
            "b": Check.randomTensor(transB == 1 ? [5, 4] : [4, 5], seed: 2),
            "c": Check.randomTensor([5], seed: 3),
        ]
        let node = Node(
            name: "gemm", opType: "Gemm", inputs: ["a", "b", "c"], outputs: ["y"],
            attributes: ["transA": .int(transA), "transB": .int(transB), "alpha": .float(0.7), "beta": .float(1.3)])
        try expectGradients(Check.model(nodes: [node], initializers: initializers, output: "y"), "Gemm transA \(transA) transB \(transB)")
    }

    @Test func matMulFlattenReshapeTranspose() throws {
        let initializers = [
            "x": Check.randomTensor([2, 3, 2, 2], seed: 1),
            "w": Check.randomTensor([6, 4], seed: 2),
            "shape": Check.int64Tensor([2, 0, -1], [3]),
        ]
        let nodes = [
            Node(name: "t", opType: "Transpose", inputs: ["x"], outputs: ["xt"], attributes: ["perm": .ints([0, 2, 3, 1])]),
            Node(name: "r", opType: "Reshape", inputs: ["xt", "shape"], outputs: ["xr"]),
            Node(name: "f", opType: "Flatten", inputs: ["xr"], outputs: ["xf"], attributes: ["axis": .int(1)]),
            Node(name: "r2", opType: "Reshape", inputs: ["xf", "shape2"], outputs: ["xs"]),
            Node(name: "m", opType: "MatMul", inputs: ["xs", "w"], outputs: ["y"]),
        ]
        var all = initializers
        all["shape2"] = Check.int64Tensor([4, 6], [2])
        try expectGradients(Check.model(nodes: nodes, initializers: all, output: "y"), "MatMul + shape operators")
    }

    @Test func dropoutInTrainingMode() throws {
        let node = Node(name: "drop", opType: "Dropout", inputs: ["x"], outputs: ["y"], attributes: ["ratio": .float(0.3)])
        let model = Check.model(nodes: [node], initializers: ["x": Check.randomTensor([4, 25], seed: 3)], output: "y")
        try expectGradients(model, "Dropout")
    }

    @Test func residualBlockComposite() throws {
        let conv: [String: Attribute] = ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])]
        var initializers = [
            "x": Check.randomTensor([3, 2, 4, 4], seed: 1),
            "w1": Check.randomTensor([2, 2, 3, 3], seed: 2),
            "w2": Check.randomTensor([2, 2, 3, 3], seed: 3),
            "fc.w": Check.randomTensor([3, 2], seed: 4),
            "fc.b": Check.randomTensor([3], seed: 5),
        ]
        for (index, name) in ["bn1", "bn2"].enumerated() {
            initializers["\(name).scale"] = Check.randomTensor([2], seed: 10 + UInt64(index), offset: 1)
            initializers["\(name).bias"] = Check.randomTensor([2], seed: 20 + UInt64(index))
            initializers["\(name).mean"] = Check.floatTensor([0, 0], [2])
            initializers["\(name).var"] = Check.floatTensor([1, 1], [2])
        }
        func bn(_ name: String, _ input: String) -> Node {
            Node(name: name, opType: "BatchNormalization",
                 inputs: [input, "\(name).scale", "\(name).bias", "\(name).mean", "\(name).var"], outputs: [name])
        }
        let nodes = [
            Node(name: "c1", opType: "Conv", inputs: ["x", "w1"], outputs: ["c1"], attributes: conv),
            bn("bn1", "c1"),
            Node(name: "r1", opType: "Relu", inputs: ["bn1"], outputs: ["r1"]),
            Node(name: "c2", opType: "Conv", inputs: ["r1", "w2"], outputs: ["c2"], attributes: conv),
            bn("bn2", "c2"),
            Node(name: "add", opType: "Add", inputs: ["bn2", "x"], outputs: ["sum"]),
            Node(name: "r2", opType: "Relu", inputs: ["sum"], outputs: ["r2"]),
            Node(name: "gap", opType: "GlobalAveragePool", inputs: ["r2"], outputs: ["gap"]),
            Node(name: "flat", opType: "Flatten", inputs: ["gap"], outputs: ["flat"]),
            Node(name: "fc", opType: "Gemm", inputs: ["flat", "fc.w", "fc.b"], outputs: ["y"], attributes: ["transB": .int(1)]),
        ]
        // A smaller step because a parameter of bn2 moves every input of the final Relu at once,
        // so a step of 1e-2 often crosses one of its kinks.
        try expectGradients(Check.model(nodes: nodes, initializers: initializers, output: "y"), step: 1e-3, "residual block")
    }
}
