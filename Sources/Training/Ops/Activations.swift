import Graph

/// Relu: y = max(x, 0); the gradient passes where x > 0.
final class ReluKernel: Kernel {
    override func forward(_ context: ForwardContext) throws {
        y.assign(shape: x.shape, count: x.count)
        x.data.withUnsafeBufferPointer { input in
            y.data.withUnsafeMutableBufferPointer { output in
                for i in 0..<input.count { output[i] = max(input[i], 0) }
            }
        }
    }

    override func backward() {
        guard needsGradient(0) else { return }
        x.data.withUnsafeBufferPointer { input in
            y.grad.withUnsafeBufferPointer { dy in
                x.grad.withUnsafeMutableBufferPointer { dx in
                    for i in 0..<input.count where input[i] > 0 { dx[i] += dy[i] }
                }
            }
        }
    }
}

/// Clip: bounds from inputs 1 and 2 (opset 11 and later) or from `min`/`max` attributes.
/// The gradient passes where min < x < max.
final class ClipKernel: Kernel {
    private var bounds: (lower: Float, upper: Float) = (-.infinity, .infinity)

    override func forward(_ context: ForwardContext) throws {
        var lower = node.floatAttribute("min", default: -.infinity)
        var upper = node.floatAttribute("max", default: .infinity)
        if inputs.count > 1, let slot = inputs[1], let value = slot.data.first { lower = value }
        if inputs.count > 2, let slot = inputs[2], let value = slot.data.first { upper = value }
        bounds = (lower, upper)
        y.assign(shape: x.shape, count: x.count)
        x.data.withUnsafeBufferPointer { input in
            y.data.withUnsafeMutableBufferPointer { output in
                for i in 0..<input.count { output[i] = min(max(input[i], lower), upper) }
            }
        }
    }

    override func backward() {
        guard needsGradient(0) else { return }
        let (lower, upper) = bounds
        x.data.withUnsafeBufferPointer { input in
            y.grad.withUnsafeBufferPointer { dy in
                x.grad.withUnsafeMutableBufferPointer { dx in
                    for i in 0..<input.count where input[i] > lower && input[i] < upper { dx[i] += dy[i] }
                }
            }
        }
    }
}

/// Identity, and Dropout in evaluation mode: y = x.
final class IdentityKernel: Kernel {
    override func forward(_ context: ForwardContext) throws {
        y.shape = x.shape
        y.data = x.data
    }

    override func backward() {
        guard needsGradient(0) else { return }
        y.grad.withUnsafeBufferPointer { dy in
            x.grad.withUnsafeMutableBufferPointer { dx in accumulate(dy, into: dx) }
        }
    }
}

/// Dropout: in training mode zeroes each element with probability `ratio` and scales the
/// rest by 1 / (1 − ratio) (inverted dropout); in evaluation mode passes x through.
/// The mask comes from a SplitMix64 stream seeded by the step seed and the node's position,
/// so a resumed run draws the same masks.
final class DropoutKernel: Kernel {
    private let ratio: Float
    private let streamIndex: UInt64
    private var mask: [Float] = []

    init(node: Node, inputs: [ValueSlot?], outputs: [ValueSlot], ratio: Float, streamIndex: Int) {
        self.ratio = ratio
        self.streamIndex = UInt64(streamIndex)
        super.init(node: node, inputs: inputs, outputs: outputs)
    }

    override func forward(_ context: ForwardContext) throws {
        y.assign(shape: x.shape, count: x.count)
        guard context.training, ratio > 0 else {
            mask = [Float](repeating: 1, count: x.count)
            y.data = x.data
            return
        }
        var generator = SplitMix64(seed: context.seed &+ streamIndex &* 0x9E37_79B9_7F4A_7C15)
        let keep = 1 / (1 - ratio)
        mask = (0..<x.count).map { _ in generator.nextUnitFloat() < ratio ? 0 : keep }
        for i in 0..<x.count { y.data[i] = x.data[i] * mask[i] }
    }

    override func backward() {
        guard needsGradient(0) else { return }
        for i in 0..<x.count { x.grad[i] += y.grad[i] * mask[i] }
    }
}
