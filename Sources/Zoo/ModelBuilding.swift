import Checkpoints
import Graph
import LinearAlgebra

/// Source of a zoo model's weights.
public enum ZooWeights: Sendable {
    /// A PyTorch state dict keyed by parameter name. DenseNet keys in the legacy form of
    /// early torchvision checkpoints (`norm.1.weight`) are accepted, and `num_batches_tracked` entries are ignored.
    case stateDict([String: Tensor<Float>])
    /// Seeded random weights, drawn as `initializeWeights(_:seed:)` draws them: He-normal Conv and Linear
    /// weights, zero biases, BatchNorm scale 1 + N(0, 0.02²), bias N(0, 0.02²), running mean N(0, 0.1²)
    /// and running variance U(0.5, 1.5), in state dict order.
    case random(seed: UInt64)

    /// A state dict as the checkpoint readers return it, widened to Float32.
    public static func stored(_ stateDict: [String: StoredTensor]) -> ZooWeights {
        .stateDict(stateDict.mapValues(\.tensor))
    }
}

extension Architecture {
    /// Entries of the state dict that the architecture reads, in torchvision's state dict order,
    /// without `num_batches_tracked`. Throws `ZooError` for invalid options.
    public func parameterSpecs(options: ZooOptions = ZooOptions()) throws -> [ParameterSpec] {
        try network(options: options).parameters
    }

    /// Number of learnable parameters (weights and biases, without BatchNorm running statistics),
    /// as `sum(p.numel() for p in model.parameters())` counts them in PyTorch.
    public func parameterCount(classes: Int = 1000) throws -> Int {
        try parameterSpecs(options: ZooOptions(classes: classes)).filter(\.isLearnable).reduce(0) { $0 + $1.count }
    }

    /// Builds the model without weight values: every state dict entry is a float graph input after the image
    /// input `input`, in state dict order, and all BatchNormalization nodes are present. Filling those inputs
    /// with `initializeWeights(_:seed:)` gives the same values as `buildModel(weights: .random(seed:))`.
    public func structureModel(options: ZooOptions = ZooOptions()) throws -> Model {
        let builder = try network(options: options)
        let image = ValueInfo(name: "input", elementType: .float, shape: [.symbolic("batch"), .known(3), .known(options.inputHeight), .known(options.inputWidth)])
        let weights = builder.parameters.map { ValueInfo(name: $0.name, elementType: .float, shape: $0.shape.map(Dim.known)) }
        let logits = ValueInfo(name: "logits", elementType: .float, shape: [.symbolic("batch"), .known(options.classes)])
        let graph = Graph(name: rawValue, nodes: builder.nodes, inputs: [image] + weights, outputs: [logits])
        return Model(graph: graph, opsets: ["": 17], metadata: [(key: "torchvision_architecture", value: rawValue)])
    }

    /// Builds the eval-mode ONNX model (opset 17, input `input` [N, 3, H, W], output `logits` [N, classes])
    /// with its weights as initializers named by their state dict keys.
    ///
    /// Unless `options.keepBatchNorm` is set, each BatchNormalization that follows a Conv is folded into
    /// that Conv by `foldBatchNormalization`, which keeps the weight's key and names the new bias
    /// `<module>.bias`. DenseNet's pre-activation BatchNorms follow a Concat and stay.
    ///
    /// Throws `ZooError.keyMismatch` listing missing and unexpected keys, `ZooError.shapeMismatch`
    /// for the first entry whose shape differs, and `ZooError` for invalid options.
    public func buildModel(weights: ZooWeights, options: ZooOptions = ZooOptions()) throws -> Model {
        let structure = try structureModel(options: options)
        var model: Model
        switch weights {
        case .random(let seed):
            model = try initializeWeights(structure, seed: seed)
        case .stateDict(let stateDict):
            model = structure
            let checked = try checkedStateDict(stateDict, options: options)
            for (name, tensor) in checked {
                model.graph.initializers[name] = TensorData(floats: tensor.scalars, shape: tensor.shape)
            }
            model.graph.inputs = [structure.graph.inputs[0]]
        }
        return options.keepBatchNorm ? model : try foldBatchNormalization(model)
    }

    /// Checks every key and shape of a state dict against `parameterSpecs` and returns the entries,
    /// after the DenseNet legacy key remapping and without `num_batches_tracked`.
    public func checkedStateDict(_ stateDict: [String: Tensor<Float>], options: ZooOptions = ZooOptions()) throws -> [String: Tensor<Float>] {
        var entries = isDenseNet ? remapLegacyDenseNetKeys(stateDict) : stateDict
        entries = entries.filter { !$0.key.hasSuffix("num_batches_tracked") }

        let specs = try parameterSpecs(options: options)
        let expected = Set(specs.map(\.name))
        let missing = specs.map(\.name).filter { entries[$0] == nil }
        let unexpected = entries.keys.filter { !expected.contains($0) }.sorted()
        guard missing.isEmpty && unexpected.isEmpty else {
            throw ZooError.keyMismatch(architecture: self, missing: missing, unexpected: unexpected)
        }
        for spec in specs where entries[spec.name]!.shape != spec.shape {
            throw ZooError.shapeMismatch(key: spec.name, expected: spec.shape, actual: entries[spec.name]!.shape)
        }
        return entries
    }

    /// Validates `options` and appends the network's nodes, whose last output is `logits`.
    private func network(options: ZooOptions) throws -> NetworkBuilder {
        let poolKernel = try options.validated(for: self)
        var builder = NetworkBuilder()
        if let resNet {
            _ = resNet.build(into: &builder, input: "input", classes: options.classes)
        } else if let denseNet {
            _ = denseNet.build(into: &builder, input: "input", classes: options.classes)
        } else {
            _ = vgg!.build(into: &builder, input: "input", classes: options.classes, poolKernel: poolKernel!)
        }
        builder.renameLastOutput(to: "logits")
        return builder
    }
}

/// Renames DenseNet keys of early torchvision checkpoints, where a dense layer's modules were named `norm.1`,
/// `relu.1`, `conv.1`, `norm.2` …, to the current `norm1`, `conv1`, `norm2` … form, as torchvision's
/// loader does with the pattern `^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$`.
/// Other keys pass unchanged.
public func remapLegacyDenseNetKeys<Value>(_ stateDict: [String: Value]) -> [String: Value] {
    var result: [String: Value] = [:]
    for (key, value) in stateDict {
        result[modernDenseNetKey(key) ?? key] = value
    }
    return result
}

/// Converts a legacy dense layer key to its current form, or returns nil when `key` is not one.
func modernDenseNetKey(_ key: String) -> String? {
    let pattern = try! Regex(#"^(.*denselayer\d+\.(?:norm|relu|conv))\.([12]\.(?:weight|bias|running_mean|running_var))$"#)
    guard let match = try? pattern.wholeMatch(in: key),
          let module = match.output[1].substring, let field = match.output[2].substring else { return nil }
    return String(module) + String(field)
}
