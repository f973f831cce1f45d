/// Size and cost of one node, as `factorize inspect` lists them.
public struct LayerStatistics: Codable, Equatable, Sendable {
    public var name: String
    public var opType: String
    /// Shape of the node's first output.
    public var outputShape: [Dim]?
    /// Learnable parameters: elements of the constant weight inputs (see `parameterInputIndices`).
    public var parameters: Int
    /// Multiply-accumulate operations for Conv, Gemm and MatMul; nil for other operators.
    public var macs: Int?
}

/// Name, element type and shape of a graph input or output.
public struct ValueSummary: Codable, Equatable, Sendable {
    public var name: String
    public var elementType: String
    public var shape: [Dim]?
}

/// Per-node and total size and cost of a model.
public struct ModelStatistics: Codable, Equatable, Sendable {
    public var layers: [LayerStatistics]
    /// Learnable parameters, each initializer counted once even when several nodes read it.
    /// BatchNormalization running mean and variance are buffers, not parameters, and are excluded.
    public var totalParameters: Int
    /// Sum of the layers' multiply-accumulate operations.
    public var totalMACs: Int
    /// Bytes of all initializers, the weight storage of the model file.
    public var initializerBytes: Int
    /// Default-domain operator set version.
    public var opset: Int
    public var inputs: [ValueSummary]
    public var outputs: [ValueSummary]
    /// Number of nodes of each operator type.
    public var operatorCounts: [String: Int]
}

/// Computes per-node output shapes, parameters and MACs for the given input shapes.
///
/// A node's parameters are the elements of the initializers it reads in weight
/// positions: inputs 1 and 2 of Conv and Gemm, constant inputs of MatMul, scale
/// and bias of BatchNormalization, and constant operands with more than one
/// element of Add, Sub, Mul, Div and PRelu. MACs count one multiply-add per
/// kernel tap: N·C_out·∏(output spatial)·(C_in/group)·∏(kernel) for Conv,
/// M·N·K for Gemm, and the broadcast batch extent times M·N·K for MatMul.
///
/// Throws what `inferShapes` throws, and `GraphError.unknownInputShape` when a
/// Conv, Gemm or MatMul shape needed for MACs is not concrete.
public func layerStatistics(_ model: Model, inputShapes: [String: [Int]] = [:]) throws -> ModelStatistics {
    let values = try inferShapes(model, inputShapes: inputShapes)
    let graph = try model.graph.sortedTopologically()

    var layers: [LayerStatistics] = []
    var counted: Set<String> = []
    var totalParameters = 0
    var totalMACs = 0
    var operatorCounts: [String: Int] = [:]
    for node in graph.nodes {
        operatorCounts[node.opType, default: 0] += 1
        let weightNames = parameterInputIndices(of: node, graph: graph).map { node.inputs[$0] }
        let parameters = weightNames.reduce(0) { $0 + (graph.initializers[$1]?.count ?? 0) }
        for name in weightNames where counted.insert(name).inserted {
            totalParameters += graph.initializers[name]?.count ?? 0
        }
        let macs = try multiplyAccumulates(of: node, values: values)
        totalMACs += macs ?? 0
        let outputShape = node.outputs.first.flatMap { values[$0]?.shape }
        layers.append(LayerStatistics(name: node.name, opType: node.opType, outputShape: outputShape, parameters: parameters, macs: macs))
    }

    func summary(_ info: ValueInfo) -> ValueSummary {
        let resolved = values[info.name] ?? info
        return ValueSummary(name: info.name, elementType: resolved.elementType.description, shape: resolved.shape)
    }
    return ModelStatistics(
        layers: layers, totalParameters: totalParameters, totalMACs: totalMACs,
        initializerBytes: graph.initializers.values.reduce(0) { $0 + $1.bytes.count },
        opset: model.opsetVersion,
        inputs: graph.inputs.map(summary), outputs: graph.outputs.map(summary),
        operatorCounts: operatorCounts)
}

/// Input positions of `node` that hold learnable weights when they are initializers.
func parameterInputIndices(of node: Node, graph: Graph) -> [Int] {
    let candidates: [Int]
    switch node.opType {
    case "Conv", "Gemm", "BatchNormalization": candidates = [1, 2]
    case "MatMul": candidates = [0, 1]
    case "Add", "Sub", "Mul", "Div", "PRelu":
        candidates = [0, 1].filter { index in
            guard let name = node.input(index), let tensor = graph.initializers[name] else { return false }
            return tensor.count > 1 && (tensor.elementType == .float || tensor.elementType == .double || tensor.elementType == .float16)
        }
    default: candidates = []
    }
    return candidates.filter { index in node.input(index).map { graph.initializers[$0] != nil } ?? false }
}

/// Multiply-accumulate count of a Conv, Gemm or MatMul node; nil for other operators.
func multiplyAccumulates(of node: Node, values: [String: ValueInfo]) throws -> Int? {
    guard ["Conv", "Gemm", "MatMul"].contains(node.opType) else { return nil }
    func extents(_ name: String?) throws -> [Int] {
        guard let name else { throw GraphError.wrongInputCount(node: node.name, opType: node.opType, count: node.inputs.count, expected: 2...3) }
        guard let shape = values[name]?.shape?.knownExtents else { throw GraphError.unknownInputShape(input: name) }
        return shape
    }
    let output = try extents(node.outputs.first)
    switch node.opType {
    case "Conv":
        let weight = try extents(node.input(1))
        // Each output element takes C_in/group · ∏kernel multiply-adds.
        return output.reduce(1, *) * weight.dropFirst().reduce(1, *)
    case "Gemm":
        let a = try extents(node.input(0))
        let inner = node.int("transA", default: 0) != 0 ? a[0] : a[1]
        return output.reduce(1, *) * inner
    default:
        let a = try extents(node.input(0))
        return output.reduce(1, *) * (a.last ?? 1)
    }
}
