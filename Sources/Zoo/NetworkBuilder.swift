import Graph

/// One tensor of an architecture's state dict: its key, shape and kind.
public struct ParameterSpec: Equatable, Sendable {
    /// Kind of state dict entry, which decides whether it counts as a learnable parameter.
    public enum Kind: String, Sendable {
        case weight, bias, batchNormScale, batchNormBias, runningMean, runningVariance
    }

    /// State dict key, e.g. `layer1.0.conv1.weight`.
    public var name: String
    public var shape: [Int]
    public var kind: Kind

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// True for tensors that PyTorch registers as parameters, false for BatchNorm's running statistics (buffers).
    public var isLearnable: Bool { kind != .runningMean && kind != .runningVariance }
}

/// Appends ONNX nodes in forward order and records the parameters they read as state dict entries.
///
/// Node names are the torchvision module paths (`layer1.0.conv1`), and each node's output value has
/// the same name as the node, so a node and the value it produces are found by one name.
struct NetworkBuilder {
    private(set) var nodes: [Node] = []
    private(set) var parameters: [ParameterSpec] = []
    private var usedNames: Set<String> = []

    /// Adds a Conv whose weight is `module.weight` [outChannels, inChannels, kernel, kernel].
    mutating func conv(
        _ input: String, module: String, inChannels: Int, outChannels: Int,
        kernel: Int, stride: Int = 1, padding: Int = 0, bias: Bool = false
    ) -> String {
        var inputs = [input, parameter(module, "weight", [outChannels, inChannels, kernel, kernel], .weight)]
        if bias { inputs.append(parameter(module, "bias", [outChannels], .bias)) }
        return append(module, "Conv", inputs: inputs, attributes: [
            "kernel_shape": .ints([kernel, kernel]), "strides": .ints([stride, stride]),
            "pads": .ints([padding, padding, padding, padding]), "dilations": .ints([1, 1]), "group": .int(1),
        ])
    }

    /// Adds an eval-mode BatchNormalization (epsilon 1e-5, PyTorch's default) reading running statistics.
    mutating func batchNorm(_ input: String, module: String, channels: Int) -> String {
        let inputs = [
            input,
            parameter(module, "weight", [channels], .batchNormScale),
            parameter(module, "bias", [channels], .batchNormBias),
            parameter(module, "running_mean", [channels], .runningMean),
            parameter(module, "running_var", [channels], .runningVariance),
        ]
        return append(module, "BatchNormalization", inputs: inputs, attributes: ["epsilon": .float(1e-5), "momentum": .float(0.9)])
    }

    /// Adds a Gemm computing `input · weightᵀ + bias`, which is what `torch.nn.Linear` does.
    mutating func linear(_ input: String, module: String, inFeatures: Int, outFeatures: Int) -> String {
        let inputs = [
            input,
            parameter(module, "weight", [outFeatures, inFeatures], .weight),
            parameter(module, "bias", [outFeatures], .bias),
        ]
        return append(module, "Gemm", inputs: inputs, attributes: ["alpha": .float(1), "beta": .float(1), "transB": .int(1)])
    }

    mutating func relu(_ input: String, name: String) -> String {
        append(name, "Relu", inputs: [input])
    }

    mutating func maxPool(_ input: String, name: String, kernel: Int, stride: Int, padding: Int) -> String {
        append(name, "MaxPool", inputs: [input], attributes: [
            "kernel_shape": .ints([kernel, kernel]), "strides": .ints([stride, stride]),
            "pads": .ints([padding, padding, padding, padding]), "ceil_mode": .int(0),
        ])
    }

    /// Adds an AveragePool without padding (`count_include_pad` is irrelevant without padding).
    mutating func averagePool(_ input: String, name: String, kernel: [Int], stride: [Int]) -> String {
        append(name, "AveragePool", inputs: [input], attributes: [
            "kernel_shape": .ints(kernel), "strides": .ints(stride), "pads": .ints([0, 0, 0, 0]), "ceil_mode": .int(0),
        ])
    }

    mutating func globalAveragePool(_ input: String, name: String) -> String {
        append(name, "GlobalAveragePool", inputs: [input])
    }

    /// Adds a Flatten to [N, rest], which is what `torch.flatten(x, 1)` does.
    mutating func flatten(_ input: String, name: String) -> String {
        append(name, "Flatten", inputs: [input], attributes: ["axis": .int(1)])
    }

    mutating func add(_ lhs: String, _ rhs: String, name: String) -> String {
        append(name, "Add", inputs: [lhs, rhs])
    }

    /// Adds a Concat along the channel axis.
    mutating func concat(_ inputs: [String], name: String) -> String {
        append(name, "Concat", inputs: inputs, attributes: ["axis": .int(1)])
    }

    /// Renames the output of the last node, so that the network's final value gets the graph output's name.
    mutating func renameLastOutput(to name: String) {
        nodes[nodes.count - 1].outputs[0] = name
    }

    private mutating func parameter(_ module: String, _ field: String, _ shape: [Int], _ kind: ParameterSpec.Kind) -> String {
        let name = "\(module).\(field)"
        parameters.append(ParameterSpec(name: name, shape: shape, kind: kind))
        return name
    }

    /// Appends a node named `name` (with a numeric suffix when a module runs twice, as ResNet's shared ReLU does)
    /// and returns its output value's name.
    private mutating func append(_ name: String, _ opType: String, inputs: [String], attributes: [String: Attribute] = [:]) -> String {
        var unique = name
        var counter = 1
        while usedNames.contains(unique) {
            unique = "\(name)_\(counter)"
            counter += 1
        }
        usedNames.insert(unique)
        nodes.append(Node(name: unique, opType: opType, inputs: inputs, outputs: [unique], attributes: attributes))
        return unique
    }
}
