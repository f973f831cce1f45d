import Graph

/// The operators the training engine differentiates, and which of their inputs carry gradients.
enum OperatorRegistry {
    static let supportedOperators: Set<String> = [
        "Conv", "BatchNormalization", "Relu", "Clip", "MaxPool", "AveragePool", "GlobalAveragePool",
        "Add", "Concat", "Gemm", "MatMul", "Flatten", "Reshape", "Transpose", "Dropout", "Identity",
    ]

    /// Input positions whose float initializers are trainable parameters. BatchNormalization's
    /// running mean and variance (3, 4) are buffers; Clip bounds, Reshape shapes and Dropout
    /// ratios are constants.
    static func differentiableInputs(of node: Node) -> Set<Int> {
        switch node.opType {
        case "Conv", "Gemm", "BatchNormalization": return [0, 1, 2]
        case "Add", "MatMul": return [0, 1]
        case "Concat": return Set(node.inputs.indices)
        default: return [0]
        }
    }

    /// Input positions of BatchNormalization that hold running statistics.
    static func bufferInputs(of node: Node) -> Set<Int> {
        node.opType == "BatchNormalization" ? [3, 4] : []
    }

    static func makeKernel(
        node: Node, inputs: [ValueSlot?], outputs: [ValueSlot], integerConstants: [String: [Int]],
        floatConstants: [String: [Float]], position: Int
    ) throws -> Kernel {
        func requireInputs(_ count: Int) throws {
            guard inputs.count >= count, inputs.prefix(count).allSatisfy({ $0 != nil }) else {
                throw TrainingError.shapeMismatch(
                    node: node.name, detail: "\(node.opType) needs \(count) inputs, got \(node.inputs)")
            }
        }

        switch node.opType {
        case "Conv":
            try requireInputs(2)
            return ConvolutionKernel(node: node, inputs: inputs, outputs: outputs)
        case "BatchNormalization":
            try requireInputs(5)
            if node.intAttribute("training_mode", default: 0) != 0 || outputs.count > 1 {
                throw TrainingError.unsupportedAttribute(
                    node: node.name, attribute: "training_mode",
                    value: "1 (export the model in inference form; the session switches modes itself)")
            }
            return BatchNormalizationKernel(node: node, inputs: inputs, outputs: outputs)
        case "Relu":
            return ReluKernel(node: node, inputs: inputs, outputs: outputs)
        case "Clip":
            return ClipKernel(node: node, inputs: inputs, outputs: outputs)
        case "MaxPool":
            if outputs.count > 1 {
                throw TrainingError.unsupportedAttribute(node: node.name, attribute: "Indices output", value: "present")
            }
            return MaxPoolKernel(node: node, inputs: inputs, outputs: outputs)
        case "AveragePool":
            return AveragePoolKernel(node: node, inputs: inputs, outputs: outputs)
        case "GlobalAveragePool":
            return GlobalAveragePoolKernel(node: node, inputs: inputs, outputs: outputs)
        case "Add":
            try requireInputs(2)
            return AddKernel(node: node, inputs: inputs, outputs: outputs)
        case "Concat":
            return ConcatKernel(node: node, inputs: inputs, outputs: outputs)
        case "Gemm":
            try requireInputs(2)
            return GemmKernel(node: node, inputs: inputs, outputs: outputs)
        case "MatMul":
            try requireInputs(2)
            return MatMulKernel(node: node, inputs: inputs, outputs: outputs)
        case "Flatten":
            return ReshapeKernel(node: node, inputs: inputs, outputs: outputs, target: nil)
        case "Reshape":
            guard node.inputs.count > 1, let target = integerConstants[node.inputs[1]] else {
                throw TrainingError.unsupportedAttribute(
                    node: node.name, attribute: "shape", value: "not an int64 initializer (fold constants first)")
            }
            return ReshapeKernel(node: node, inputs: [inputs[0]], outputs: outputs, target: target)
        case "Transpose":
            return TransposeKernel(node: node, inputs: inputs, outputs: outputs)
        case "Identity":
            return IdentityKernel(node: node, inputs: inputs, outputs: outputs)
        case "Dropout":
            var ratio = node.floatAttribute("ratio", default: 0.5)
            if node.inputs.count > 1, let value = floatConstants[node.inputs[1]]?.first { ratio = value }
            return DropoutKernel(
                node: node, inputs: [inputs[0]], outputs: [outputs[0]], ratio: ratio, streamIndex: position)
        default:
            throw TrainingError.unsupportedOperator(node: node.name, opType: node.opType)
        }
    }
}
