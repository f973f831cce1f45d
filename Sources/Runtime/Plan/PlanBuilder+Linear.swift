import Graph

/// A matrix operand: an activation buffer, or a constant's decoded elements. Constants stay
/// in the session's arrays, so large weights (VGG's 400 MB classifier) are not copied per plan.
enum Operand {
    case buffer(PlannedValue)
    case constant(shape: [Int], values: [Float])

    var shape: [Int] {
        switch self {
        case .buffer(let value): return value.shape
        case .constant(let shape, _): return shape
        }
    }

    var buffers: [Int] {
        if case .buffer(let value) = self { return [value.buffer] }
        return []
    }

    func withPointer<R>(_ table: BufferTable, _ body: (UnsafePointer<Float>) -> R) -> R {
        switch self {
        case .buffer(let value): return body(table[value.buffer])
        case .constant(_, let values): return values.withUnsafeBufferPointer { body($0.baseAddress!) }
        }
    }
}

extension PlanBuilder {
    /// Input `position` as a matrix operand: a constant when known before execution.
    mutating func operand(_ node: Node, _ position: Int) throws -> Operand {
        if let name = node.input(position), values[name] == nil, let value = try constant(name), value.count > 0 {
            return .constant(shape: value.shape, values: value.floats)
        }
        return .buffer(try activation(node, position))
    }

    /// Gemm (alpha, beta, transA, transB, broadcast C), with Relu/Clip fused when optimizing.
    /// A constant B or C is read from the session's decoded weights, not copied into the plan.
    mutating func planGemm(_ node: Node) throws {
        let a = try activation(node, 0)
        let b = try operand(node, 1)
        guard a.shape.count == 2, b.shape.count == 2 else {
            throw RuntimeError.shapeMismatch(node: node.name, opType: node.opType, shapes: [a.shape, b.shape])
        }
        let transposeA = try node.intAttribute("transA", default: 0) != 0
        let transposeB = try node.intAttribute("transB", default: 0) != 0
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kB, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == kB else {
            throw RuntimeError.shapeMismatch(node: node.name, opType: node.opType, shapes: [a.shape, b.shape])
        }

        var c: Operand?
        var cStrides = (row: 0, column: 0)
        if node.input(2) != nil {
            let value = try operand(node, 2)
            guard value.shape.count <= 2, Shapes.broadcast(value.shape, [m, n]) == [m, n] else {
                throw RuntimeError.shapeMismatch(node: node.name, opType: node.opType, shapes: [[m, n], value.shape])
            }
            let strides = Shapes.broadcastStrides(value.shape, to: [m, n])
            cStrides = (strides[0], strides[1])
            c = value
        }
        var parameters = GemmParameters(
            m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
            alpha: try node.floatAttribute("alpha", default: 1), beta: try node.floatAttribute("beta", default: 1),
            activation: .none)
        let name: String
        (parameters.activation, name) = try fuseActivation(after: node.outputs[0])
        let y = output(name, shape: [m, n])
        let reads = [a.buffer] + b.buffers + (c?.buffers ?? [])
        let strides = cStrides
        let threads = self.threads
        addStep(node, reads: reads, writes: [y.buffer]) { table in
            b.withPointer(table) { bPointer in
                if let c {
                    c.withPointer(table) { cPointer in
                        gemm(parameters, a: table[a.buffer], b: bPointer, c: cPointer, cStrides: strides, output: table[y.buffer], threads: threads)
                    }
                } else {
                    gemm(parameters, a: table[a.buffer], b: bPointer, c: nil, cStrides: strides, output: table[y.buffer], threads: threads)
                }
            }
        }
    }

    /// MatMul with numpy semantics: 1-D operands gain and lose an axis, leading axes broadcast.
    mutating func planMatMul(_ node: Node) throws {
        let a = try activation(node, 0)
        let b = try operand(node, 1)
        let aShape = a.shape.count == 1 ? [1] + a.shape : a.shape
        let bShape = b.shape.count == 1 ? b.shape + [1] : b.shape
        guard aShape.count >= 2, bShape.count >= 2, aShape[aShape.count - 1] == bShape[bShape.count - 2],
            let batchShape = Shapes.broadcast(Array(aShape.dropLast(2)), Array(bShape.dropLast(2)))
        else {
            throw RuntimeError.shapeMismatch(node: node.name, opType: node.opType, shapes: [a.shape, b.shape])
        }
        let m = aShape[aShape.count - 2]
        let k = aShape[aShape.count - 1]
        let n = bShape[bShape.count - 1]
        var shape = batchShape + [m, n]
        if a.shape.count == 1 { shape.remove(at: shape.count - 2) }
        if b.shape.count == 1 { shape.removeLast() }

        // A batched A times one B matrix is one GEMM with the batches stacked as rows.
        let aOffsets: [Int]
        let bOffsets: [Int]
        let rows: Int
        if bShape.count == 2 {
            rows = Shapes.count(aShape) / max(k, 1)
            aOffsets = [0]
            bOffsets = [0]
        } else {
            rows = m
            let aBatch = Shapes.broadcastStrides(Array(aShape.dropLast(2)), to: batchShape).map { $0 * m * k }
            let bBatch = Shapes.broadcastStrides(Array(bShape.dropLast(2)), to: batchShape).map { $0 * k * n }
            aOffsets = Shapes.stridedIndices(shape: batchShape, sourceStrides: aBatch)
            bOffsets = Shapes.stridedIndices(shape: batchShape, sourceStrides: bBatch)
        }
        let y = output(node.outputs[0], shape: shape)
        let threads = self.threads
        addStep(node, reads: [a.buffer] + b.buffers, writes: [y.buffer]) { table in
            b.withPointer(table) { bPointer in
                batchedMatMul(
                    m: rows, n: n, k: k, a: table[a.buffer], aOffsets: aOffsets, b: bPointer, bOffsets: bOffsets,
                    output: table[y.buffer], threads: threads)
            }
        }
    }

    /// Softmax: opset 13 normalizes along one axis (default -1); earlier opsets flatten the
    /// input to 2-D at `axis` (default 1) and normalize each row.
    mutating func planSoftmax(_ node: Node) throws {
        let x = try activation(node, 0)
        let rank = x.shape.count
        let axis = try ShapeRules.axis(try node.intAttribute("axis", default: opset >= 13 ? -1 : 1), rank: rank, node: node)
        let outer = x.shape[..<axis].reduce(1, *)
        let axisLength = opset >= 13 ? x.shape[axis] : x.shape[axis...].reduce(1, *)
        let inner = opset >= 13 ? x.shape[(axis + 1)...].reduce(1, *) : 1
        let y = output(node.outputs[0], shape: x.shape)
        let threads = self.threads
        addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
            softmax(
                input: table[x.buffer], output: table[y.buffer], outer: outer, axisLength: axisLength, inner: inner,
                threads: threads)
        }
    }

    /// ReduceMean: axes from the attribute (before opset 18) or the optional input.
    mutating func planReduceMean(_ node: Node) throws {
        let x = try activation(node, 0)
        let rank = x.shape.count
        let axes: [Int]?
        if opset >= 18 {
            axes = node.input(1) == nil ? nil : try requireConstant(node, 1).indices
        } else {
            axes = try node.intsAttribute("axes")
        }
        let keepDimensions = try node.intAttribute("keepdims", default: 1) != 0
        if (axes ?? []).isEmpty, try node.intAttribute("noop_with_empty_axes", default: 0) != 0 {
            alias(node.outputs[0], to: x, shape: x.shape)
            return
        }
        let reduced = try Set((axes ?? []).isEmpty ? Array(0..<rank) : axes!.map { try ShapeRules.axis($0, rank: rank, node: node) })
        let kept = x.shape.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element }
        let shape = keepDimensions ? kept : x.shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        let y = output(node.outputs[0], shape: shape)
        let inputShape = x.shape
        let threads = self.threads
        addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
            reduceMean(
                input: table[x.buffer], inputShape: inputShape, reducedAxes: reduced, output: table[y.buffer],
                threads: threads)
        }
    }
}
