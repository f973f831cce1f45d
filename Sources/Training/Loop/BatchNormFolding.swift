import Graph

/// Folds each inference-mode BatchNormalization that directly follows a Conv (whose output
/// feeds nothing else) into that Conv's weights and bias:
/// W′[o] = W[o] · γ[o] / sqrt(σ²[o] + ε), B′[o] = (B[o] − μ[o]) · γ[o] / sqrt(σ²[o] + ε) + β[o].
///
/// NOTE: a stand-in until the Graph module ships its own folding pass. It handles only the
/// Conv → BatchNormalization pattern and leaves every other BatchNormalization in place.
func foldBatchNormalization(_ model: Model) -> Model {
    var graph = model.graph
    var consumers: [String: Int] = [:]
    for node in graph.nodes {
        for input in node.inputs { consumers[input, default: 0] += 1 }
    }
    for output in graph.outputs { consumers[output.name, default: 0] += 1 }
    var producer: [String: Int] = [:]
    for (index, node) in graph.nodes.enumerated() {
        for output in node.outputs { producer[output] = index }
    }

    var removed = Set<Int>()
    for (index, node) in graph.nodes.enumerated() where node.opType == "BatchNormalization" && node.inputs.count == 5 {
        guard let convIndex = producer[node.inputs[0]], graph.nodes[convIndex].opType == "Conv",
            consumers[node.inputs[0]] == 1,
            let parameters = try? node.inputs[1...4].map({ name -> [Float] in
                guard let data = graph.initializers[name], data.elementType == .float else { throw FoldSkip() }
                return data.floats()
            }),
            let weightData = graph.initializers[graph.nodes[convIndex].inputs[1]], weightData.elementType == .float
        else { continue }
        let (scale, shift, mean, variance) = (parameters[0], parameters[1], parameters[2], parameters[3])
        let epsilon = node.floatAttribute("epsilon", default: 1e-5)
        var conv = graph.nodes[convIndex]
        let channels = weightData.shape[0]
        guard scale.count == channels else { continue }
        var weights = weightData.floats()
        let perChannel = weights.count / channels
        var bias = conv.inputs.count > 2 && !conv.inputs[2].isEmpty
            ? (graph.initializers[conv.inputs[2]]?.floats() ?? [Float](repeating: 0, count: channels))
            : [Float](repeating: 0, count: channels)
        for o in 0..<channels {
            let factor = scale[o] / (variance[o] + epsilon).squareRoot()
            for i in 0..<perChannel { weights[o * perChannel + i] *= factor }
            bias[o] = (bias[o] - mean[o]) * factor + shift[o]
        }
        let weightName = conv.inputs[1]
        let biasName = conv.name.isEmpty ? "\(weightName).folded_bias" : "\(conv.name).bias"
        graph.initializers[weightName] = TensorData(floats: weights, shape: weightData.shape)
        graph.initializers[biasName] = TensorData(floats: bias, shape: [channels])
        if conv.inputs.count > 2 { conv.inputs[2] = biasName } else { conv.inputs.append(biasName) }
        conv.outputs[0] = node.outputs[0]
        graph.nodes[convIndex] = conv
        removed.insert(index)
        for name in node.inputs[1...4] { consumers[name, default: 1] -= 1 }
    }
    graph.nodes = graph.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    let used = Set(graph.nodes.flatMap(\.inputs))
    graph.initializers = graph.initializers.filter { used.contains($0.key) }
    var result = model
    result.graph = graph
    return result
}

private struct FoldSkip: Error {}
