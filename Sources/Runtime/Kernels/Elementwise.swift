import Foundation

/// Unary elementwise operators.
enum UnaryOperator {
    case activation(Activation)
    case sigmoid

    func apply(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int, threads: Int) {
        parallelFor(count, threads: threads, minimumChunk: 32_768) { range in
            let source = input + range.lowerBound
            let out = output + range.lowerBound
            let n = range.count
            switch self {
            case .activation(let activation):
                if source != UnsafePointer(out) { out.update(from: source, count: n) }
                activation.apply(out, count: n)
            case .sigmoid:
                for i in 0..<n { out[i] = 1 / (1 + exp(-source[i])) }
            }
        }
    }
}

/// Binary elementwise operators with numpy broadcasting.
enum BinaryOperator {
    case add, subtract, multiply, divide

    @inline(__always)
    func combine(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        }
    }

    /// Computes `output = a ∘ b` over `outputShape`, reading `a` and `b` through broadcast
    /// strides (0 on broadcast axes), then applies `activation`. Parallel over rows of the last axis.
    func apply(
        a: UnsafePointer<Float>, aStrides: [Int], b: UnsafePointer<Float>, bStrides: [Int],
        output: UnsafeMutablePointer<Float>, outputShape: [Int], activation: Activation, threads: Int
    ) {
        let rank = outputShape.count
        let total = Shapes.count(outputShape)
        if total == 0 { return }
        let inner = rank == 0 ? 1 : outputShape[rank - 1]
        let innerA = rank == 0 ? 0 : aStrides[rank - 1]
        let innerB = rank == 0 ? 0 : bStrides[rank - 1]
        let rows = total / inner
        let outerShape = Array(outputShape.dropLast())

        parallelFor(rows, threads: threads, minimumChunk: max(1, 32_768 / max(1, inner))) { range in
            for row in range {
                var offsetA = 0
                var offsetB = 0
                var remainder = row
                for axis in stride(from: outerShape.count - 1, through: 0, by: -1) {
                    let index = remainder % outerShape[axis]
                    remainder /= outerShape[axis]
                    offsetA += index * aStrides[axis]
                    offsetB += index * bStrides[axis]
                }
                let x = a + offsetA
                let y = b + offsetB
                let out = output + row * inner
                combineRow(x, innerA, y, innerB, out, inner)
                activation.apply(out, count: inner)
            }
        }
    }

    @inline(__always)
    private func combineRow(
        _ x: UnsafePointer<Float>, _ strideX: Int, _ y: UnsafePointer<Float>, _ strideY: Int,
        _ out: UnsafeMutablePointer<Float>, _ count: Int
    ) {
        switch (strideX, strideY) {
        case (1, 1):
            for i in 0..<count { out[i] = combine(x[i], y[i]) }
        case (1, 0):
            let value = y[0]
            for i in 0..<count { out[i] = combine(x[i], value) }
        case (0, 1):
            let value = x[0]
            for i in 0..<count { out[i] = combine(value, y[i]) }
        default:
            for i in 0..<count { out[i] = combine(x[i * strideX], y[i * strideY]) }
        }
    }
}
