import Graph

extension PlanBuilder {
    /// Flatten, Reshape, Squeeze, Unsqueeze, Identity, Dropout (inference) and float-to-float
    /// Cast: zero-copy views that share their input's buffer.
    mutating func planView(_ node: Node) throws {
        let x = try activation(node, 0)
        let shape: [Int]
        switch node.opType {
        case "Flatten":
            shape = try ShapeRules.flatten(x.shape, axis: try node.intAttribute("axis", default: 1), node: node)
        case "Reshape":
            let target = try requireConstant(node, 1).indices
            shape = try ShapeRules.reshape(
                x.shape, target: target, allowZero: try node.intAttribute("allowzero", default: 0) != 0, node: node)
        case "Squeeze":
            let axes = opset >= 13 ? (node.input(1) == nil ? nil : try requireConstant(node, 1).indices) : try node.intsAttribute("axes")
            shape = try ShapeRules.squeeze(x.shape, axes: axes, node: node)
        case "Unsqueeze":
            let axes = opset >= 13 ? try requireConstant(node, 1).indices : try node.intsAttribute("axes")
            guard let axes else { throw node.invalid("missing axes") }
            shape = try ShapeRules.unsqueeze(x.shape, axes: axes, node: node)
        case "Cast":
            let target = ElementType(rawValue: Int32(try node.intAttribute("to", default: 1)))
            guard [.float, .double, .float16, .bfloat16].contains(target) else {
                throw node.invalid("casting an activation to \(target) is not supported; activations are float")
            }
            shape = x.shape
        default:
            shape = x.shape
        }
        alias(node.outputs[0], to: x, shape: shape)
        if node.opType == "Dropout", node.outputs.count > 1, !node.outputs[1].isEmpty {
            throw node.invalid("the mask output of Dropout is not supported")
        }
    }

    /// Transpose, Slice and Gather (constant indices) on activations, as precomputed gathers.
    mutating func planGather(_ node: Node) throws {
        let x = try activation(node, 0)
        let map: (shape: [Int], indices: [Int])
        switch node.opType {
        case "Transpose":
            map = try ShapeRules.transpose(x.shape, perm: try node.intsAttribute("perm"), node: node)
        case "Slice":
            if opset >= 10 {
                let axes = node.input(3) == nil ? nil : try requireConstant(node, 3).indices
                let steps = node.input(4) == nil ? nil : try requireConstant(node, 4).indices
                map = try ShapeRules.slice(
                    x.shape, starts: try requireConstant(node, 1).indices, ends: try requireConstant(node, 2).indices,
                    axes: axes, steps: steps, node: node)
            } else {
                map = try ShapeRules.slice(
                    x.shape, starts: try node.intsAttribute("starts") ?? [], ends: try node.intsAttribute("ends") ?? [],
                    axes: try node.intsAttribute("axes"), steps: nil, node: node)
            }
        default:
            let indices = try requireConstant(node, 1)
            let gathered = try ShapeRules.gather(
                x.shape, axis: try node.intAttribute("axis", default: 0), indices: indices.indices,
                indicesShape: indices.shape, node: node)
            map = (gathered.shape, gathered.sourceIndices)
        }
        let y = output(node.outputs[0], shape: map.shape)
        let threads = self.threads
        addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
            gather(input: table[x.buffer], sourceIndices: map.indices, output: table[y.buffer], threads: threads)
        }
    }

    /// Pad (constant, reflect, edge). When optimizing, a zero Pad of the spatial axes that
    /// feeds only a Conv becomes extra Conv padding and costs nothing.
    mutating func planPad(_ node: Node) throws {
        let x = try activation(node, 0)
        let rank = x.shape.count
        guard let mode = PadMode(rawValue: try node.stringAttribute("mode", default: "constant")) else {
            throw node.invalid("unknown mode '\(try node.stringAttribute("mode", default: ""))'")
        }
        var pads: [Int]
        var fill: Float
        if opset >= 11 {
            pads = try requireConstant(node, 1).indices
            fill = node.input(2) == nil ? 0 : try requireConstant(node, 2).floats.first ?? 0
        } else {
            pads = try node.intsAttribute("pads") ?? node.intsAttribute("paddings") ?? []
            fill = try node.floatAttribute("value", default: 0)
        }
        if opset >= 18, node.input(3) != nil {
            let axes = try requireConstant(node, 3).indices.map { try ShapeRules.axis($0, rank: rank, node: node) }
            var full = [Int](repeating: 0, count: 2 * rank)
            for (i, axis) in axes.enumerated() {
                full[axis] = pads[i]
                full[rank + axis] = pads[axes.count + i]
            }
            pads = full
        }
        guard pads.count == 2 * rank else { throw node.invalid("pads \(pads) do not fit rank \(rank)") }
        let before = Array(pads[..<rank])
        let after = Array(pads[rank...])

        if try foldPadIntoConvolution(node, input: x, before: before, after: after, mode: mode, fill: fill) { return }

        let map = padSourceIndices(inputShape: x.shape, before: before, after: after, mode: mode)
        guard map.shape.allSatisfy({ $0 >= 0 }), mode == .constant || x.shape.allSatisfy({ $0 > 0 }) else {
            throw node.invalid("pads \(pads) do not fit input \(x.shape)")
        }
        let y = output(node.outputs[0], shape: map.shape)
        let threads = self.threads
        addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
            gatherOrFill(input: table[x.buffer], sourceIndices: map.indices, fill: fill, output: table[y.buffer], threads: threads)
        }
    }

    private mutating func foldPadIntoConvolution(
        _ node: Node, input: PlannedValue, before: [Int], after: [Int], mode: PadMode, fill: Float
    ) throws -> Bool {
        let rank = input.shape.count
        guard optimize, mode == .constant, fill == 0, rank == 3 || rank == 4,
            before[..<2].allSatisfy({ $0 == 0 }), after[..<2].allSatisfy({ $0 == 0 }),
            (before + after).allSatisfy({ $0 >= 0 }),
            let index = soleConsumer(node.outputs[0]), graph.nodes[index].opType == "Conv",
            graph.nodes[index].inputs.first == node.outputs[0], foldedPads[index] == nil,
            try graph.nodes[index].stringAttribute("auto_pad", default: "NOTSET") == "NOTSET"
        else { return false }
        foldedPads[index] = Array(before[2...]) + Array(after[2...])
        alias(node.outputs[0], to: input, shape: input.shape)
        return true
    }
}
