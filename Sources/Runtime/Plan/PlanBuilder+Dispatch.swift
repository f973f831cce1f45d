import Graph

extension PlanBuilder {
    /// Operators with a runtime kernel (or a zero-copy view).
    static let runtimeOperators: Set<String> = [
        "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization", "Relu", "Clip", "Sigmoid",
        "Add", "Sub", "Mul", "Div", "Concat", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity", "Dropout",
        "Cast", "Transpose", "Slice", "Gather", "Pad", "Gemm", "MatMul", "Softmax", "ReduceMean",
    ]

    /// Every operator the engine accepts: runtime kernels plus operators it evaluates at plan time.
    static let supportedOperators = runtimeOperators.union(ConstantEvaluator.supportedOperators)

    /// Picks the planner of one node whose inputs are not all constant.
    mutating func plan(_ node: Node, index: Int) throws {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw RuntimeError.unsupportedOperators([(opType: "\(node.domain).\(node.opType)", firstNode: node.name)])
        }
        switch node.opType {
        case "Conv": try planConvolution(node, index: index)
        case "MaxPool", "AveragePool": try planPooling(node)
        case "GlobalAveragePool": try planGlobalAveragePool(node)
        case "BatchNormalization": try planBatchNormalization(node)
        case "Relu", "Clip", "Sigmoid": try planUnary(node)
        case "Add", "Sub", "Mul", "Div": try planBinary(node)
        case "Concat": try planConcat(node)
        case "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity", "Dropout", "Cast": try planView(node)
        case "Transpose", "Slice", "Gather": try planGather(node)
        case "Pad": try planPad(node)
        case "Gemm": try planGemm(node)
        case "MatMul": try planMatMul(node)
        case "Softmax": try planSoftmax(node)
        case "ReduceMean": try planReduceMean(node)
        default:
            // Constant-only operators (Constant, Shape, ConstantOfShape) reach here only when
            // an input of theirs depends on the graph input.
            throw RuntimeError.dynamicValue(node: node.name, value: node.outputs.first ?? "")
        }
    }
}
