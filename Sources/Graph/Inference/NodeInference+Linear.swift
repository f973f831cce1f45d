extension NodeInference {
    func gemm() throws -> ValueInfo {
        let data = try input(0)
        let a = try rankedShape(0)
        let b = try rankedShape(1)
        guard a.count == 2, b.count == 2 else { throw mismatch("inputs \(describe(a)) and \(describe(b)) must be matrices") }
        let transA = node.int("transA", default: 0) != 0
        let transB = node.int("transB", default: 0) != 0
        let (m, k) = transA ? (a[1], a[0]) : (a[0], a[1])
        let (innerB, n) = transB ? (b[1], b[0]) : (b[0], b[1])
        if let left = k.extent, let right = innerB.extent, left != right {
            throw mismatch("inner extents differ: A \(describe(a)) (transA \(transA)) and B \(describe(b)) (transB \(transB))")
        }
        return output(data.elementType, [m, n])
    }

    /// numpy.matmul shapes: 1-D operands gain and then lose a unit axis, batch axes broadcast.
    func matMul() throws -> ValueInfo {
        let data = try input(0)
        var a = try rankedShape(0)
        var b = try rankedShape(1)
        guard !a.isEmpty, !b.isEmpty else { throw mismatch("MatMul does not take scalars") }
        let promotedA = a.count == 1
        let promotedB = b.count == 1
        if promotedA { a.insert(.known(1), at: 0) }
        if promotedB { b.append(.known(1)) }
        if let left = a[a.count - 1].extent, let right = b[b.count - 2].extent, left != right {
            throw mismatch("inner extents differ: \(describe(a)) and \(describe(b))")
        }
        let batch = try broadcastShapes(Array(a.dropLast(2)), Array(b.dropLast(2))) ?? []
        var shape = batch + [a[a.count - 2], b[b.count - 1]]
        if promotedB { shape.removeLast() }
        if promotedA { shape.remove(at: shape.count - (promotedB ? 1 : 2)) }
        return output(data.elementType, shape)
    }

    func reduction() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        let keepDims = node.int("keepdims", default: 1) != 0
        let axesList = integerList(attribute: "axes", input: 1)
        let axes: Set<Int>
        switch axesList {
        case let .known(values) where !values.isEmpty:
            axes = Set(try values.map { try axis(Int($0), rank: x.count, attribute: "axes") })
        case .known, .absent:
            if node.int("noop_with_empty_axes", default: 0) != 0 { return data }
            axes = Set(x.indices)
        case .unknown:
            return output(data.elementType, keepDims ? [Dim](repeating: .unknown, count: x.count) : nil)
        }
        var shape: [Dim] = []
        for (index, dim) in x.enumerated() {
            if !axes.contains(index) { shape.append(dim) } else if keepDims { shape.append(.known(1)) }
        }
        return output(data.elementType, shape)
    }
}
