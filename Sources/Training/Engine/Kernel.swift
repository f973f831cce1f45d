import Graph

/// Per-step settings that kernels read during the forward pass.
struct ForwardContext {
    /// True in training mode: BatchNormalization uses batch statistics and Dropout drops.
    var training: Bool
    /// Seed for this step's random draws (Dropout masks); derived from the session seed and step.
    var seed: UInt64
}

/// The forward and backward computation of one node.
///
/// `forward` reads the input slots, writes the output slots and keeps whatever
/// `backward` needs. `backward` reads the output gradients and *adds* into the
/// gradients of every non-constant input, because one value may feed several nodes.
class Kernel {
    let node: Node
    /// nil where the node omits an optional input.
    let inputs: [ValueSlot?]
    let outputs: [ValueSlot]

    init(node: Node, inputs: [ValueSlot?], outputs: [ValueSlot]) {
        self.node = node
        self.inputs = inputs
        self.outputs = outputs
    }

    func forward(_ context: ForwardContext) throws {
        preconditionFailure("\(type(of: self)) must override forward")
    }

    func backward() {
        preconditionFailure("\(type(of: self)) must override backward")
    }

    /// First input; every supported operator has one.
    var x: ValueSlot { inputs[0]! }
    var y: ValueSlot { outputs[0] }

    /// True when the gradient of input `index` must be computed.
    func needsGradient(_ index: Int) -> Bool {
        guard index < inputs.count, let slot = inputs[index] else { return false }
        return !slot.isConstant
    }

    func shapeError(_ detail: String) -> TrainingError {
        TrainingError.shapeMismatch(node: node.name, detail: detail)
    }
}

/// Adds `source` into `destination` element by element.
@inline(__always)
func accumulate(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<Float>) {
    for i in 0..<source.count { destination[i] += source[i] }
}
