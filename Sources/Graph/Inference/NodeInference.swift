/// Shape and type rule application for one node.
struct NodeInference {
    let node: Node
    /// Types of the inputs; nil for omitted optional inputs.
    let inputs: [ValueInfo?]
    /// Constant values of the inputs where known.
    let constants: [ConstantValue?]
    let opset: Int

    func infer() throws -> [ValueInfo] {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw GraphError.unsupportedOperator(node: node.name, opType: node.opType, domain: node.domain)
        }
        try node.validateAgainstSchema(opset: opset)
        switch node.opType {
        case "Relu", "Sigmoid", "Clip", "Softmax", "Identity", "Neg", "Sqrt", "Exp", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish":
            return [try input(0)]
        case "Dropout":
            let data = try input(0)
            return [data, ValueInfo(name: "", elementType: .bool, shape: data.shape)]
        case "BatchNormalization": return try batchNormalization()
        case "Add", "Sub", "Mul", "Div", "Pow": return [try broadcast(elementType: nil)]
        case "Equal", "Less", "Greater": return [try broadcast(elementType: .bool)]
        case "Where": return [try whereSelect()]
        case "Conv": return [try convolution()]
        case "MaxPool", "AveragePool": return try pooling()
        case "GlobalAveragePool", "GlobalMaxPool": return [try globalPooling()]
        case "ReduceMean", "ReduceSum", "ReduceMax": return [try reduction()]
        case "Gemm": return [try gemm()]
        case "MatMul": return [try matMul()]
        case "Flatten": return [try flatten()]
        case "Reshape": return [try reshape()]
        case "Transpose": return [try transpose()]
        case "Squeeze": return [try squeeze()]
        case "Unsqueeze": return [try unsqueeze()]
        case "Concat": return [try concat()]
        case "Pad": return [try pad()]
        case "Shape": return [try shape()]
        case "Gather": return [try gather()]
        case "Slice": return [try slice()]
        case "Cast": return [try cast()]
        case "ConstantOfShape": return [try constantOfShape()]
        case "Range": return [try range()]
        case "Constant":
            let value = try EvaluationNode(node: node, inputs: [], opset: opset).constantAttribute()
            return [ValueInfo(name: "", elementType: value.elementType, shape: [Dim](extents: value.shape))]
        default:
            throw GraphError.unsupportedOperator(node: node.name, opType: node.opType, domain: node.domain)
        }
    }

    // MARK: Helpers

    func input(_ index: Int) throws -> ValueInfo {
        guard index < inputs.count, let info = inputs[index] else {
            throw GraphError.wrongInputCount(node: node.name, opType: node.opType, count: inputs.count, expected: (index + 1)...(index + 1))
        }
        return info
    }

    /// Input `index` with a known rank; throws when its rank is unknown.
    func rankedShape(_ index: Int) throws -> [Dim] {
        let info = try input(index)
        guard let shape = info.shape else {
            throw mismatch("the rank of input '\(info.name)' is unknown; give concrete input shapes")
        }
        return shape
    }

    func mismatch(_ detail: String) -> GraphError {
        .shapeMismatch(node: node.name, opType: node.opType, detail: detail)
    }

    func invalid(_ attribute: String, _ reason: String) -> GraphError {
        .invalidAttribute(node: node.name, opType: node.opType, attribute: attribute, reason: reason)
    }

    func axis(_ value: Int, rank: Int, attribute: String = "axis") throws -> Int {
        guard let axis = ShapeArithmetic.normalizeAxis(value, rank: rank) else {
            throw invalid(attribute, "axis \(value) is out of range for rank \(rank)")
        }
        return axis
    }

    /// Reads an integer list from attribute `name` or from constant input `index`.
    func integerList(attribute name: String, input index: Int) -> IntegerList {
        EvaluationNode(node: node, inputs: constants, opset: opset).integerList(attribute: name, input: index)
    }

    func output(_ elementType: ElementType, _ shape: [Dim]?) -> ValueInfo {
        ValueInfo(name: "", elementType: elementType, shape: shape)
    }

    // MARK: Elementwise

    func broadcast(elementType: ElementType?) throws -> ValueInfo {
        let lhs = try input(0)
        let rhs = try input(1)
        return output(elementType ?? lhs.elementType, try broadcastShapes(lhs.shape, rhs.shape))
    }

    func broadcastShapes(_ lhs: [Dim]?, _ rhs: [Dim]?) throws -> [Dim]? {
        guard let lhs, let rhs else { return nil }
        let rank = max(lhs.count, rhs.count)
        let left = [Dim](repeating: .known(1), count: rank - lhs.count) + lhs
        let right = [Dim](repeating: .known(1), count: rank - rhs.count) + rhs
        return try (0..<rank).map { axis in
            guard let dim = Dim.broadcast(left[axis], right[axis]) else {
                throw mismatch("shapes \(describe(lhs)) and \(describe(rhs)) do not broadcast")
            }
            return dim
        }
    }

    func whereSelect() throws -> ValueInfo {
        let condition = try input(0)
        let x = try input(1)
        let y = try input(2)
        return output(x.elementType, try broadcastShapes(try broadcastShapes(condition.shape, x.shape), y.shape))
    }

    func batchNormalization() throws -> [ValueInfo] {
        let data = try input(0)
        let channels = data.shape.flatMap { $0.count > 1 ? [$0[1]] : nil }
        let statistic = output(data.elementType, channels)
        return [data, statistic, statistic]
    }

    func cast() throws -> ValueInfo {
        guard let target = node.int("to") else {
            throw GraphError.missingAttribute(node: node.name, opType: node.opType, attribute: "to")
        }
        return output(ElementType(rawValue: Int32(target)), try input(0).shape)
    }
}

/// Text form of a shape for messages: `[1, batch, ?]`.
func describe(_ shape: [Dim]?) -> String {
    guard let shape else { return "[unknown rank]" }
    let parts = shape.map { dim -> String in
        switch dim {
        case let .known(extent): return "\(extent)"
        case let .symbolic(name): return name
        case .unknown: return "?"
        }
    }
    return "[" + parts.joined(separator: ", ") + "]"
}
