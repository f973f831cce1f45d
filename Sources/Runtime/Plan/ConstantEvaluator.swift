import Graph

/// Evaluates nodes whose inputs are all known before execution: `Constant` nodes and the
/// shape arithmetic exporters emit around them (Shape, Gather, Concat, Slice, Cast, ...).
/// The planner runs these once per plan, so they cost nothing per inference.
enum ConstantEvaluator {
    static let supportedOperators: Set<String> = [
        "Constant", "ConstantOfShape", "Shape", "Identity", "Dropout", "Cast", "Reshape", "Flatten",
        "Squeeze", "Unsqueeze", "Concat", "Slice", "Transpose", "Gather", "Add", "Sub", "Mul", "Div",
    ]

    /// Evaluates `node` on constant `inputs` (nil for omitted optional inputs) under `opset`.
    static func evaluate(_ node: Node, inputs: [ConstantTensor?], opset: Int) throws -> [ConstantTensor] {
        func input(_ index: Int) throws -> ConstantTensor {
            guard index < inputs.count, let value = inputs[index] else {
                throw node.invalid("missing input \(index)")
            }
            return value
        }
        func optional(_ index: Int) -> ConstantTensor? { index < inputs.count ? inputs[index] : nil }

        switch node.opType {
        case "Constant":
            return [try constantAttribute(node)]
        case "ConstantOfShape":
            let shape = try input(0).indices
            var fill = ConstantTensor(shape: [1], floats: [0])
            if case .tensor(let data)? = node.attributes["value"] { fill = try ConstantTensor(data, name: node.name) }
            let count = Shapes.count(shape)
            switch fill.storage {
            case .float(let v): return [ConstantTensor(shape: shape, floats: [Float](repeating: v.first ?? 0, count: count))]
            case .int(let v): return [ConstantTensor(shape: shape, ints: [Int64](repeating: v.first ?? 0, count: count))]
            }
        case "Shape":
            return [try shapeOf(try input(0).shape, node: node)]
        case "Identity", "Dropout":
            return [try input(0)]
        case "Cast":
            let target = ElementType(rawValue: Int32(try node.intAttribute("to", default: 1)))
            let value = try input(0)
            switch target {
            case .float, .double, .float16, .bfloat16: return [ConstantTensor(shape: value.shape, floats: value.floats)]
            case .bool: return [ConstantTensor(shape: value.shape, ints: value.floats.map { $0 != 0 ? 1 : 0 })]
            default: return [ConstantTensor(shape: value.shape, ints: value.ints)]
            }
        case "Reshape":
            let value = try input(0)
            let shape = try ShapeRules.reshape(
                value.shape, target: try input(1).indices, allowZero: try node.intAttribute("allowzero", default: 0) != 0,
                node: node)
            return [value.reshaped(shape)]
        case "Flatten":
            let value = try input(0)
            return [value.reshaped(try ShapeRules.flatten(value.shape, axis: try node.intAttribute("axis", default: 1), node: node))]
        case "Squeeze":
            let value = try input(0)
            let axes = opset >= 13 ? optional(1)?.indices : try node.intsAttribute("axes")
            return [value.reshaped(try ShapeRules.squeeze(value.shape, axes: axes, node: node))]
        case "Unsqueeze":
            let value = try input(0)
            guard let axes = opset >= 13 ? optional(1)?.indices : try node.intsAttribute("axes") else {
                throw node.invalid("missing axes")
            }
            return [value.reshaped(try ShapeRules.unsqueeze(value.shape, axes: axes, node: node))]
        case "Concat":
            return [try concat(inputs.compactMap { $0 }, axis: try node.intAttribute("axis", default: 0), node: node)]
        case "Slice":
            let value = try input(0)
            let map: (shape: [Int], indices: [Int])
            if opset >= 10 {
                map = try ShapeRules.slice(
                    value.shape, starts: try input(1).indices, ends: try input(2).indices,
                    axes: optional(3)?.indices, steps: optional(4)?.indices, node: node)
            } else {
                map = try ShapeRules.slice(
                    value.shape, starts: try node.intsAttribute("starts") ?? [], ends: try node.intsAttribute("ends") ?? [],
                    axes: try node.intsAttribute("axes"), steps: nil, node: node)
            }
            return [value.gathered(shape: map.shape, sourceIndices: map.indices)]
        case "Transpose":
            let value = try input(0)
            let map = try ShapeRules.transpose(value.shape, perm: try node.intsAttribute("perm"), node: node)
            return [value.gathered(shape: map.shape, sourceIndices: map.indices)]
        case "Gather":
            let value = try input(0)
            let indices = try input(1)
            let map = try ShapeRules.gather(
                value.shape, axis: try node.intAttribute("axis", default: 0), indices: indices.indices,
                indicesShape: indices.shape, node: node)
            return [value.gathered(shape: map.shape, sourceIndices: map.sourceIndices)]
        case "Add", "Sub", "Mul", "Div":
            return [try arithmetic(node, try input(0), try input(1))]
        default:
            throw node.invalid("no constant evaluation")
        }
    }

    /// Shape (opset 15 adds `start` and `end`) as an int64 vector.
    static func shapeOf(_ shape: [Int], node: Node) throws -> ConstantTensor {
        let rank = shape.count
        func clamp(_ x: Int) -> Int { min(max(x < 0 ? x + rank : x, 0), rank) }
        let start = clamp(try node.intAttribute("start", default: 0))
        let end = clamp(try node.intAttribute("end", default: rank))
        let slice = start < end ? Array(shape[start..<end]) : []
        return ConstantTensor(shape: [slice.count], ints: slice.map { Int64($0) })
    }

    private static func constantAttribute(_ node: Node) throws -> ConstantTensor {
        switch (node.attributes["value"], node.attributes["value_float"], node.attributes["value_floats"],
            node.attributes["value_int"], node.attributes["value_ints"])
        {
        case (.tensor(let data)?, _, _, _, _): return try ConstantTensor(data, name: node.outputs.first ?? node.name)
        case (_, .float(let x)?, _, _, _): return ConstantTensor(shape: [], floats: [x])
        case (_, _, .floats(let x)?, _, _): return ConstantTensor(shape: [x.count], floats: x)
        case (_, _, _, .int(let x)?, _): return ConstantTensor(shape: [], ints: [Int64(x)])
        case (_, _, _, _, .ints(let x)?): return ConstantTensor(shape: [x.count], ints: x.map { Int64($0) })
        default: throw node.invalid("needs a value, value_float(s) or value_int(s) attribute")
        }
    }

    private static func concat(_ values: [ConstantTensor], axis a: Int, node: Node) throws -> ConstantTensor {
        guard let first = values.first else { throw node.invalid("no inputs") }
        let axis = try ShapeRules.axis(a, rank: first.shape.count, node: node)
        var shape = first.shape
        shape[axis] = values.map { $0.shape[axis] }.reduce(0, +)
        let outer = first.shape[..<axis].reduce(1, *)
        for value in values where value.shape.count != shape.count {
            throw RuntimeError.shapeMismatch(node: node.name, opType: node.opType, shapes: values.map(\.shape))
        }
        if values.allSatisfy({ !$0.isFloat }) {
            var result: [Int64] = []
            for o in 0..<outer {
                for value in values {
                    let block = value.count / max(outer, 1)
                    result += value.ints[(o * block)..<((o + 1) * block)]
                }
            }
            return ConstantTensor(shape: shape, ints: result)
        }
        var result: [Float] = []
        for o in 0..<outer {
            for value in values {
                let block = value.count / max(outer, 1)
                result += value.floats[(o * block)..<((o + 1) * block)]
            }
        }
        return ConstantTensor(shape: shape, floats: result)
    }

    private static func arithmetic(_ node: Node, _ a: ConstantTensor, _ b: ConstantTensor) throws -> ConstantTensor {
        guard let shape = Shapes.broadcast(a.shape, b.shape) else {
            throw RuntimeError.shapeMismatch(node: node.name, opType: node.opType, shapes: [a.shape, b.shape])
        }
        let left = Shapes.stridedIndices(shape: shape, sourceStrides: Shapes.broadcastStrides(a.shape, to: shape))
        let right = Shapes.stridedIndices(shape: shape, sourceStrides: Shapes.broadcastStrides(b.shape, to: shape))
        if !a.isFloat && !b.isFloat {
            let x = a.ints, y = b.ints
            let values = zip(left, right).map { (i, j) -> Int64 in
                switch node.opType {
                case "Add": return x[i] &+ y[j]
                case "Sub": return x[i] &- y[j]
                case "Mul": return x[i] &* y[j]
                default: return y[j] == 0 ? 0 : x[i] / y[j]
                }
            }
            return ConstantTensor(shape: shape, ints: values)
        }
        let x = a.floats, y = b.floats
        let values = zip(left, right).map { (i, j) -> Float in
            switch node.opType {
            case "Add": return x[i] + y[j]
            case "Sub": return x[i] - y[j]
            case "Mul": return x[i] * y[j]
            default: return x[i] / y[j]
            }
        }
        return ConstantTensor(shape: shape, floats: values)
    }
}
