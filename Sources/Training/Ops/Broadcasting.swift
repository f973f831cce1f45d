import Graph

/// Multidirectional (NumPy-style) broadcasting of two shapes, as ONNX Add uses.
struct Broadcast {
    let outputShape: [Int]
    /// For each output element, the element offset in each input; empty when the shapes are equal.
    let offsetsA: [Int]
    let offsetsB: [Int]

    init?(_ a: [Int], _ b: [Int]) {
        let rank = max(a.count, b.count)
        let paddedA = Array(repeating: 1, count: rank - a.count) + a
        let paddedB = Array(repeating: 1, count: rank - b.count) + b
        var shape: [Int] = []
        for (da, db) in zip(paddedA, paddedB) {
            guard da == db || da == 1 || db == 1 else { return nil }
            shape.append(da == 1 ? db : da)
        }
        outputShape = shape
        if a == b {
            offsetsA = []
            offsetsB = []
            return
        }
        offsetsA = Broadcast.offsets(of: paddedA, in: shape)
        offsetsB = Broadcast.offsets(of: paddedB, in: shape)
    }

    /// Offsets into a row-major tensor of `shape` (same rank as `output`, extents 1 broadcast).
    private static func offsets(of shape: [Int], in output: [Int]) -> [Int] {
        let strides = zip(shape, RowMajor.strides(shape)).map { extent, stride in extent == 1 ? 0 : stride }
        return RowMajor.offsets(shape: output, strides: strides)
    }
}

/// Add with broadcasting; the gradient of a broadcast input sums over the broadcast axes.
final class AddKernel: Kernel {
    private var broadcast: Broadcast?
    /// Input shapes that `broadcast` was planned for.
    private var plannedShapes: [[Int]] = []

    override func forward(_ context: ForwardContext) throws {
        let b = inputs[1]!
        if broadcast == nil || plannedShapes != [x.shape, b.shape] {
            guard let plan = Broadcast(x.shape, b.shape) else {
                throw shapeError("Add cannot broadcast \(x.shape) with \(b.shape)")
            }
            broadcast = plan
            plannedShapes = [x.shape, b.shape]
        }
        let plan = broadcast!
        let count = plan.outputShape.reduce(1, *)
        y.assign(shape: plan.outputShape, count: count)
        x.data.withUnsafeBufferPointer { a in
            b.data.withUnsafeBufferPointer { bb in
                y.data.withUnsafeMutableBufferPointer { out in
                    if plan.offsetsA.isEmpty {
                        for i in 0..<count { out[i] = a[i] + bb[i] }
                    } else {
                        for i in 0..<count { out[i] = a[plan.offsetsA[i]] + bb[plan.offsetsB[i]] }
                    }
                }
            }
        }
    }

    override func backward() {
        let plan = broadcast!
        for (index, offsets) in [(0, plan.offsetsA), (1, plan.offsetsB)] where needsGradient(index) {
            let input = inputs[index]!
            y.grad.withUnsafeBufferPointer { dy in
                input.grad.withUnsafeMutableBufferPointer { dx in
                    if offsets.isEmpty {
                        accumulate(dy, into: dx)
                    } else {
                        for i in 0..<dy.count { dx[offsets[i]] += dy[i] }
                    }
                }
            }
        }
    }
}
