import Graph

/// Flatten and Reshape: same elements, new shape; the gradient is reshaped back.
final class ReshapeKernel: Kernel {
    /// Target shape of Reshape (may contain 0 and −1), or nil for Flatten.
    private let target: [Int]?
    private let axis: Int

    init(node: Node, inputs: [ValueSlot?], outputs: [ValueSlot], target: [Int]?) {
        self.target = target
        self.axis = node.intAttribute("axis", default: 1)
        super.init(node: node, inputs: inputs, outputs: outputs)
    }

    override func forward(_ context: ForwardContext) throws {
        y.shape = try outputShape()
        y.data = x.data
    }

    private func outputShape() throws -> [Int] {
        guard let target else {
            let split = axis < 0 ? axis + x.shape.count : axis
            guard split >= 0 && split <= x.shape.count else { throw shapeError("Flatten axis \(axis) for \(x.shape)") }
            return [x.shape[..<split].reduce(1, *), x.shape[split...].reduce(1, *)]
        }
        var shape = target.enumerated().map { index, extent in
            extent == 0 && index < x.shape.count ? x.shape[index] : extent
        }
        if let inferred = shape.firstIndex(of: -1) {
            let known = shape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            guard known > 0, x.count % known == 0 else { throw shapeError("cannot reshape \(x.shape) to \(target)") }
            shape[inferred] = x.count / known
        }
        guard shape.reduce(1, *) == x.count else { throw shapeError("cannot reshape \(x.shape) to \(target)") }
        return shape
    }

    override func backward() {
        guard needsGradient(0) else { return }
        y.grad.withUnsafeBufferPointer { dy in
            x.grad.withUnsafeMutableBufferPointer { dx in accumulate(dy, into: dx) }
        }
    }
}

/// Transpose by `perm` (default: reverse the axes); the gradient uses the inverse permutation.
final class TransposeKernel: Kernel {
    /// For each output element, the offset of its source element in the input.
    private var sourceOffsets: [Int] = []
    private var cachedShape: [Int] = []

    override func forward(_ context: ForwardContext) throws {
        let rank = x.shape.count
        let perm = node.intsAttribute("perm") ?? Array((0..<rank).reversed())
        guard perm.sorted() == Array(0..<rank) else { throw shapeError("perm \(perm) for input \(x.shape)") }
        let outputShape = perm.map { x.shape[$0] }
        if cachedShape != x.shape {
            let inputStrides = RowMajor.strides(x.shape)
            let permutedStrides = perm.map { inputStrides[$0] }
            sourceOffsets = RowMajor.offsets(shape: outputShape, strides: permutedStrides)
            cachedShape = x.shape
        }
        y.assign(shape: outputShape, count: x.count)
        for i in 0..<x.count { y.data[i] = x.data[sourceOffsets[i]] }
    }

    override func backward() {
        guard needsGradient(0) else { return }
        for i in 0..<x.count { x.grad[sourceOffsets[i]] += y.grad[i] }
    }
}

/// Concat along `axis`; the gradient splits back into the inputs.
final class ConcatKernel: Kernel {
    private var axis = 0

    override func forward(_ context: ForwardContext) throws {
        let parts = inputs.compactMap { $0 }
        let first = parts[0].shape
        axis = node.intAttribute("axis", default: 0)
        if axis < 0 { axis += first.count }
        guard axis >= 0 && axis < first.count else { throw shapeError("Concat axis \(axis) for \(first)") }
        for part in parts {
            var a = part.shape
            var b = first
            guard a.count == b.count else { throw shapeError("Concat ranks differ: \(part.shape) and \(first)") }
            a[axis] = 0
            b[axis] = 0
            guard a == b else { throw shapeError("Concat shapes differ off axis \(axis): \(part.shape) and \(first)") }
        }
        var shape = first
        shape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        y.assign(shape: shape, count: shape.reduce(1, *))
        let outer = first[..<axis].reduce(1, *)
        let inner = first[(axis + 1)...].reduce(1, *)
        let outputRow = shape[axis] * inner
        var column = 0
        for part in parts {
            let width = part.shape[axis] * inner
            for o in 0..<outer {
                for i in 0..<width { y.data[o * outputRow + column + i] = part.data[o * width + i] }
            }
            column += width
        }
    }

    override func backward() {
        let first = y.shape
        let outer = first[..<axis].reduce(1, *)
        let inner = first[(axis + 1)...].reduce(1, *)
        let outputRow = first[axis] * inner
        var column = 0
        for index in inputs.indices {
            guard let part = inputs[index] else { continue }
            let width = part.shape[axis] * inner
            if needsGradient(index) {
                for o in 0..<outer {
                    for i in 0..<width { part.grad[o * width + i] += y.grad[o * outputRow + column + i] }
                }
            }
            column += width
        }
    }
}
