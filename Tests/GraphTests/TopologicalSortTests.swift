import Graph
import Testing

@Suite("Topological sort and validation")
struct TopologicalSortTests {
    /// x → a → b → y, with the nodes listed as b, a.
    func reversedChain() -> Graph {
        Graph(
            nodes: [
                Node(name: "b", opType: "Relu", inputs: ["a_out"], outputs: ["y"]),
                Node(name: "a", opType: "Relu", inputs: ["x"], outputs: ["a_out"]),
            ],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(2)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)])
    }

    @Test("producers come before consumers")
    func sortsChain() throws {
        let sorted = try reversedChain().sortedTopologically()
        #expect(sorted.nodes.map(\.name) == ["a", "b"])
    }

    @Test("independent nodes keep their order")
    func stable() throws {
        let graph = Graph(
            nodes: [
                Node(name: "n2", opType: "Relu", inputs: ["x"], outputs: ["p"]),
                Node(name: "n0", opType: "Relu", inputs: ["x"], outputs: ["q"]),
                Node(name: "n1", opType: "Add", inputs: ["q", "p"], outputs: ["r"]),
                Node(name: "n3", opType: "Relu", inputs: ["x"], outputs: ["s"]),
            ],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(2)])])
        #expect(try graph.sortedTopologically().nodes.map(\.name) == ["n2", "n0", "n1", "n3"])
    }

    @Test("cycle names a node on it")
    func cycle() throws {
        let graph = Graph(
            nodes: [
                Node(name: "head", opType: "Relu", inputs: ["x"], outputs: ["h"]),
                Node(name: "loop_a", opType: "Add", inputs: ["h", "b_out"], outputs: ["a_out"]),
                Node(name: "loop_b", opType: "Relu", inputs: ["a_out"], outputs: ["b_out"]),
            ],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(2)])])
        #expect(throws: GraphError.cycle(node: "loop_a", opType: "Add")) { try graph.sortedTopologically() }
    }

    @Test("undefined input names node and op")
    func undefinedInput() throws {
        var graph = reversedChain()
        graph.nodes[0].inputs = ["missing"]
        let error = #expect(throws: GraphError.self) { try graph.validate(opset: 17) }
        #expect(error == .undefinedInput(node: "b", opType: "Relu", input: "missing"))
        #expect(error?.description.contains("'b' (Relu)") == true)
    }

    @Test("duplicate output is rejected")
    func duplicateOutput() throws {
        var graph = reversedChain()
        graph.nodes[0].outputs = ["a_out"]
        #expect(throws: GraphError.duplicateOutput(node: "a", opType: "Relu", output: "a_out")) { try graph.validate(opset: 17) }
    }

    @Test("missing required attribute is rejected")
    func missingAttribute() throws {
        let graph = Graph(
            nodes: [Node(name: "pool", opType: "MaxPool", inputs: ["x"], outputs: ["y"])],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: nil)])
        #expect(throws: GraphError.missingAttribute(node: "pool", opType: "MaxPool", attribute: "kernel_shape")) {
            try graph.validate(opset: 17)
        }
    }

    @Test("wrong input count is rejected")
    func wrongInputCount() throws {
        let graph = Graph(
            nodes: [Node(name: "bn", opType: "BatchNormalization", inputs: ["x", "x", "x"], outputs: ["y"])],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: nil)])
        #expect(throws: GraphError.wrongInputCount(node: "bn", opType: "BatchNormalization", count: 3, expected: 5...5)) {
            try graph.validate(opset: 17)
        }
    }

    @Test("fixtures validate and are already sorted", .enabled(if: FixtureModels.available, "fixtures folder is missing"),
          arguments: FixtureModels.allPaths)
    func fixturesSorted(path: String) throws {
        let model = try FixtureModels.load(path)
        try model.validate()
        #expect(try model.graph.sortedTopologically() == model.graph)
    }
}
