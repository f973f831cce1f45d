import Foundation
import Graph
import Testing
import TestSupport

@Suite("Graph passes")
struct PassTests {
    static let efficientNetAvailable = TestEnvironment.fixture(FixtureModels.efficientNet) != nil

    func operatorCounts(_ model: Model) -> [String: Int] {
        model.graph.nodes.reduce(into: [:]) { $0[$1.opType, default: 0] += 1 }
    }

    @Test("folding removes EfficientNet padding chains", .enabled(if: efficientNetAvailable, "fixture is missing"))
    func efficientNetFolding() throws {
        let folded = try foldConstants(try FixtureModels.load(FixtureModels.efficientNet))
        let counts = operatorCounts(folded)
        #expect(counts == ["Conv": 49, "Clip": 33, "Pad": 17, "Add": 9, "GlobalAveragePool": 1, "Reshape": 1, "Gemm": 1])
        for pad in folded.graph.nodes where pad.opType == "Pad" {
            #expect(folded.graph.initializers[pad.inputs[1]]?.elementType == .int64, "pads of \(pad.name)")
        }
        #expect(try inferShapes(folded)["logits"]?.shape == [.known(1), .known(1000)])
    }

    @Test("optimize merges EfficientNet pads into convolutions", .enabled(if: efficientNetAvailable, "fixture is missing"))
    func efficientNetOptimize() throws {
        let model = try FixtureModels.load(FixtureModels.efficientNet)
        let optimized = try optimize(model)
        #expect(operatorCounts(optimized) == ["Conv": 49, "Clip": 33, "Add": 9, "GlobalAveragePool": 1, "Reshape": 1, "Gemm": 1])
        let stem = try #require(optimized.graph.nodes.first { $0.opType == "Conv" })
        // The stem's stride-2 3×3 "same" padding of a 224×224 input pads one row and column at the end.
        #expect(stem.ints("pads") == [0, 0, 1, 1])
        #expect(try inferShapes(optimized)["logits"]?.shape == [.known(1), .known(1000)])
        #expect(try optimize(optimized) == optimized)
    }

    @Test("passes are idempotent", .enabled(if: FixtureModels.available, "fixtures folder is missing"),
          arguments: ["resnet18", "resnet18-preserve-bn", "densenet121", "vgg11_bn", "resnet18-dynamo"])
    func idempotent(name: String) throws {
        let model = try initializeWeights(try FixtureModels.loadTorchvision(name), seed: 5)
        let once = try optimize(model)
        #expect(try optimize(once) == once)
        #expect(try foldBatchNormalization(once) == once)
        #expect(try removeIdentities(once) == once)
        #expect(try inferShapes(once)["logits"]?.shape == [.known(1), .known(1000)])
    }

    @Test("Identity removal keeps the graph output name", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func identityRemoval() throws {
        let model = try initializeWeights(try FixtureModels.loadTorchvision("vgg11_bn"), seed: 2)
        #expect(operatorCounts(model)["Identity"] != nil)
        let cleaned = try removeIdentities(model)
        #expect(operatorCounts(cleaned)["Identity"] == nil)
        #expect(cleaned.graph.outputs.map(\.name) == ["logits"])
        try cleaned.validate()
    }

    @Test("Identity producing a graph output renames its producer")
    func identityOutput() throws {
        let graph = Graph(
            nodes: [
                Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["r"]),
                Node(name: "copy", opType: "Identity", inputs: ["r"], outputs: ["y"]),
            ],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(2)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: [.known(2)])])
        let cleaned = try removeIdentities(Model(graph: graph))
        #expect(cleaned.graph.nodes == [Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["y"])])
    }

    @Test("Identity of a graph input stays")
    func identityOfInput() throws {
        let graph = Graph(
            nodes: [Node(name: "copy", opType: "Identity", inputs: ["x"], outputs: ["y"])],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(2)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: [.known(2)])])
        let model = Model(graph: graph)
        #expect(try removeIdentities(model) == model)
    }

    @Test("BatchNorm folding removes every BatchNorm of resnet18", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func batchNormFoldingCount() throws {
        let model = try initializeWeights(try FixtureModels.loadTorchvision("resnet18-preserve-bn"), seed: 4)
        let folded = try foldBatchNormalization(model)
        #expect(operatorCounts(folded)["BatchNormalization"] == nil)
        #expect(operatorCounts(folded)["Conv"] == 20)
        #expect(try layerStatistics(folded).totalParameters == 11_684_712)
    }

    @Test("BatchNorm after a shared Conv output stays")
    func batchNormSharedOutput() throws {
        let channels = 2
        let graph = Graph(
            nodes: [
                Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"]),
                Node(name: "bn", opType: "BatchNormalization", inputs: ["c", "s", "b", "m", "v"], outputs: ["y"]),
                Node(name: "relu", opType: "Relu", inputs: ["c"], outputs: ["z"]),
            ],
            initializers: [
                "w": TensorData(floats: [1, 2], shape: [channels, 1, 1, 1]),
                "s": TensorData(floats: [1, 1], shape: [channels]), "b": TensorData(floats: [0, 0], shape: [channels]),
                "m": TensorData(floats: [0, 0], shape: [channels]), "v": TensorData(floats: [1, 1], shape: [channels]),
            ],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(1), .known(1), .known(2), .known(2)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil), ValueInfo(name: "z", elementType: .float, shape: nil)])
        let model = Model(graph: graph)
        #expect(try foldBatchNormalization(model) == model)
    }

    @Test("BatchNorm folding arithmetic")
    func batchNormArithmetic() throws {
        let graph = Graph(
            nodes: [
                Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"]),
                Node(name: "bn", opType: "BatchNormalization", inputs: ["c", "s", "b", "m", "v"], outputs: ["y"],
                     attributes: ["epsilon": .float(0)]),
            ],
            initializers: [
                "w": TensorData(floats: [1, 2, 3, 4], shape: [2, 2, 1, 1]),
                "s": TensorData(floats: [2, 3], shape: [2]), "b": TensorData(floats: [1, -1], shape: [2]),
                "m": TensorData(floats: [0.5, 1], shape: [2]), "v": TensorData(floats: [4, 9], shape: [2]),
            ],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(1), .known(2), .known(1), .known(1)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)])
        let folded = try foldBatchNormalization(Model(graph: graph))
        let conv = try #require(folded.graph.nodes.first)
        #expect(folded.graph.nodes.count == 1)
        #expect(conv.outputs == ["y"])
        // Factors γ/√σ²: 2/2 = 1 and 3/3 = 1; biases (0 − μ)·1 + β: 0.5 and −2.
        #expect(folded.graph.initializers[conv.inputs[1]]?.floats() == [1, 2, 3, 4])
        #expect(folded.graph.initializers[conv.inputs[2]]?.floats() == [0.5, -2])
    }

    @Test("dead nodes and unused initializers are removed")
    func deadCode() throws {
        let graph = Graph(
            nodes: [
                Node(name: "used", opType: "Relu", inputs: ["x"], outputs: ["y"]),
                Node(name: "dead", opType: "Add", inputs: ["x", "unused_weight"], outputs: ["d"]),
            ],
            initializers: ["unused_weight": TensorData(floats: [1], shape: [1]), "orphan": TensorData(floats: [2], shape: [1])],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(1)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)],
            valueInfo: ["d": ValueInfo(name: "d", elementType: .float, shape: nil)])
        let cleaned = try eliminateDeadCode(Model(graph: graph))
        #expect(cleaned.graph.nodes.map(\.name) == ["used"])
        #expect(cleaned.graph.initializers.isEmpty)
        #expect(cleaned.graph.valueInfo.isEmpty)
    }

    @Test("Shape chain folds with static input shape")
    func shapeChain() throws {
        let graph = Graph(
            nodes: [
                Node(name: "shape", opType: "Shape", inputs: ["x"], outputs: ["s"]),
                Node(name: "gather", opType: "Gather", inputs: ["s", "zero"], outputs: ["n"], attributes: ["axis": .int(0)]),
                Node(name: "unsqueeze", opType: "Unsqueeze", inputs: ["n", "axes"], outputs: ["n1"]),
                Node(name: "concat", opType: "Concat", inputs: ["n1", "minus_one"], outputs: ["target"], attributes: ["axis": .int(0)]),
                Node(name: "reshape", opType: "Reshape", inputs: ["x", "target"], outputs: ["y"]),
            ],
            initializers: [
                "zero": TensorData(int64s: [0], shape: []), "axes": TensorData(int64s: [0], shape: [1]),
                "minus_one": TensorData(int64s: [-1], shape: [1]),
            ],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(2), .known(3), .known(4)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)])
        let folded = try foldConstants(Model(graph: graph))
        #expect(folded.graph.nodes.map(\.opType) == ["Reshape"])
        #expect(folded.graph.initializers["target"]?.integers() == [2, -1])
        #expect(try inferShapes(folded)["y"]?.shape == [.known(2), .known(12)])
    }
}
