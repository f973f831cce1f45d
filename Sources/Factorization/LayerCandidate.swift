import Graph

/// A Conv, Gemm or MatMul node with a constant weight, as seen by layer selection.
public struct LayerCandidate: Sendable {
    public enum Kind: String, Sendable, Codable {
        case convolution, gemm, matMul
    }

    /// Node name (unique in the graph; unnamed nodes get `<op>_<index>`).
    public let name: String
    public let kind: Kind
    /// Index of the node in the graph's node list.
    public let nodeIndex: Int
    /// Weight shape: OIHW for convolutions, [O, I] for matrices (transB resolved).
    public let weightShape: [Int]
    /// Elements of the weight and bias.
    public let parameters: Int
    /// True for the first convolution in topological order.
    public let isFirstConvolution: Bool
    /// True for the last weighted layer in topological order (the classifier).
    public let isClassifier: Bool
    /// Reason the layer cannot be factorized at all, or nil when it can.
    public let ineligibleReason: String?
    /// Group count of a convolution (1 for matrices).
    public let groups: Int

    /// True for a grouped convolution with more than one input channel per group, which
    /// `LayerSelection.perGroup` factorizes group by group.
    public var isGroupedFactorizable: Bool { kind == .convolution && groups > 1 && weightShape[1] > 1 }

    /// True for a convolution with a 1×1 kernel, which factorizes as a matrix.
    public var isPointwise: Bool { kind == .convolution && weightShape[2] == 1 && weightShape[3] == 1 }

    /// Weight as a matrix [O, I·kh·kw] (or [O, I]) for matrix methods.
    var matrixShape: (rows: Int, columns: Int) { (weightShape[0], weightShape.dropFirst().reduce(1, *)) }
}

/// Finds every Conv, Gemm and MatMul node with a constant weight, in node order.
/// The graph must be topologically sorted.
public func findLayerCandidates(in graph: Graph) -> [LayerCandidate] {
    var found: [(index: Int, kind: LayerCandidate.Kind, shape: [Int], parameters: Int, reason: String?)] = []
    var groups: [Int: Int] = [:]
    for (index, node) in graph.nodes.enumerated() {
        switch node.opType {
        case "Conv":
            guard let weight = node.input(1).flatMap({ graph.initializers[$0] }) else { continue }
            let bias = node.input(2).flatMap { graph.initializers[$0] }
            groups[index] = node.int("group", default: 1)
            found.append((index, .convolution, weight.shape, weight.count + (bias?.count ?? 0), convolutionReason(node, weight)))
        case "Gemm":
            guard let weight = node.input(1).flatMap({ graph.initializers[$0] }), weight.shape.count == 2 else { continue }
            let bias = node.input(2).flatMap { graph.initializers[$0] }
            let transposed = node.int("transB", default: 0) != 0
            let shape = transposed ? weight.shape : [weight.shape[1], weight.shape[0]]
            found.append((index, .gemm, shape, weight.count + (bias?.count ?? 0), gemmReason(node, graph, weight)))
        case "MatMul":
            guard let weight = node.input(1).flatMap({ graph.initializers[$0] }), weight.shape.count == 2 else { continue }
            let reason = weight.elementType == .float ? nil : "weight element type is \(weight.elementType), not float"
            found.append((index, .matMul, [weight.shape[1], weight.shape[0]], weight.count, reason))
        default:
            continue
        }
    }

    let firstConvolution = found.first { $0.kind == .convolution }?.index
    let classifier = found.last?.index
    return found.map { entry in
        let node = graph.nodes[entry.index]
        return LayerCandidate(
            name: node.name.isEmpty ? "\(node.opType)_\(entry.index)" : node.name, kind: entry.kind,
            nodeIndex: entry.index, weightShape: entry.shape, parameters: entry.parameters,
            isFirstConvolution: entry.index == firstConvolution, isClassifier: entry.index == classifier,
            ineligibleReason: entry.reason, groups: groups[entry.index] ?? 1)
    }
}

private func convolutionReason(_ node: Node, _ weight: TensorData) -> String? {
    if weight.elementType != .float { return "weight element type is \(weight.elementType), not float" }
    if weight.shape.count != 4 { return "only 2-D convolutions are supported (weight shape \(weight.shape))" }
    let group = node.int("group", default: 1)
    if group != 1 {
        return weight.shape[1] == 1
            ? "depthwise convolution (group \(group)) has no channel redundancy to factorize"
            : "grouped convolution (group \(group)) is left unchanged (--per-group factorizes each group)"
    }
    return nil
}

private func gemmReason(_ node: Node, _ graph: Graph, _ weight: TensorData) -> String? {
    if weight.elementType != .float { return "weight element type is \(weight.elementType), not float" }
    if node.int("transA", default: 0) != 0 { return "Gemm with transA = 1 is not supported" }
    if let bias = node.input(2), graph.initializers[bias] == nil {
        return "Gemm bias '\(bias)' is not a constant"
    }
    return nil
}
