extension Graph {
    /// Removes initializers that no node and no graph output reads.
    public mutating func removeUnusedInitializers() {
        var read = outputNames
        for node in nodes { read.formUnion(node.inputs) }
        initializers = initializers.filter { read.contains($0.key) }
    }

    /// Removes nodes none of whose outputs reach a graph output, then unused
    /// initializers and `valueInfo` entries of values that no longer exist.
    public mutating func removeDeadNodes() {
        var live = outputNames
        var keep = [Bool](repeating: false, count: nodes.count)
        // Walking backwards over a topologically ordered list marks every producer after its consumers.
        for index in nodes.indices.reversed() where nodes[index].outputs.contains(where: live.contains) {
            keep[index] = true
            live.formUnion(nodes[index].inputs)
        }
        nodes = nodes.indices.filter { keep[$0] }.map { nodes[$0] }
        removeUnusedInitializers()

        var existing = Set(initializers.keys)
        for node in nodes { existing.formUnion(node.outputs) }
        valueInfo = valueInfo.filter { existing.contains($0.key) }
    }
}

/// Removes dead nodes, unused initializers and stale `valueInfo` entries.
/// Idempotent. Throws `GraphError.cycle` for cyclic graphs.
public func eliminateDeadCode(_ model: Model) throws -> Model {
    var result = model
    try result.graph.sortTopologically()
    result.graph.removeDeadNodes()
    return result
}
