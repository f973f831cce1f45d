/// Infers the element type and shape of every value in a model.
///
/// Graph inputs take their declared shapes, with entries of `inputShapes`
/// replacing them, declared extents included (use this to set a batch size). Nodes are visited in
/// topological order. Small constant subgraphs (shape arithmetic) are evaluated
/// along the way, so a Reshape or Pad fed by computed values still gets
/// concrete extents. Extents that depend on unknown input extents stay
/// `.symbolic` (passed through unchanged) or `.unknown`.
///
/// Returns a ValueInfo for every graph input, initializer and node output.
/// Throws `GraphError.invalidInputShape` for an entry that names no graph input or
/// changes a declared rank, `GraphError.unsupportedOperator` for operators
/// without a rule, and `GraphError.shapeMismatch` or `invalidAttribute` when a
/// node's inputs are inconsistent.
public func inferShapes(_ model: Model, inputShapes: [String: [Int]] = [:]) throws -> [String: ValueInfo] {
    var inference = ShapeInference(model: model)
    try inference.seedInputs(inputShapes)
    try inference.run()
    return inference.values
}

extension Model {
    /// Returns a copy whose `valueInfo`, graph inputs and graph outputs carry the types and
    /// shapes that `inferShapes(_:inputShapes:)` derives.
    public func inferringShapes(inputShapes: [String: [Int]] = [:]) throws -> Model {
        let values = try inferShapes(self, inputShapes: inputShapes)
        var result = self
        result.graph.inputs = graph.inputs.map { values[$0.name] ?? $0 }
        result.graph.outputs = graph.outputs.map { values[$0.name] ?? $0 }
        let outputNames = result.graph.outputNames
        for node in graph.nodes {
            for output in node.outputs where !output.isEmpty && !outputNames.contains(output) {
                result.graph.valueInfo[output] = values[output]
            }
        }
        return result
    }
}

/// State of one inference run: known value types and small evaluated constants.
struct ShapeInference {
    /// Largest number of elements an evaluated constant may have; shape arithmetic stays far below it.
    static let constantElementLimit = 1 << 16

    /// Operators outside the evaluator whose shape rules read constant inputs (axes).
    static let valueReadingOperators: Set<String> = ["ReduceMean", "ReduceSum", "ReduceMax"]

    let model: Model
    var values: [String: ValueInfo] = [:]
    var constants: [String: ConstantValue] = [:]

    init(model: Model) {
        self.model = model
    }

    mutating func seedInputs(_ inputShapes: [String: [Int]]) throws {
        let inputNames = Set(model.graph.inputs.map(\.name))
        for name in inputShapes.keys where !inputNames.contains(name) {
            throw GraphError.invalidInputShape(input: name, reason: "the graph has no input of that name; inputs are \(inputNames.sorted())")
        }
        for input in model.graph.inputs {
            var info = input
            if let extents = inputShapes[input.name] {
                try checkOverride(extents, against: input)
                info.shape = [Dim](extents: extents)
            }
            values[input.name] = info
        }
        for (name, tensor) in model.graph.initializers {
            values[name] = ValueInfo(name: name, elementType: tensor.elementType, shape: [Dim](extents: tensor.shape))
        }
    }

    private func checkOverride(_ extents: [Int], against input: ValueInfo) throws {
        guard extents.allSatisfy({ $0 >= 0 }) else {
            throw GraphError.invalidInputShape(input: input.name, reason: "extents \(extents) must not be negative")
        }
        guard let declared = input.shape else { return }
        guard declared.count == extents.count else {
            throw GraphError.invalidInputShape(input: input.name, reason: "the model declares rank \(declared.count), the shape \(extents) has rank \(extents.count)")
        }
    }

    /// Returns the constant a value holds: an evaluated result or an initializer within the element limit.
    func constant(_ name: String) -> ConstantValue? {
        if let value = constants[name] { return value }
        if let tensor = model.graph.initializers[name], tensor.count <= Self.constantElementLimit {
            return ConstantValue(tensor)
        }
        return nil
    }

    /// Fills what inference left unknown from the type the model declares for the value.
    /// NOTE: a declared extent is trusted as is, so a stale `value_info` entry can
    /// disagree with extents derived from an `inputShapes` override.
    private func refine(_ inferred: ValueInfo, with declared: ValueInfo?) -> ValueInfo {
        guard let declared else { return inferred }
        var result = inferred
        if result.elementType == .undefined { result.elementType = declared.elementType }
        guard let declaredShape = declared.shape else { return result }
        guard let shape = result.shape, shape.count == declaredShape.count else {
            if result.shape == nil { result.shape = declaredShape }
            return result
        }
        result.shape = zip(shape, declaredShape).map { $0 == .unknown ? $1 : $0 }
        return result
    }

    mutating func run() throws {
        let graph = try model.graph.sortedTopologically()
        var declared = model.graph.valueInfo
        for output in model.graph.outputs { declared[output.name] = output }
        let evaluator = ConstantEvaluator(opset: model.opsetVersion)
        for node in graph.nodes {
            let inputs = try node.inputs.map { name -> ValueInfo? in
                guard !name.isEmpty else { return nil }
                guard let info = values[name] else {
                    throw GraphError.undefinedInput(node: node.name, opType: node.opType, input: name)
                }
                return info
            }
            // Only operators whose rules read input values get them; decoding every weight would be wasted work.
            let readsValues = ConstantEvaluator.supportedOperators.contains(node.opType) || Self.valueReadingOperators.contains(node.opType)
            let constantInputs = node.inputs.map { readsValues && !$0.isEmpty ? constant($0) : nil }
            let rule = NodeInference(node: node, inputs: inputs, constants: constantInputs, opset: model.opsetVersion)

            if let evaluated = try evaluateIfSmall(node, rule: rule, constantInputs: constantInputs, evaluator: evaluator) {
                for (name, value) in zip(node.outputs, evaluated) where !name.isEmpty {
                    constants[name] = value
                    values[name] = ValueInfo(name: name, elementType: value.elementType, shape: [Dim](extents: value.shape))
                }
                continue
            }

            let outputs = try rule.infer()
            for (index, name) in node.outputs.enumerated() where !name.isEmpty {
                var info = index < outputs.count ? outputs[index] : ValueInfo(name: name, elementType: .undefined, shape: nil)
                info.name = name
                values[name] = refine(info, with: declared[name])
            }
        }
    }

    /// Evaluates a node whose inputs are all constant and whose result stays small.
    /// Shape is evaluated whenever its input's shape is fully known.
    private func evaluateIfSmall(
        _ node: Node, rule: NodeInference, constantInputs: [ConstantValue?], evaluator: ConstantEvaluator
    ) throws -> [ConstantValue]? {
        if node.opType == "Shape", let extents = rule.inputs.first??.shape?.knownExtents {
            return [EvaluationNode(node: node, inputs: [], opset: evaluator.opset).shapeOf(extents)]
        }
        let allConstant = node.inputs.indices.allSatisfy { node.inputs[$0].isEmpty || constantInputs[$0] != nil }
        guard allConstant, node.opType != "Shape" else { return nil }
        guard let results = try evaluator.evaluate(node, inputs: constantInputs),
              results.allSatisfy({ $0.count <= Self.constantElementLimit }) else { return nil }
        return results
    }
}
