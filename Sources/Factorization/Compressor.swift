import Foundation
import Graph

/// Progress of `compress`: the layer being factorized, its position and the total.
public typealias CompressionProgress = (_ layer: String, _ index: Int, _ total: Int) -> Void

/// Factorizes the selected Conv, Gemm and MatMul layers of `model` and checks each on
/// the built-in engine: output error on a seeded random input, MACs, and with
/// `keepIfFaster` the latency of both forms.
///
/// The model should already be optimized (BatchNorm folded into convolutions), so
/// that each convolution's weight is the one that runs. Layers the method cannot
/// factorize are reported in `skipped` with the reason. The opset is kept, because
/// every replacement uses ops that opset 13 already has.
///
/// - Returns: the compressed model (with `metadata_props` describing the rewrite)
///   and the per-layer report.
/// - Throws: `FactorizationError` for an invalid policy or an empty selection,
///   `DecompositionError` when a decomposition fails, `GraphError` when shapes
///   cannot be inferred.
public func compressModel(
    _ model: Model, options: CompressionOptions, measurement: MeasurementOptions = MeasurementOptions(),
    progress: CompressionProgress? = nil
) throws -> (model: Model, report: CompressionReport) {
    var plan = try planRewrites(model, options: options, progress: progress)
    let shapes = try inferShapes(Model(graph: plan.graph, opsets: model.opsets), inputShapes: measurement.inputShapes)

    for (index, rewrite) in plan.rewrites.sorted(by: { $0.key < $1.key }) {
        let position = plan.reports.firstIndex { $0.layer == rewrite.builder.layerName }!
        let node = plan.graph.nodes[index]
        guard let pair = layerPair(node: node, rewrite: rewrite, graph: plan.graph, shapes: shapes, opsets: model.opsets)
        else { continue }
        plan.reports[position].macsBefore = try layerStatistics(pair.original).totalMACs
        plan.reports[position].macsAfter = try layerStatistics(pair.factorized).totalMACs
        let result = try measure(pair, options: measurement, timingRuns: measurement.keepIfFaster ? measurement.timingRuns : 0)
        plan.reports[position].relativeOutputError = result.error
        plan.reports[position].originalMilliseconds = result.original
        plan.reports[position].factorizedMilliseconds = result.factorized
        if measurement.keepIfFaster, let original = result.original, let factorized = result.factorized,
            factorized >= original
        {
            plan.rewrites.removeValue(forKey: index)
            plan.reports[position].factorized = false
            plan.reports[position].notes.append(
                String(format: "kept the original: %.3f ms factorized vs %.3f ms original", factorized, original))
        }
    }

    let graph = applying(plan.rewrites, to: plan.graph)
    var result = model
    result.graph = graph
    let kept = plan.reports.filter(\.factorized)
    result.metadata.append(contentsOf: compressionMetadata(options: options, reports: kept))

    var report = CompressionReport(
        method: options.method, rankPolicy: options.rankPolicy.description, layers: plan.reports,
        skipped: plan.skipped.map { SkippedLayer(layer: $0.layer, reason: $0.reason) },
        parametersBefore: parameterCount(model.graph), parametersAfter: parameterCount(graph))
    report.macsBefore = try? layerStatistics(model, inputShapes: measurement.inputShapes).totalMACs
    report.macsAfter = try? layerStatistics(result, inputShapes: measurement.inputShapes).totalMACs
    return (result, report)
}

/// Rewrites chosen for a model, before they are checked and applied.
struct RewritePlan {
    var graph: Graph
    var rewrites: [Int: LayerRewrite]
    var reports: [LayerReport]
    var skipped: [(layer: String, reason: String)]
}

/// Selects layers and decomposes each; nothing is applied yet.
func planRewrites(_ model: Model, options: CompressionOptions, progress: CompressionProgress?) throws -> RewritePlan {
    try options.rankPolicy.validate()
    if let multiple = options.rankMultiple, multiple < 1 {
        throw FactorizationError.invalidRankPolicy("invalid rank multiple \(multiple): it must be a positive integer")
    }
    let graph = try model.graph.sortedTopologically()
    let candidates = findLayerCandidates(in: graph)
    var (selected, skipped) = try options.selection.apply(to: candidates, method: options.method)
    if case .perLayer(let ranks, _) = options.rankPolicy {
        let names = Set(candidates.map(\.name))
        if let unknown = ranks.keys.sorted().first(where: { !names.contains($0) }) {
            throw FactorizationError.invalidRankPolicy(
                "the ranks file names layer '\(unknown)', which is not a Conv, Gemm or MatMul with a constant weight in this model")
        }
    }
    try validateMatrixShapes(options, candidates: candidates, selected: selected)

    var plan = RewritePlan(graph: graph, rewrites: [:], reports: [], skipped: [])
    for (position, candidate) in selected.enumerated() {
        progress?(candidate.name, position, selected.count)
        if let reason = matrixInputReason(candidate, graph: graph, method: options.method) {
            skipped.append((candidate.name, reason))
            continue
        }
        let rewrite = try rewriteLayer(candidate, in: graph, options: options)
        if let reason = noSavingReason(candidate, rewrite: rewrite, policy: options.rankPolicy) {
            skipped.append((candidate.name, reason))
            continue
        }
        plan.rewrites[candidate.nodeIndex] = rewrite
        plan.reports.append(
            LayerReport(
                layer: candidate.name, kind: candidate.kind, weightShape: candidate.weightShape, ranks: rewrite.ranks,
                notes: rewrite.adjustments, parametersBefore: candidate.parameters, parametersAfter: rewrite.parameters,
                relativeWeightError: rewrite.relativeWeightError, factorized: true, matrixFactors: rewrite.matrixFactors))
    }
    selected.removeAll()
    plan.skipped = skipped
    return plan
}

/// Explains why a layer stays unchanged when its ranks came from the weights (energy or VBMF)
/// and the factorized form would not have fewer parameters than the layer. Fixed ranks, ratios
/// and per-layer ranks are the user's explicit choice, so they are applied as given.
func noSavingReason(_ candidate: LayerCandidate, rewrite: LayerRewrite, policy: RankPolicy) -> String? {
    switch policy {
    case .energy, .vbmf: break
    default: return nil
    }
    guard rewrite.parameters >= candidate.parameters else { return nil }
    return "ranks \(rewrite.ranks) from \(policy.description) need \(rewrite.parameters) parameters, "
        + "not fewer than the layer's \(candidate.parameters); kept unchanged (lower the energy or give --rank)"
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
