import Foundation
import Graph

/// Progress of `compress`: the layer being factorized, its position and the total.
public typealias CompressionProgress = (_ layer: String, _ index: Int, _ total: Int) -> Void

/// Replaces the selected Conv, Gemm and MatMul layers of `model` by factorized chains.
///
/// The model should already be optimized (BatchNorm folded into convolutions), so
/// that each convolution's weight is the one that runs. Layers the method cannot
/// factorize are reported in `skipped` with the reason; the opset is kept, because
/// every replacement uses ops available since opset 13 or earlier.
///
/// - Returns: the compressed model (with `metadata_props` describing the rewrite)
///   and the per-layer report, without MACs or output errors (see `measureLayers`).
/// - Throws: `FactorizationError` for an invalid policy or an empty selection,
///   `DecompositionError` when a decomposition fails.
public func factorizeLayers(
    of model: Model, options: CompressionOptions, progress: CompressionProgress? = nil
) throws -> (model: Model, report: CompressionReport) {
    try options.rankPolicy.validate()
    if let multiple = options.rankMultiple, multiple < 1 {
        throw FactorizationError.invalidRankPolicy("invalid rank multiple \(multiple): it must be a positive integer")
    }
    var graph = try model.graph.sortedTopologically()
    let candidates = findLayerCandidates(in: graph)
    var (selected, skipped) = try options.selection.apply(to: candidates, method: options.method)
    if selected.isEmpty && skipped.isEmpty {
        throw FactorizationError.emptySelection(filters: "(default)", eligible: [])
    }

    var rewrites: [Int: LayerRewrite] = [:]
    var reports: [LayerReport] = []
    for (position, candidate) in selected.enumerated() {
        progress?(candidate.name, position, selected.count)
        if let reason = matrixInputReason(candidate, graph: graph, method: options.method) {
            skipped.append((candidate.name, reason))
            continue
        }
        let rewrite = try rewriteLayer(candidate, in: graph, options: options)
        rewrites[candidate.nodeIndex] = rewrite
        reports.append(
            LayerReport(
                layer: candidate.name, kind: candidate.kind, weightShape: candidate.weightShape, ranks: rewrite.ranks,
                notes: rewrite.adjustments, parametersBefore: candidate.parameters, parametersAfter: rewrite.parameters,
                relativeWeightError: rewrite.relativeWeightError, factorized: true))
    }
    selected.removeAll()

    graph = applying(rewrites, to: graph)
    var result = model
    result.graph = graph
    result.metadata.append(contentsOf: compressionMetadata(options: options, reports: reports))

    let before = parameterCount(model.graph)
    let after = parameterCount(graph)
    let report = CompressionReport(
        method: options.method, rankPolicy: options.rankPolicy.description, layers: reports,
        skipped: skipped.map { SkippedLayer(layer: $0.layer, reason: $0.reason) },
        parametersBefore: before, parametersAfter: after)
    return (result, report)
}

/// Replaces each rewritten node by its chain, in place, and drops initializers no node reads any more.
func applying(_ rewrites: [Int: LayerRewrite], to graph: Graph) -> Graph {
    var result = graph
    var nodes: [Node] = []
    for (index, node) in graph.nodes.enumerated() {
        guard let rewrite = rewrites[index] else {
            nodes.append(node)
            continue
        }
        nodes.append(contentsOf: rewrite.builder.nodes)
        for (name, tensor) in rewrite.builder.initializers { result.initializers[name] = tensor }
    }
    result.nodes = nodes

    var used = Set(result.outputs.map(\.name))
    for node in nodes { used.formUnion(node.inputs) }
    for name in result.initializers.keys where !used.contains(name) {
        result.initializers.removeValue(forKey: name)
    }
    return result
}

/// Elements of every float initializer: the model's weight parameters.
func parameterCount(_ graph: Graph) -> Int {
    graph.initializers.values.filter { $0.elementType == .float }.reduce(0) { $0 + $1.count }
}

/// TT- and TR-matrix chains flatten their input to [B, I], so a MatMul qualifies
/// only when its input is known to be 2-D.
private func matrixInputReason(_ candidate: LayerCandidate, graph: Graph, method: FactorizationMethod) -> String? {
    guard candidate.kind == .matMul, method == .tt || method == .tr else { return nil }
    let input = graph.nodes[candidate.nodeIndex].inputs[0]
    let shape = graph.inputs.first { $0.name == input }?.shape ?? graph.valueInfo[input]?.shape
    if let shape, shape.count == 2 { return nil }
    return "\(method.rawValue) on MatMul needs a 2-D input; the input rank of '\(input)' is not known to be 2"
}

/// `metadata_props` entries that record the rewrite: method, rank policy, ranks per layer, tool.
func compressionMetadata(options: CompressionOptions, reports: [LayerReport]) -> [(key: String, value: String)] {
    var ranks: [String: [Int]] = [:]
    for report in reports { ranks[report.layer] = report.ranks }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let ranksJSON = (try? encoder.encode(ranks)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    return [
        ("factorize.method", options.method.rawValue),
        ("factorize.rank_policy", options.rankPolicy.description),
        ("factorize.ranks", ranksJSON),
    ]
}
