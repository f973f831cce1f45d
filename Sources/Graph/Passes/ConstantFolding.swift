/// Replaces every node whose inputs are all constant with initializers holding its
/// outputs, then drops initializers that no node or graph output reads.
///
/// Constants are initializers, Constant nodes and outputs folded earlier in the
/// same walk. A Shape node also folds when its input's shape is static, either
/// as declared or as `inferShapes` derives it from the declared input shapes.
/// Covered operators are those of the import-time evaluator: Constant, Identity,
/// Cast, ConstantOfShape, Shape, Gather, Concat, Slice, Squeeze, Unsqueeze,
/// Reshape, Flatten, Transpose, Pad, Add, Sub, Mul, Div, Neg, Equal, Less,
/// Greater, Where and Range, on float, double, integer and bool tensors.
/// Nodes producing a graph output are left in place.
///
/// Idempotent. Throws `GraphError.cycle` for cyclic graphs and the evaluator's
/// errors (`shapeMismatch`, `invalidAttribute`) for inconsistent constant inputs.
public func foldConstants(_ model: Model) throws -> Model {
    var result = model
    try result.graph.sortTopologically()
    // Static shapes are optional here: a model with unknown input shapes still folds its constant chains.
    let shapes = (try? inferShapes(model)) ?? [:]
    let evaluator = ConstantEvaluator(opset: model.opsetVersion)
    let graphOutputs = model.graph.outputNames

    var folded: [String: ConstantValue] = [:]
    func constant(_ name: String) -> ConstantValue? {
        if let value = folded[name] { return value }
        return result.graph.initializers[name].flatMap(ConstantValue.init)
    }

    var remainingNodes: [Node] = []
    for node in result.graph.nodes {
        guard !node.outputs.contains(where: graphOutputs.contains),
              let outputs = try evaluateConstantNode(node, constant: constant, shapes: shapes, evaluator: evaluator)
        else {
            remainingNodes.append(node)
            continue
        }
        for (name, value) in zip(node.outputs, outputs) where !name.isEmpty {
            folded[name] = value
            result.graph.initializers[name] = value.tensorData
            result.graph.valueInfo[name] = nil
        }
    }
    result.graph.nodes = remainingNodes
    result.graph.removeUnusedInitializers()
    return result
}

private func evaluateConstantNode(
    _ node: Node, constant: (String) -> ConstantValue?, shapes: [String: ValueInfo], evaluator: ConstantEvaluator
) throws -> [ConstantValue]? {
    if node.opType == "Shape", let input = node.input(0), let extents = shapes[input]?.shape?.knownExtents {
        return [EvaluationNode(node: node, inputs: [], opset: evaluator.opset).shapeOf(extents)]
    }
    guard node.opType != "Shape", ConstantEvaluator.supportedOperators.contains(node.opType) else { return nil }
    var inputs: [ConstantValue?] = []
    for name in node.inputs {
        if name.isEmpty { inputs.append(nil); continue }
        guard let value = constant(name) else { return nil }
        inputs.append(value)
    }
    return try evaluator.evaluate(node, inputs: inputs)
}
