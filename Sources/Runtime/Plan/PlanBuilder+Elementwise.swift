import Graph

extension PlanBuilder {
    /// Relu, Clip and Sigmoid.
    mutating func planUnary(_ node: Node) throws {
        let x = try activation(node, 0)
        let unary: UnaryOperator
        if node.opType == "Sigmoid" {
            unary = .sigmoid
        } else if let activation = try unaryActivation(node) {
            unary = .activation(activation)
        } else {
            throw RuntimeError.dynamicValue(node: node.name, value: node.inputs.dropFirst().joined(separator: ", "))
        }
        let y = output(node.outputs[0], shape: x.shape)
        let count = Shapes.count(x.shape)
        let threads = self.threads
        addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
            unary.apply(input: table[x.buffer], output: table[y.buffer], count: count, threads: threads)
        }
    }

    /// Add, Sub, Mul and Div with numpy broadcasting, with Relu/Clip fused when optimizing.
    mutating func planBinary(_ node: Node) throws {
        let a = try activation(node, 0)
        let b = try activation(node, 1)
        guard let shape = Shapes.broadcast(a.shape, b.shape) else {
            throw RuntimeError.shapeMismatch(node: node.name, opType: node.opType, shapes: [a.shape, b.shape])
        }
        let binary: BinaryOperator =
            switch node.opType {
            case "Add": .add
            case "Sub": .subtract
            case "Mul": .multiply
            default: .divide
            }
        let (activation, name) = try fuseActivation(after: node.outputs[0])
        let y = output(name, shape: shape)
        let collapsed = Self.collapse(
            shape: shape, Shapes.broadcastStrides(a.shape, to: shape), Shapes.broadcastStrides(b.shape, to: shape))
        let threads = self.threads
        addStep(node, reads: [a.buffer, b.buffer], writes: [y.buffer]) { table in
            binary.apply(
                a: table[a.buffer], aStrides: collapsed.a, b: table[b.buffer], bStrides: collapsed.b,
                output: table[y.buffer], outputShape: collapsed.shape, activation: activation, threads: threads)
        }
    }

    /// Merges adjacent axes that both operands traverse contiguously (or both broadcast), so
    /// that equal shapes become one long row and per-channel operands become rows of a plane.
    static func collapse(shape: [Int], _ a: [Int], _ b: [Int]) -> (shape: [Int], a: [Int], b: [Int]) {
        var shapeOut: [Int] = []
        var aOut: [Int] = []
        var bOut: [Int] = []
        for axis in shape.indices where shape[axis] != 1 {
            if let last = shapeOut.indices.last,
                aOut[last] == a[axis] * shape[axis], bOut[last] == b[axis] * shape[axis]
            {
                shapeOut[last] *= shape[axis]
                aOut[last] = a[axis]
                bOut[last] = b[axis]
            } else {
                shapeOut.append(shape[axis])
                aOut.append(a[axis])
                bOut.append(b[axis])
            }
        }
        return shapeOut.isEmpty ? ([1], [0], [0]) : (shapeOut, aOut, bOut)
    }

    /// Concat along one axis.
    mutating func planConcat(_ node: Node) throws {
        var inputs: [PlannedValue] = []
        for position in node.inputs.indices where node.input(position) != nil {
            inputs.append(try activation(node, position))
        }
        guard let first = inputs.first else { throw node.invalid("no inputs") }
        let axis = try ShapeRules.axis(try node.intAttribute("axis", default: 0), rank: first.shape.count, node: node)
        var shape = first.shape
        shape[axis] = 0
        for input in inputs {
            var other = input.shape
            other[axis] = 0
            guard other == shape.enumerated().map({ $0.offset == axis ? 0 : $0.element }) else {
                throw RuntimeError.shapeMismatch(node: node.name, opType: node.opType, shapes: inputs.map(\.shape))
            }
        }
        shape[axis] = inputs.map { $0.shape[axis] }.reduce(0, +)
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let lengths = inputs.map { $0.shape[axis] * inner }
        let ids = inputs.map(\.buffer)
        let y = output(node.outputs[0], shape: shape)
        let threads = self.threads
        addStep(node, reads: ids, writes: [y.buffer]) { table in
            concatenate(
                inputs: ids.map { UnsafePointer(table[$0]) }, blockLengths: lengths, outer: outer,
                output: table[y.buffer], threads: threads)
        }
    }
}
