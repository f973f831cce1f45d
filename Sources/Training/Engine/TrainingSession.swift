import CLinearAlgebra
import Graph
import LinearAlgebra

/// A model compiled for training: forward kernels that cache what backward needs,
/// trainable parameters with gradients, and BatchNormalization running statistics as buffers.
///
/// Parameters are the float initializers consumed at differentiable inputs (Conv W and B,
/// Gemm B and C, MatMul operands, BatchNormalization scale and B, Add operands). Running
/// means and variances are buffers: the forward pass updates them in training mode, the
/// optimizer never touches them. Not thread-safe; one session per thread.
public final class TrainingSession {
    /// The model as compiled; `exportModel()` writes the current weights back into a copy.
    public let model: Model
    /// True: BatchNormalization uses batch statistics and Dropout drops. False: inference behaviour.
    public var isTraining = true
    /// Names of the trainable parameters, in first-use order.
    public let parameterNames: [String]
    /// Names of the BatchNormalization running statistics.
    public let bufferNames: [String]

    let parameters: [ValueSlot]
    let buffers: [ValueSlot]
    private let kernels: [Kernel]
    private let slots: [String: ValueSlot]
    private let inputNames: [String]
    private let outputNames: [String]
    /// Every slot that a backward pass writes a gradient into.
    private let gradientSlots: [ValueSlot]
    private let seed: UInt64

    /// Compiles `model` for training.
    ///
    /// - Parameters:
    ///   - seed: base seed of the Dropout masks; step `s` uses a seed mixed from both.
    ///   - threads: OpenBLAS threads for GEMM (the only parallel part). The setting is
    ///     process-wide, so sessions in one process share the last value set.
    /// - Throws: `TrainingError` for an unsupported operator or attribute, a missing value,
    ///   or an initializer of the wrong element type.
    public init(model: Model, seed: UInt64 = 0, threads: Int = 1) throws {
        openblas_set_num_threads(Int32(max(threads, 1)))
        self.model = model
        self.seed = seed
        let graph = model.graph

        var slots: [String: ValueSlot] = [:]
        for input in graph.inputs where graph.initializers[input.name] == nil {
            slots[input.name] = ValueSlot(name: input.name, isConstant: true)
        }

        var roles: [String: InitializerRole] = [:]
        for node in graph.nodes {
            let differentiable = OperatorRegistry.differentiableInputs(of: node)
            let buffer = OperatorRegistry.bufferInputs(of: node)
            for (index, name) in node.inputs.enumerated() where graph.initializers[name] != nil {
                let role: InitializerRole =
                    buffer.contains(index) ? .buffer : differentiable.contains(index) ? .parameter : .constant
                roles[name] = max(roles[name] ?? .constant, role)
            }
        }

        var integerConstants: [String: [Int]] = [:]
        var floatConstants: [String: [Float]] = [:]
        var parameterNames: [String] = []
        var bufferNames: [String] = []
        for node in graph.nodes {
            for name in node.inputs where !name.isEmpty && slots[name] == nil {
                guard let data = graph.initializers[name] else { continue }
                if data.elementType == .int64 || data.elementType == .int32 {
                    integerConstants[name] = try data.integerElements(name: name)
                    continue
                }
                let values = try data.floatElements(name: name)
                floatConstants[name] = values
                let role = roles[name] ?? .constant
                slots[name] = ValueSlot(name: name, shape: data.shape, data: values, isConstant: role != .parameter)
                if role == .parameter { parameterNames.append(name) }
                if role == .buffer { bufferNames.append(name) }
            }
        }

        var kernels: [Kernel] = []
        for (position, node) in graph.nodes.enumerated() {
            var inputs: [ValueSlot?] = []
            for name in node.inputs {
                if name.isEmpty || integerConstants[name] != nil {
                    inputs.append(nil)
                    continue
                }
                guard let slot = slots[name] else { throw TrainingError.missingValue(node: node.name, value: name) }
                inputs.append(slot)
            }
            let outputs = node.outputs.map { name in
                let slot = ValueSlot(name: name)
                slots[name] = slot
                return slot
            }
            kernels.append(
                try OperatorRegistry.makeKernel(
                    node: node, inputs: inputs, outputs: outputs, integerConstants: integerConstants,
                    floatConstants: floatConstants, position: position))
        }

        for output in graph.outputs where slots[output.name] == nil {
            throw TrainingError.missingValue(node: "graph output", value: output.name)
        }
        // A value computed from constants only gets no gradient either.
        for kernel in kernels {
            let constant = kernel.inputs.allSatisfy { $0?.isConstant ?? true }
            for output in kernel.outputs { output.isConstant = constant }
        }

        self.kernels = kernels
        self.slots = slots
        self.parameterNames = parameterNames
        self.bufferNames = bufferNames
        self.parameters = parameterNames.map { slots[$0]! }
        self.buffers = bufferNames.map { slots[$0]! }
        self.inputNames = graph.inputs.map(\.name).filter { graph.initializers[$0] == nil }
        self.outputNames = graph.outputs.map(\.name)
        var seen = Set<ObjectIdentifier>()
        var gradientSlots: [ValueSlot] = []
        for slot in parameters + kernels.flatMap(\.outputs) where !slot.isConstant {
            if seen.insert(ObjectIdentifier(slot)).inserted { gradientSlots.append(slot) }
        }
        self.gradientSlots = gradientSlots
    }

    /// Names of the graph inputs that `forward` expects in its feeds.
    public var inputs: [String] { inputNames }
    /// Names of the graph outputs that `forward` returns.
    public var outputs: [String] { outputNames }

    /// Runs the forward pass and returns every graph output.
    ///
    /// - Parameter step: mixed into the Dropout seed so every step draws new masks.
    /// - Throws: `TrainingError.invalidFeed` for a missing input, or a shape error from a kernel.
    public func forward(_ feeds: [String: Tensor<Float>], step: UInt64 = 0) throws -> [String: Tensor<Float>] {
        for name in inputNames {
            guard let tensor = feeds[name] else {
                throw TrainingError.invalidFeed(input: name, detail: "no tensor given; feeds have \(feeds.keys.sorted())")
            }
            let slot = slots[name]!
            slot.shape = tensor.shape
            slot.data = tensor.scalars
        }
        let context = ForwardContext(training: isTraining, seed: mixSeed(seed, step))
        for kernel in kernels { try kernel.forward(context) }
        var result: [String: Tensor<Float>] = [:]
        for name in outputNames {
            let slot = slots[name]!
            result[name] = Tensor(shape: slot.shape, scalars: slot.data)
        }
        return result
    }

    /// Runs the backward pass from the gradients of the loss with respect to graph outputs
    /// (outputs without an entry get zero), replacing every parameter gradient.
    public func backward(_ outputGradients: [String: Tensor<Float>]) {
        for slot in gradientSlots { slot.resetGradient() }
        for (name, gradient) in outputGradients {
            guard let slot = slots[name], !slot.isConstant else { continue }
            precondition(gradient.count == slot.count, "gradient of \(name) has \(gradient.count) elements, value has \(slot.count)")
            slot.grad = gradient.scalars
        }
        for kernel in kernels.reversed() { kernel.backward() }
    }

    /// Current value of a parameter or buffer, or nil for an unknown name.
    public func value(_ name: String) -> Tensor<Float>? {
        guard let slot = slots[name], parameterNames.contains(name) || bufferNames.contains(name) else { return nil }
        return Tensor(shape: slot.shape, scalars: slot.data)
    }

    /// Gradient of a parameter from the last backward pass, or nil for an unknown name.
    public func gradient(_ name: String) -> Tensor<Float>? {
        guard let slot = slots[name], parameterNames.contains(name) else { return nil }
        return Tensor(shape: slot.shape, scalars: slot.grad.isEmpty ? [Float](repeating: 0, count: slot.count) : slot.grad)
    }

    /// Replaces a parameter or buffer. Preconditions: the name exists and the element count matches.
    public func setValue(_ name: String, _ tensor: Tensor<Float>) {
        guard let slot = slots[name], parameterNames.contains(name) || bufferNames.contains(name) else {
            preconditionFailure("no parameter or buffer named \(name)")
        }
        precondition(slot.count == tensor.count, "\(name) has \(slot.count) elements, got \(tensor.count)")
        slot.data = tensor.scalars
    }

    /// The model with the current parameters and buffers written back into its initializers.
    public func exportModel() -> Model {
        var copy = model
        for slot in parameters + buffers {
            copy.graph.initializers[slot.name] = TensorData(floats: slot.data, shape: slot.shape)
        }
        return copy
    }
}

/// How the session treats an initializer; a value used in several roles takes the highest.
private enum InitializerRole: Int, Comparable {
    case constant, buffer, parameter
    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
