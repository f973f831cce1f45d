/// Folds each BatchNormalization that directly follows a Conv into the Conv's
/// weight and bias.
///
/// With γ scale, β bias, μ running mean, σ² running variance and ε epsilon, the
/// folded Conv has W'[o] = W[o] · γ[o] / √(σ²[o] + ε) and
/// b'[o] = (b[o] − μ[o]) · γ[o] / √(σ²[o] + ε) + β[o], computed in Double and
/// stored as float32; a missing bias is created. The Conv takes over the
/// BatchNormalization's output name.
///
/// A pair is folded only when the Conv output has no other consumer and is not a
/// graph output, the BatchNormalization has a single output (inference mode),
/// and the weight, bias and all four statistics are float32 initializers.
/// Weights read by other nodes are copied, not changed in place. Initializers
/// that no node reads afterwards are removed.
///
/// Idempotent. Throws `GraphError.cycle` for cyclic graphs.
public func foldBatchNormalization(_ model: Model) throws -> Model {
    var graph = try model.graph.sortedTopologically()
    var index = 0
    while index < graph.nodes.count {
        if graph.nodes[index].opType == "BatchNormalization", graph.foldIntoConv(batchNormAt: index) {
            continue
        }
        index += 1
    }
    var result = model
    result.graph = graph
    return result
}

extension Graph {
    /// Folds the BatchNormalization at `index` into its producing Conv and removes it;
    /// returns false and changes nothing when the pair does not qualify.
    mutating func foldIntoConv(batchNormAt index: Int) -> Bool {
        let batchNorm = nodes[index]
        guard batchNorm.outputs.filter({ !$0.isEmpty }).count == 1, batchNorm.inputs.count == 5,
              let convOutput = batchNorm.input(0), !outputNames.contains(convOutput),
              consumerIndices[convOutput] == [index],
              let convIndex = nodes.firstIndex(where: { $0.outputs.first == convOutput && $0.opType == "Conv" }),
              let weightName = nodes[convIndex].input(1), let weight = floatInitializer(weightName),
              let statistics = batchNormStatistics(batchNorm), statistics.channels == nodes[convIndex].outputChannels(weight)
        else { return false }

        let conv = nodes[convIndex]
        let channels = statistics.channels
        let bias: [Float]
        if let biasName = conv.input(2) {
            guard let existing = floatInitializer(biasName), existing.count == channels else { return false }
            bias = existing.floats()
        } else {
            bias = [Float](repeating: 0, count: channels)
        }

        let elementsPerChannel = weight.count / channels
        var newWeight = weight.floats()
        var newBias = bias
        for channel in 0..<channels {
            let factor = Double(statistics.scale[channel]) / (Double(statistics.variance[channel]) + statistics.epsilon).squareRoot()
            for offset in (channel * elementsPerChannel)..<((channel + 1) * elementsPerChannel) {
                newWeight[offset] = Float(Double(newWeight[offset]) * factor)
            }
            newBias[channel] = Float((Double(bias[channel]) - Double(statistics.mean[channel])) * factor + Double(statistics.bias[channel]))
        }

        let weightTarget = exclusiveName(for: weightName, readOnlyBy: convIndex, suffix: "bn_folded")
        let biasTarget = conv.input(2).map { exclusiveName(for: $0, readOnlyBy: convIndex, suffix: "bn_folded") }
            ?? uniqueValueName("\(conv.name.isEmpty ? convOutput : conv.name).bias")
        initializers[weightTarget] = TensorData(floats: newWeight, shape: weight.shape)
        initializers[biasTarget] = TensorData(floats: newBias, shape: [channels])

        nodes[convIndex].inputs = [conv.inputs[0], weightTarget, biasTarget]
        nodes[convIndex].outputs[0] = batchNorm.outputs[0]
        nodes.remove(at: index)
        valueInfo[convOutput] = nil
        removeUnusedInitializers()
        return true
    }

    private func floatInitializer(_ name: String) -> TensorData? {
        guard let tensor = initializers[name], tensor.elementType == .float else { return nil }
        return tensor
    }

    private func batchNormStatistics(_ node: Node) -> BatchNormStatistics? {
        let tensors = (1...4).compactMap { node.input($0).flatMap(floatInitializer) }
        guard tensors.count == 4, let channels = tensors.first?.count, tensors.allSatisfy({ $0.count == channels }) else { return nil }
        return BatchNormStatistics(
            scale: tensors[0].floats(), bias: tensors[1].floats(), mean: tensors[2].floats(), variance: tensors[3].floats(),
            epsilon: Double(node.float("epsilon", default: 1e-5)))
    }

    /// `name` when only node `index` reads it, else a fresh name derived from it.
    private func exclusiveName(for name: String, readOnlyBy index: Int, suffix: String) -> String {
        let readers = consumerIndices[name] ?? []
        if Set(readers) == [index] && !outputNames.contains(name) { return name }
        return uniqueValueName("\(name).\(suffix)")
    }

    /// `base`, or `base` with the smallest numeric suffix that names no existing value.
    func uniqueValueName(_ base: String) -> String {
        var usedNames = Set(initializers.keys).union(inputs.map(\.name)).union(outputs.map(\.name))
        for node in nodes { usedNames.formUnion(node.outputs) }
        guard usedNames.contains(base) else { return base }
        var counter = 1
        while usedNames.contains("\(base)_\(counter)") { counter += 1 }
        return "\(base)_\(counter)"
    }
}

private struct BatchNormStatistics {
    var scale: [Float]
    var bias: [Float]
    var mean: [Float]
    var variance: [Float]
    var epsilon: Double
    var channels: Int { scale.count }
}

extension Node {
    /// Output channels of a Conv with this weight (the weight's first extent).
    func outputChannels(_ weight: TensorData) -> Int? { weight.shape.first }
}
