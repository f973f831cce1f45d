/// Removes Identity nodes and inference-mode Dropout nodes, rewiring their
/// consumers to the node's input.
///
/// When the removed node's output is a graph output, the producer of its input
/// is renamed to produce the graph output instead, so output names stay as the
/// model declares them. A node is kept when that is impossible: its input is a
/// graph input, an initializer or another graph output. Dropout is removed only
/// when its mask output is unused and its `training_mode` input is absent or a
/// constant false.
///
/// Idempotent. Throws `GraphError.cycle` for cyclic graphs.
public func removeIdentities(_ model: Model) throws -> Model {
    var graph = try model.graph.sortedTopologically()
    var index = 0
    while index < graph.nodes.count {
        let node = graph.nodes[index]
        if isRemovablePassThrough(node, in: graph), graph.bypass(nodeAt: index) {
            continue
        }
        index += 1
    }
    var result = model
    result.graph = graph
    return result
}

private func isRemovablePassThrough(_ node: Node, in graph: Graph) -> Bool {
    guard node.domain.isEmpty || node.domain == "ai.onnx", node.input(0) != nil, !node.outputs.isEmpty else { return false }
    switch node.opType {
    case "Identity":
        return true
    case "Dropout":
        if node.outputs.count > 1 && !node.outputs[1].isEmpty {
            let mask = node.outputs[1]
            if graph.outputNames.contains(mask) || graph.nodes.contains(where: { $0.inputs.contains(mask) }) { return false }
        }
        guard let training = node.input(2) else { return true }
        return graph.initializers[training]?.integers() == [0]
    default:
        return false
    }
}

extension Graph {
    /// Removes the single-input pass-through node at `index`; returns false and
    /// changes nothing when its output cannot be renamed away.
    mutating func bypass(nodeAt index: Int) -> Bool {
        let source = nodes[index].inputs[0]
        let target = nodes[index].outputs[0]
        let outputs = outputNames

        guard outputs.contains(target) else {
            nodes.remove(at: index)
            renameReads(of: target, to: source)
            valueInfo[target] = nil
            return true
        }

        // The output must keep its name, so the producer of `source` takes it over.
        guard !outputs.contains(source), initializers[source] == nil,
              let producer = nodes.firstIndex(where: { $0.outputs.contains(source) }) else { return false }
        nodes.remove(at: index)
        let producerIndex = producer > index ? producer - 1 : producer
        nodes[producerIndex].outputs = nodes[producerIndex].outputs.map { $0 == source ? target : $0 }
        renameReads(of: source, to: target)
        valueInfo[source] = nil
        return true
    }

    /// Points every node input named `old` at `new`.
    mutating func renameReads(of old: String, to new: String) {
        for index in nodes.indices where nodes[index].inputs.contains(old) {
            nodes[index].inputs = nodes[index].inputs.map { $0 == old ? new : $0 }
        }
    }
}
