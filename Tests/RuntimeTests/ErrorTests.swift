import Graph
import LinearAlgebra
import Runtime
import Testing

struct ErrorTests {
    private func model(_ nodes: [Node]) -> Model {
        Model(graph: Graph(
            nodes: nodes, inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(1), .known(3)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)]))
    }

    @Test func unsupportedOperatorsListedOnce() throws {
        let nodes = [
            Node(name: "first lstm", opType: "LSTM", inputs: ["x"], outputs: ["a"]),
            Node(name: "relu", opType: "Relu", inputs: ["a"], outputs: ["b"]),
            Node(name: "second lstm", opType: "LSTM", inputs: ["b"], outputs: ["c"]),
            Node(name: "the erf", opType: "Erf", inputs: ["c"], outputs: ["y"]),
        ]
        let error = #expect(throws: RuntimeError.self) { try InferenceSession(model: model(nodes)) }
        guard case .unsupportedOperators(let list)? = error else {
            Issue.record("expected unsupportedOperators, got \(String(describing: error))")
            return
        }
        #expect(list.map(\.opType) == ["LSTM", "Erf"])
        #expect(list.map(\.firstNode) == ["first lstm", "the erf"])
    }

    @Test func missingInputNamed() throws {
        let session = try InferenceSession(model: model([Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["y"])]))
        #expect(throws: RuntimeError.missingInput(name: "x")) { try session.run(inputs: [:]) }
    }

    @Test func inputShapeChecked() throws {
        let session = try InferenceSession(model: model([Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["y"])]))
        #expect(throws: RuntimeError.self) { try session.run(inputs: ["x": Tensor(zeros: [1, 4])]) }
    }

    @Test func batchAxisMayDiffer() throws {
        let session = try InferenceSession(model: model([Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["y"])]))
        let output = try session.run(inputs: ["x": Tensor(shape: [2, 3], scalars: [-1, 2, -3, 4, -5, 6])])
        #expect(output["y"] == Tensor(shape: [2, 3], scalars: [0, 2, 0, 4, 0, 6]))
    }

    @Test func dynamicConvolutionWeightsRejected() throws {
        var graph = Graph(
            nodes: [Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["y"])],
            inputs: [
                ValueInfo(name: "x", elementType: .float, shape: [.known(1), .known(1), .known(3), .known(3)]),
                ValueInfo(name: "w", elementType: .float, shape: [.known(1), .known(1), .known(1), .known(1)]),
            ],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)])
        graph.name = "dynamic weights"
        let session = try InferenceSession(model: Model(graph: graph))
        let inputs = ["x": Tensor<Float>(zeros: [1, 1, 3, 3]), "w": Tensor<Float>(zeros: [1, 1, 1, 1])]
        #expect(throws: RuntimeError.dynamicValue(node: "conv", value: "w")) { try session.run(inputs: inputs) }
    }

    @Test func profileHasOneTimingPerStep() throws {
        let nodes = [
            Node(name: "relu", opType: "Relu", inputs: ["x"], outputs: ["a"]),
            Node(name: "sigmoid", opType: "Sigmoid", inputs: ["a"], outputs: ["y"]),
        ]
        let session = try InferenceSession(model: model(nodes), options: InferenceOptions(profile: true))
        _ = try session.run(inputs: ["x": Tensor(zeros: [1, 3])])
        let profile = try #require(session.lastProfile)
        #expect(profile.map(\.name) == ["relu", "sigmoid"])
        #expect(profile.allSatisfy { $0.seconds >= 0 })
    }
}
