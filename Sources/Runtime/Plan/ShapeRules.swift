import Graph

/// Output shapes and gather maps of the structural operators, shared by the constant
/// evaluator and the runtime planner so both follow the same ONNX rules.
enum ShapeRules {
    /// Reshape: 0 copies the input extent (unless `allowZero`), -1 takes the remaining count.
    static func reshape(_ input: [Int], target: [Int], allowZero: Bool, node: Node) throws -> [Int] {
        var shape = target
        var inferred: Int?
        for (axis, extent) in target.enumerated() {
            if extent == 0 && !allowZero {
                guard axis < input.count else { throw node.invalid("shape \(target) copies axis \(axis) of \(input)") }
                shape[axis] = input[axis]
            } else if extent == -1 {
                guard inferred == nil else { throw node.invalid("shape \(target) has more than one -1") }
                inferred = axis
            } else if extent < 0 {
                throw node.invalid("shape \(target) has a negative extent")
            }
        }
        let total = Shapes.count(input)
        if let inferred {
            let known = shape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            guard known > 0, total % known == 0 else { throw node.invalid("cannot reshape \(input) to \(target)") }
            shape[inferred] = total / known
        }
        guard Shapes.count(shape) == total else { throw node.invalid("cannot reshape \(input) to \(target)") }
        return shape
    }

    static func flatten(_ input: [Int], axis: Int, node: Node) throws -> [Int] {
        let rank = input.count
        let split = axis < 0 ? axis + rank : axis
        guard (0...rank).contains(split) else { throw node.invalid("axis \(axis) out of range for rank \(rank)") }
        return [input[..<split].reduce(1, *), input[split...].reduce(1, *)]
    }

    static func squeeze(_ input: [Int], axes: [Int]?, node: Node) throws -> [Int] {
        guard let axes else { return input.filter { $0 != 1 } }
        let normalized = try Set(axes.map { try axis($0, rank: input.count, node: node) })
        for a in normalized where input[a] != 1 {
            throw node.invalid("cannot squeeze axis \(a) of extent \(input[a])")
        }
        return input.enumerated().filter { !normalized.contains($0.offset) }.map(\.element)
    }

    static func unsqueeze(_ input: [Int], axes: [Int], node: Node) throws -> [Int] {
        let rank = input.count + axes.count
        let normalized = try Set(axes.map { try axis($0, rank: rank, node: node) })
        var source = input.makeIterator()
        return (0..<rank).map { normalized.contains($0) ? 1 : source.next()! }
    }

    static func axis(_ value: Int, rank: Int, node: Node) throws -> Int {
        guard let a = Shapes.normalize(axis: value, rank: rank) else {
            throw node.invalid("axis \(value) out of range for rank \(rank)")
        }
        return a
    }

    /// Transpose: output shape and, for each output element, the input element it copies.
    static func transpose(_ input: [Int], perm: [Int]?, node: Node) throws -> (shape: [Int], indices: [Int]) {
        let order = perm ?? Array((0..<input.count).reversed())
        guard order.sorted() == Array(0..<input.count) else {
            throw node.invalid("perm \(order) is not a permutation of the \(input.count) axes")
        }
        let strides = Shapes.strides(input)
        let shape = order.map { input[$0] }
        return (shape, Shapes.stridedIndices(shape: shape, sourceStrides: order.map { strides[$0] }))
    }

    /// Slice with per-axis starts, ends and steps (negative values count from the end;
    /// out-of-range values are clamped as ONNX specifies).
    static func slice(
        _ input: [Int], starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?, node: Node
    ) throws -> (shape: [Int], indices: [Int]) {
        let axes = try (axes ?? Array(0..<starts.count)).map { try axis($0, rank: input.count, node: node) }
        let steps = steps ?? [Int](repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw node.invalid("starts, ends, axes and steps differ in length")
        }
        var shape = input
        var begin = [Int](repeating: 0, count: input.count)
        var step = [Int](repeating: 1, count: input.count)
        for (i, a) in axes.enumerated() {
            let extent = input[a]
            guard steps[i] != 0 else { throw node.invalid("slice step is 0") }
            var start = starts[i] < 0 ? starts[i] + extent : starts[i]
            var end = ends[i] < 0 ? ends[i] + extent : ends[i]
            if steps[i] > 0 {
                start = min(max(start, 0), extent)
                end = min(max(end, 0), extent)
                shape[a] = max(0, (end - start + steps[i] - 1) / steps[i])
            } else {
                start = min(max(start, 0), extent - 1)
                end = min(max(end, -1), extent - 1)
                shape[a] = max(0, (start - end - steps[i] - 1) / -steps[i])
            }
            begin[a] = start
            step[a] = steps[i]
        }
        let strides = Shapes.strides(input)
        let base = zip(begin, strides).map { $0 * $1 }.reduce(0, +)
        let sourceStrides = zip(strides, step).map { $0 * $1 }
        return (shape, Shapes.stridedIndices(shape: shape, sourceStrides: sourceStrides, base: base))
    }

    /// Gather along `axis` with constant indices (negative indices count from the end).
    static func gather(_ input: [Int], axis a: Int, indices: [Int], indicesShape: [Int], node: Node) throws
        -> (shape: [Int], sourceIndices: [Int])
    {
        let a = try axis(a, rank: input.count, node: node)
        let extent = input[a]
        let resolved = try indices.map { index -> Int in
            let value = index < 0 ? index + extent : index
            guard (0..<extent).contains(value) else { throw node.invalid("gather index \(index) out of range") }
            return value
        }
        let outer = input[..<a].reduce(1, *)
        let inner = input[(a + 1)...].reduce(1, *)
        var sources: [Int] = []
        sources.reserveCapacity(outer * resolved.count * inner)
        for o in 0..<outer {
            for index in resolved {
                let base = (o * extent + index) * inner
                for i in 0..<inner { sources.append(base + i) }
            }
        }
        return (Array(input[..<a]) + indicesShape + Array(input[(a + 1)...]), sources)
    }
}
