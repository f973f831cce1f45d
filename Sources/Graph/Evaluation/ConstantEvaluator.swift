/// Evaluates operators on constant inputs at import time: the shape arithmetic
/// that exporters emit (Shape, Gather, Concat, Slice, Cast, ConstantOfShape,
/// Unsqueeze, Squeeze, Reshape, Transpose, Pad, elementwise arithmetic and
/// comparisons, Where, Range) and Constant nodes.
///
/// `evaluate` returns nil when the operator is not covered or an input it
/// needs is not constant; it throws when the constant inputs are invalid.
struct ConstantEvaluator {
    var opset: Int

    /// Operators `evaluate` covers.
    static let supportedOperators: Set<String> = [
        "Constant", "Identity", "Cast", "ConstantOfShape", "Gather", "Concat", "Slice", "Unsqueeze", "Squeeze",
        "Reshape", "Transpose", "Pad", "Add", "Sub", "Mul", "Div", "Equal", "Less", "Greater", "Where", "Range",
        "Neg", "Shape", "Flatten", "Dropout",
    ]

    func evaluate(_ node: Node, inputs: [ConstantValue?]) throws -> [ConstantValue]? {
        guard node.domain.isEmpty || node.domain == "ai.onnx", Self.supportedOperators.contains(node.opType) else { return nil }
        let context = EvaluationNode(node: node, inputs: inputs, opset: opset)
        if node.opType == "Constant" { return [try context.constantAttribute()] }
        if node.opType == "ConstantOfShape" { return try context.constantOfShape().map { [$0] } }

        // Every other covered operator needs its first input.
        guard let first = inputs.first ?? nil else { return nil }
        switch node.opType {
        case "Identity", "Dropout": return node.opType == "Dropout" && node.outputs.count > 1 ? nil : [first]
        case "Cast": return [first.cast(to: ElementType(rawValue: Int32(try context.requiredInt("to"))))]
        case "Shape": return [context.shapeOf(first.shape)]
        case "Neg": return [first.mapElements({ -$0 }, { -$0 })]
        case "Add", "Sub", "Mul", "Div", "Equal", "Less", "Greater": return try context.binary(first).map { [$0] }
        case "Gather": return try context.gather(first).map { [$0] }
        case "Concat": return try context.concat().map { [$0] }
        case "Slice": return try context.slice(first).map { [$0] }
        case "Unsqueeze": return try context.unsqueeze(first).map { [$0] }
        case "Squeeze": return try context.squeeze(first).map { [$0] }
        case "Reshape": return try context.reshape(first).map { [$0] }
        case "Flatten": return [try context.flatten(first)]
        case "Transpose": return [try context.transpose(first)]
        case "Pad": return try context.pad(first).map { [$0] }
        case "Where": return try context.select(first).map { [$0] }
        case "Range": return try context.range(first).map { [$0] }
        default: return nil
        }
    }
}

/// One node's evaluation: the node, its constant inputs and the opset.
struct EvaluationNode {
    let node: Node
    let inputs: [ConstantValue?]
    let opset: Int

    func invalid(_ attribute: String, _ reason: String) -> GraphError {
        .invalidAttribute(node: node.name, opType: node.opType, attribute: attribute, reason: reason)
    }

    func mismatch(_ detail: String) -> GraphError {
        .shapeMismatch(node: node.name, opType: node.opType, detail: detail)
    }

    func requiredInt(_ name: String) throws -> Int {
        guard let value = node.int(name) else {
            throw GraphError.missingAttribute(node: node.name, opType: node.opType, attribute: name)
        }
        return value
    }

    /// Constant input at `index`; nil when omitted or computed at run time.
    func constantInput(_ index: Int) -> ConstantValue? {
        guard node.input(index) != nil, index < inputs.count else { return nil }
        return inputs[index]
    }

    /// Reads an integer list given as attribute `name` (older opsets) or as input `index`.
    /// Returns `.absent` when neither is given and `.unknown` when the input is not constant.
    func integerList(attribute name: String, input index: Int) -> IntegerList {
        if let values = node.ints(name) { return .known(values.map { Int64($0) }) }
        guard node.input(index) != nil else { return .absent }
        guard let value = constantInput(index) else { return .unknown }
        return .known(value.integers)
    }

    func axis(_ value: Int, rank: Int, attribute: String = "axis") throws -> Int {
        guard let axis = ShapeArithmetic.normalizeAxis(value, rank: rank) else {
            throw invalid(attribute, "axis \(value) is out of range for rank \(rank)")
        }
        return axis
    }

    func constantAttribute() throws -> ConstantValue {
        switch node.attributes.first(where: { $0.key.hasPrefix("value") })?.value {
        case let .tensor(tensor)?:
            guard let value = ConstantValue(tensor) else { throw invalid("value", "element type \(tensor.elementType) is not supported") }
            return value
        case let .float(value)?: return ConstantValue(elementType: .float, shape: [], elements: .floating([Double(value)]))
        case let .floats(values)?: return ConstantValue(elementType: .float, shape: [values.count], elements: .floating(values.map(Double.init)))
        case let .int(value)?: return ConstantValue(integers: [Int64(value)], shape: [])
        case let .ints(values)?: return ConstantValue(integers: values.map { Int64($0) }, shape: [values.count])
        default: throw GraphError.missingAttribute(node: node.name, opType: node.opType, attribute: "value")
        }
    }

    func constantOfShape() throws -> ConstantValue? {
        guard let shapeValue = constantInput(0) else { return nil }
        let shape = shapeValue.integers.map { Int($0) }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw mismatch("shape \(shape) has a negative extent") }
        var fill = ConstantValue(elementType: .float, shape: [1], elements: .floating([0]))
        if case let .tensor(tensor)? = node.attributes["value"] {
            guard let value = ConstantValue(tensor), value.count == 1 else { throw invalid("value", "must be a one-element tensor") }
            fill = value
        }
        return fill.gathering([Int](repeating: 0, count: shape.reduce(1, *)), shape: shape)
    }

    func shapeOf(_ shape: [Int]) -> ConstantValue {
        let rank = shape.count
        func clampBound(_ bound: Int) -> Int { min(max(bound < 0 ? bound + rank : bound, 0), rank) }
        let start = clampBound(node.int("start", default: 0))
        let end = clampBound(node.int("end", default: rank))
        let extents = start < end ? Array(shape[start..<end]) : []
        return ConstantValue(integers: extents.map { Int64($0) }, shape: [extents.count])
    }
}

enum IntegerList {
    case known([Int64])
    case absent
    case unknown
}

extension ConstantValue {
    func mapElements(_ floating: (Double) -> Double, _ integer: (Int64) -> Int64) -> ConstantValue {
        switch elements {
        case let .floating(values): return ConstantValue(elementType: elementType, shape: shape, elements: .floating(values.map(floating)))
        case let .integer(values): return ConstantValue(elementType: elementType, shape: shape, elements: .integer(values.map(integer)))
        }
    }
}
