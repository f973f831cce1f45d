import Graph
import Testing

/// Shape rules of single operators, each on a one-node graph.
@Suite("Operator shape rules")
struct OperatorInferenceTests {
    /// Infers the output `y` of one node over float input `x` of `shape`.
    func inferOutput(
        _ opType: String, x shape: [Int], extraInputs: [String] = [], attributes: [String: Attribute] = [:],
        initializers: [String: TensorData] = [:], opset: Int = 17
    ) throws -> [Dim]? {
        let graph = Graph(
            nodes: [Node(name: "node", opType: opType, inputs: ["x"] + extraInputs, outputs: ["y"], attributes: attributes)],
            initializers: initializers,
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [Dim](shape.map(Dim.known)))])
        return try inferShapes(Model(graph: graph, opsets: ["": opset]))["y"]?.shape
    }

    func known(_ extents: [Int]) -> [Dim] { extents.map(Dim.known) }

    func weight(_ shape: [Int]) -> TensorData { TensorData(floats: [Float](repeating: 0, count: shape.reduce(1, *)), shape: shape) }

    func int64s(_ values: [Int64]) -> TensorData { TensorData(int64s: values, shape: [values.count]) }

    @Test("Conv with groups, strides, dilations and pads")
    func conv() throws {
        let shape = try inferOutput(
            "Conv", x: [2, 8, 17, 20], extraInputs: ["w"],
            attributes: ["group": .int(4), "strides": .ints([2, 3]), "dilations": .ints([2, 1]), "pads": .ints([1, 0, 2, 1])],
            initializers: ["w": weight([16, 2, 3, 3])])
        // Height: (17 + 3 − 5) / 2 + 1 = 8; width: (20 + 1 − 3) / 3 + 1 = 7.
        #expect(shape == known([2, 16, 8, 7]))
    }

    @Test("Conv auto_pad modes", arguments: [("SAME_UPPER", 4), ("SAME_LOWER", 4), ("VALID", 3), ("NOTSET", 3)])
    func convAutoPad(mode: String, expected: Int) throws {
        let shape = try inferOutput(
            "Conv", x: [1, 1, 7, 7], extraInputs: ["w"],
            attributes: ["strides": .ints([2, 2]), "auto_pad": .string(mode)], initializers: ["w": weight([1, 1, 3, 3])])
        #expect(shape == known([1, 1, expected, expected]))
    }

    @Test("SAME_LOWER puts the odd padding first")
    func sameLowerPads() throws {
        let node = Node(name: "conv", opType: "Conv", inputs: [], outputs: [], attributes: ["strides": .ints([2]), "auto_pad": .string("SAME_LOWER")])
        let geometry = try WindowGeometry(node: node, spatialRank: 1, kernel: [3])
        // Eight inputs with stride 2 give 4 outputs; (4 − 1)·2 + 3 − 8 = 1 padding element.
        #expect(geometry.resolvedPads(spatial: [8]) == [1, 0])
    }

    @Test("MaxPool with ceil_mode")
    func maxPoolCeil() throws {
        let attributes: [String: Attribute] = ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "ceil_mode": .int(1)]
        #expect(try inferOutput("MaxPool", x: [1, 4, 112, 112], attributes: attributes) == known([1, 4, 56, 56]))
        #expect(try inferOutput("MaxPool", x: [1, 4, 8, 8], attributes: attributes) == known([1, 4, 4, 4]))
    }

    @Test("ReduceMean axes from attribute and from input")
    func reduceMean() throws {
        #expect(try inferOutput("ReduceMean", x: [2, 3, 4, 5], attributes: ["axes": .ints([2, 3])], opset: 13) == known([2, 3, 1, 1]))
        #expect(try inferOutput("ReduceMean", x: [2, 3, 4, 5], extraInputs: ["axes"], attributes: ["keepdims": .int(0)],
                                initializers: ["axes": int64s([-1, -2])], opset: 18) == known([2, 3]))
        #expect(try inferOutput("ReduceMean", x: [2, 3], attributes: ["keepdims": .int(0)], opset: 18) == [])
    }

    @Test("Reshape with 0, -1 and allowzero")
    func reshape() throws {
        #expect(try inferOutput("Reshape", x: [2, 3, 4], extraInputs: ["s"], initializers: ["s": int64s([0, -1])]) == known([2, 12]))
        #expect(try inferOutput("Reshape", x: [2, 0, 4], extraInputs: ["s"], attributes: ["allowzero": .int(1)],
                                initializers: ["s": int64s([0, 8])]) == known([0, 8]))
        #expect(throws: GraphError.self) {
            try inferOutput("Reshape", x: [2, 3], extraInputs: ["s"], initializers: ["s": int64s([4, 2])])
        }
    }

    @Test("Squeeze and Unsqueeze axes by opset")
    func squeezeUnsqueeze() throws {
        #expect(try inferOutput("Squeeze", x: [1, 3, 1, 2], attributes: ["axes": .ints([0])], opset: 11) == known([3, 1, 2]))
        #expect(try inferOutput("Squeeze", x: [1, 3, 1, 2], extraInputs: ["a"], initializers: ["a": int64s([-2])]) == known([1, 3, 2]))
        #expect(try inferOutput("Squeeze", x: [1, 3, 1, 2]) == known([3, 2]))
        #expect(try inferOutput("Unsqueeze", x: [3, 2], attributes: ["axes": .ints([0, 3])], opset: 11) == known([1, 3, 2, 1]))
        #expect(try inferOutput("Unsqueeze", x: [3, 2], extraInputs: ["a"], initializers: ["a": int64s([-1])]) == known([3, 2, 1]))
    }

    @Test("Gemm and MatMul")
    func linear() throws {
        #expect(try inferOutput("Gemm", x: [4, 512], extraInputs: ["w"], attributes: ["transB": .int(1)],
                                initializers: ["w": weight([10, 512])]) == known([4, 10]))
        #expect(try inferOutput("MatMul", x: [2, 1, 4, 5], extraInputs: ["w"], initializers: ["w": weight([3, 5, 6])]) == known([2, 3, 4, 6]))
        #expect(try inferOutput("MatMul", x: [5], extraInputs: ["w"], initializers: ["w": weight([5, 6])]) == known([6]))
    }

    @Test("Pad from attribute and from input")
    func pad() throws {
        #expect(try inferOutput("Pad", x: [1, 2, 3, 3], attributes: ["pads": .ints([0, 0, 1, 2, 0, 0, 3, 4])], opset: 10) == known([1, 2, 7, 9]))
        #expect(try inferOutput("Pad", x: [1, 2, 3, 3], extraInputs: ["p"], attributes: ["mode": .string("reflect")],
                                initializers: ["p": int64s([0, 0, 1, 1, 0, 0, 1, 1])]) == known([1, 2, 5, 5]))
    }

    @Test("Broadcasting and its mismatch")
    func broadcasting() throws {
        #expect(try inferOutput("Add", x: [2, 1, 4], extraInputs: ["b"], initializers: ["b": weight([3, 1])]) == known([2, 3, 4]))
        let error = #expect(throws: GraphError.self) {
            try inferOutput("Mul", x: [2, 3], extraInputs: ["b"], initializers: ["b": weight([4])])
        }
        #expect(error?.description.contains("'node' (Mul)") == true)
    }

    @Test("Slice, Gather, Transpose, Concat, Flatten")
    func layout() throws {
        #expect(try inferOutput("Slice", x: [10, 8], extraInputs: ["s", "e", "a", "t"],
                                initializers: ["s": int64s([-1]), "e": int64s([Int64.min]), "a": int64s([0]), "t": int64s([-3])]) == known([4, 8]))
        #expect(try inferOutput("Gather", x: [5, 6, 7], extraInputs: ["i"], attributes: ["axis": .int(1)],
                                initializers: ["i": TensorData(int64s: [0, 1, 2, 3], shape: [2, 2])]) == known([5, 2, 2, 7]))
        #expect(try inferOutput("Transpose", x: [2, 3, 4], attributes: ["perm": .ints([2, 0, 1])]) == known([4, 2, 3]))
        #expect(try inferOutput("Concat", x: [2, 3], extraInputs: ["b"], attributes: ["axis": .int(-1)],
                                initializers: ["b": weight([2, 5])]) == known([2, 8]))
        #expect(try inferOutput("Flatten", x: [2, 3, 4, 5], attributes: ["axis": .int(2)]) == known([6, 20]))
    }
}

/// Constant subgraphs evaluated by `foldConstants`.
@Suite("Constant evaluation")
struct ConstantEvaluationTests {
    /// Folds a graph whose output `y` is computed from constants only and returns `y`'s tensor.
    func fold(_ nodes: [Node], initializers: [String: TensorData] = [:]) throws -> TensorData? {
        let graph = Graph(nodes: nodes + [Node(name: "keep", opType: "Identity", inputs: ["v"], outputs: ["y"])],
                          initializers: initializers, outputs: [ValueInfo(name: "y", elementType: .undefined, shape: nil)])
        let folded = try foldConstants(Model(graph: graph))
        #expect(folded.graph.nodes.map(\.name) == ["keep"])
        return folded.graph.initializers["v"]
    }

    func int64s(_ values: [Int64]) -> TensorData { TensorData(int64s: values, shape: [values.count]) }

    @Test("EfficientNet pads arithmetic")
    func padsChain() throws {
        // The exported "same" padding: [0, 1, 0, 1] reversed pairwise into ONNX begin/end order.
        let nodes = [
            Node(name: "zeros", opType: "ConstantOfShape", inputs: ["four"], outputs: ["z"],
                 attributes: ["value": .tensor(TensorData(int64s: [0], shape: [1]))]),
            Node(name: "concat", opType: "Concat", inputs: ["given", "z"], outputs: ["c"], attributes: ["axis": .int(0)]),
            Node(name: "pairs", opType: "Reshape", inputs: ["c", "pair_shape"], outputs: ["p"]),
            Node(name: "reverse", opType: "Slice", inputs: ["p", "start", "end", "axis", "step"], outputs: ["r"]),
            Node(name: "transpose", opType: "Transpose", inputs: ["r"], outputs: ["t"], attributes: ["perm": .ints([1, 0])]),
            Node(name: "flat", opType: "Reshape", inputs: ["t", "flat_shape"], outputs: ["f"]),
            Node(name: "cast", opType: "Cast", inputs: ["f"], outputs: ["v"], attributes: ["to": .int(7)]),
        ]
        let initializers = [
            "four": int64s([4]), "given": int64s([0, 1, 0, 1]), "pair_shape": int64s([-1, 2]),
            "start": int64s([-1]), "end": int64s([Int64.min]), "axis": int64s([0]), "step": int64s([-1]),
            "flat_shape": int64s([-1]),
        ]
        let result = try #require(try fold(nodes, initializers: initializers))
        #expect(result.integers() == [0, 0, 0, 0, 0, 0, 1, 1])
    }

    @Test("float arithmetic keeps float32")
    func floatArithmetic() throws {
        let nodes = [
            Node(name: "add", opType: "Add", inputs: ["a", "b"], outputs: ["s"]),
            Node(name: "div", opType: "Div", inputs: ["s", "b"], outputs: ["v"]),
        ]
        let result = try #require(try fold(nodes, initializers: [
            "a": TensorData(floats: [1, 2, 3, 4], shape: [2, 2]), "b": TensorData(floats: [2, 4], shape: [2]),
        ]))
        #expect(result.elementType == .float)
        #expect(result.floats() == [1.5, 1.5, 2.5, 2])
    }

    @Test("Gather, Unsqueeze, Squeeze and Pad")
    func indexing() throws {
        let nodes = [
            Node(name: "gather", opType: "Gather", inputs: ["data", "index"], outputs: ["g"], attributes: ["axis": .int(1)]),
            Node(name: "unsqueeze", opType: "Unsqueeze", inputs: ["g", "axes"], outputs: ["u"]),
            Node(name: "squeeze", opType: "Squeeze", inputs: ["u", "axes"], outputs: ["q"]),
            Node(name: "pad", opType: "Pad", inputs: ["q", "pads", "fill"], outputs: ["v"]),
        ]
        let result = try #require(try fold(nodes, initializers: [
            "data": TensorData(int64s: [1, 2, 3, 4, 5, 6], shape: [2, 3]), "index": TensorData(int64s: [-1], shape: []),
            "axes": int64s([0]), "pads": int64s([1, 2]), "fill": TensorData(int64s: [9], shape: []),
        ]))
        #expect(result.shape == [5])
        #expect(result.integers() == [9, 3, 6, 9, 9])
    }

    @Test("Constant node becomes an initializer")
    func constantNode() throws {
        let nodes = [Node(name: "c", opType: "Constant", inputs: [], outputs: ["v"], attributes: ["value_ints": .ints([3, 4])])]
        #expect(try fold(nodes)?.integers() == [3, 4])
    }

    @Test("inconsistent Concat names the node")
    func badConcat() throws {
        let graph = Graph(
            nodes: [Node(name: "join", opType: "Concat", inputs: ["a", "b"], outputs: ["y"], attributes: ["axis": .int(0)])],
            initializers: ["a": TensorData(int64s: [1, 2], shape: [1, 2]), "b": TensorData(int64s: [1, 2, 3], shape: [1, 3])],
            outputs: [ValueInfo(name: "z", elementType: .undefined, shape: nil)])
        let error = #expect(throws: GraphError.self) { try foldConstants(Model(graph: graph)) }
        #expect(error?.description.contains("'join' (Concat)") == true)
    }
}
