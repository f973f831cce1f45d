import Foundation
import Graph
import Testing
import TestSupport

@Suite("Shape inference")
struct ShapeInferenceTests {
    @Test("fixture logits are 1×1000", .enabled(if: FixtureModels.available, "fixtures folder is missing"),
          arguments: FixtureModels.allPaths)
    func logits(path: String) throws {
        var model = try FixtureModels.load(path)
        if path.contains("dynamo") { model = try initializeWeights(model, seed: 0) }
        let values = try inferShapes(model)
        #expect(values["logits"]?.shape == [.known(1), .known(1000)])
        #expect(values["logits"]?.elementType == .float)
    }

    @Test("batch size from inputShapes reaches the output", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func batchOverride() throws {
        let model = try FixtureModels.loadTorchvision("densenet121")
        let values = try inferShapes(model, inputShapes: ["input": [8, 3, 224, 224]])
        #expect(values["logits"]?.shape == [.known(8), .known(1000)])
        #expect(throws: GraphError.self) { try inferShapes(model, inputShapes: ["input": [1, 3, 224]]) }
        #expect(throws: GraphError.self) { try inferShapes(model, inputShapes: ["image": [1, 3, 224, 224]]) }
    }

    @Test("symbolic batch passes through")
    func symbolicBatch() throws {
        let graph = Graph(
            nodes: [
                Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"],
                     attributes: ["strides": .ints([2, 2]), "auto_pad": .string("SAME_UPPER")]),
                Node(name: "flat", opType: "Flatten", inputs: ["c"], outputs: ["y"]),
            ],
            initializers: ["w": TensorData(floats: [Float](repeating: 0, count: 8 * 3 * 3 * 3), shape: [8, 3, 3, 3])],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.symbolic("N"), .known(3), .known(9), .known(10)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)])
        let values = try inferShapes(Model(graph: graph))
        #expect(values["c"]?.shape == [.symbolic("N"), .known(8), .known(5), .known(5)])
        #expect(values["y"]?.shape == [.symbolic("N"), .known(200)])
    }

    @Test("pooling with ceil_mode drops a window starting in the padding")
    func ceilMode() throws {
        let graph = Graph(
            nodes: [Node(name: "pool", opType: "AveragePool", inputs: ["x"], outputs: ["y"],
                         attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]),
                                      "pads": .ints([1, 1, 1, 1]), "ceil_mode": .int(1)])],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(1), .known(1), .known(6), .known(7)])])
        // Height: ceil((6 + 2 - 3) / 2) + 1 = 4, and the 4th window starts at 6 ≥ 6 + 1, so 4 stays? 6 < 7: kept.
        // Width: ceil((7 + 2 - 3) / 2) + 1 = 4, the 4th window starts at 6 < 7 + 1: kept.
        let values = try inferShapes(Model(graph: graph))
        #expect(values["y"]?.shape == [.known(1), .known(1), .known(4), .known(4)])
    }

    @Test("channel mismatch names the Conv")
    func channelMismatch() throws {
        let graph = Graph(
            nodes: [Node(name: "stem", opType: "Conv", inputs: ["x", "w"], outputs: ["y"])],
            initializers: ["w": TensorData(floats: [Float](repeating: 0, count: 4 * 2), shape: [4, 2, 1, 1])],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(1), .known(3), .known(4), .known(4)])])
        let error = #expect(throws: GraphError.self) { try inferShapes(Model(graph: graph)) }
        guard case let .shapeMismatch(node, opType, _)? = error else {
            Issue.record("expected shapeMismatch, got \(String(describing: error))")
            return
        }
        #expect(node == "stem")
        #expect(opType == "Conv")
    }

    @Test("unsupported operator names node and op")
    func unsupportedOperator() throws {
        let graph = Graph(
            nodes: [Node(name: "lrn", opType: "LRN", inputs: ["x"], outputs: ["y"], attributes: ["size": .int(3)])],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(1), .known(3), .known(4), .known(4)])])
        #expect(throws: GraphError.unsupportedOperator(node: "lrn", opType: "LRN", domain: "")) { try inferShapes(Model(graph: graph)) }
    }

    @Test("shapes match onnx.shape_inference",
          .enabled(if: FixtureModels.available && TestEnvironment.pythonHasModules(["onnx"]), "fixtures or Python with onnx missing"),
          arguments: FixtureModels.allPaths)
    func matchesONNX(path: String) throws {
        let url = try #require(TestEnvironment.fixture(path))
        let script = """
            import json, sys, onnx
            model = onnx.shape_inference.infer_shapes(onnx.load(sys.argv[1]), data_prop=True)
            shapes = {}
            for info in list(model.graph.value_info) + list(model.graph.output):
                dims = info.type.tensor_type.shape.dim
                if info.type.tensor_type.HasField("shape") and all(d.HasField("dim_value") for d in dims):
                    shapes[info.name] = [d.dim_value for d in dims]
            print(json.dumps(shapes))
            """
        let output = try TestEnvironment.runPython(["-c", script, url.path])
        let expected = try JSONDecoder().decode([String: [Int]].self, from: output)
        let values = try inferShapes(try FixtureModels.load(path))
        #expect(expected.count > 10)
        for (name, shape) in expected {
            #expect(values[name]?.shape == shape.map(Dim.known), "value \(name)")
        }
    }
}
