import Graph
import LinearAlgebra

/// A buffer of a plan under construction: its size in floats, its lifetime in steps, and
/// its values when it is a constant that a kernel reads like an activation.
struct BufferRecord {
    var lifetime: BufferLifetime
    var constant: [Float]?
}

/// An activation during planning: its concrete shape and the buffer holding it.
/// Zero-copy views (Reshape, Flatten, Squeeze, Identity) share their input's buffer.
struct PlannedValue {
    var shape: [Int]
    var buffer: Int
}

/// Builds an `ExecutionPlan` for one model and one set of input shapes: evaluates
/// constant subgraphs, infers concrete shapes node by node, fuses (when optimizing),
/// picks a kernel per node, and records buffer lifetimes for the memory planner.
struct PlanBuilder {
    let graph: Graph
    let opset: Int
    let optimize: Bool
    let threads: Int
    let initializers: [String: ConstantTensor]

    var constants: [String: ConstantTensor] = [:]
    var nonConstant: Set<String> = []
    var values: [String: PlannedValue] = [:]
    var buffers: [BufferRecord] = []
    var steps: [Step] = []
    /// Nodes already handled: evaluated as constants or fused into an earlier step.
    var finished: Set<Int> = []
    /// Spatial pads `[top, left, bottom, right]` of a zero Pad folded into the Conv at this node index.
    var foldedPads: [Int: [Int]] = [:]

    let producer: [String: Int]
    let consumers: [String: [Int]]
    let graphOutputs: Set<String>
    /// Buffer id of the im2col scratch space; its size grows to the largest request.
    let scratchBuffer = 0

    /// im2col scratch is capped at 4 Mi floats (16 MiB); larger convolutions run in pixel tiles.
    static let scratchCap = 1 << 22

    init(graph: Graph, opset: Int, optimize: Bool, threads: Int, initializers: [String: ConstantTensor]) {
        self.graph = graph
        self.opset = opset
        self.optimize = optimize
        self.threads = threads
        self.initializers = initializers
        var producer: [String: Int] = [:]
        var consumers: [String: [Int]] = [:]
        for (index, node) in graph.nodes.enumerated() {
            for output in node.outputs where !output.isEmpty { producer[output] = index }
            for input in node.inputs where !input.isEmpty { consumers[input, default: []].append(index) }
        }
        self.producer = producer
        self.consumers = consumers
        self.graphOutputs = Set(graph.outputs.map(\.name))
        buffers.append(BufferRecord(lifetime: BufferLifetime(count: 0, first: -1, last: Int.max / 2), constant: nil))
    }

    /// Plans every node for the given input shapes.
    mutating func build(inputShapes: [String: [Int]]) throws -> ExecutionPlan {
        var boundInputs: [BoundValue] = []
        for input in graph.inputs {
            guard let shape = inputShapes[input.name] else { throw RuntimeError.missingInput(name: input.name) }
            let buffer = newBuffer(count: Shapes.count(shape), first: -1)
            values[input.name] = PlannedValue(shape: shape, buffer: buffer)
            boundInputs.append(BoundValue(name: input.name, buffer: buffer, shape: shape))
        }

        for (index, node) in graph.nodes.enumerated() where !finished.contains(index) {
            if ConstantEvaluator.supportedOperators.contains(node.opType),
                let first = node.outputs.first, try constant(first) != nil
            {
                continue
            }
            try plan(node, index: index)
            finished.insert(index)
        }

        var boundOutputs: [BoundValue] = []
        var constantOutputs: [String: Tensor<Float>] = [:]
        for output in graph.outputs {
            if let value = values[output.name] {
                buffers[value.buffer].lifetime.last = steps.count
                boundOutputs.append(BoundValue(name: output.name, buffer: value.buffer, shape: value.shape))
            } else if let value = try constant(output.name) {
                constantOutputs[output.name] = Tensor(shape: value.shape, scalars: value.floats)
            } else {
                throw RuntimeError.missingValue(node: "graph output", value: output.name)
            }
        }
        return ExecutionPlan(
            steps: steps, inputs: boundInputs, outputs: boundOutputs, constantOutputs: constantOutputs,
            buffers: buffers)
    }

    // MARK: Values

    /// The constant value of `name`, evaluating its producer (and, recursively, the producer's
    /// inputs) when every input is constant. nil when the value depends on a graph input.
    mutating func constant(_ name: String) throws -> ConstantTensor? {
        if let value = constants[name] ?? initializers[name] { return value }
        if nonConstant.contains(name) || values[name] != nil { return nil }
        guard let index = producer[name] else {
            nonConstant.insert(name)
            return nil
        }
        let node = graph.nodes[index]
        if node.opType == "Shape", let input = node.input(0), let value = values[input] {
            let result = try ConstantEvaluator.shapeOf(value.shape, node: node)
            constants[node.outputs[0]] = result
            finished.insert(index)
            return name == node.outputs[0] ? result : nil
        }
        guard ConstantEvaluator.supportedOperators.contains(node.opType) else {
            nonConstant.formUnion(node.outputs)
            return nil
        }

        var inputs: [ConstantTensor?] = []
        for input in node.inputs {
            if input.isEmpty {
                inputs.append(nil)
            } else if let value = try constant(input) {
                inputs.append(value)
            } else {
                nonConstant.formUnion(node.outputs)
                return nil
            }
        }
        let results = try ConstantEvaluator.evaluate(node, inputs: inputs, opset: opset)
        for (output, result) in zip(node.outputs, results) where !output.isEmpty { constants[output] = result }
        finished.insert(index)
        return constants[name]
    }

    /// A constant input that must be present (weights, shapes, pads).
    mutating func requireConstant(_ node: Node, _ position: Int) throws -> ConstantTensor {
        guard let name = node.input(position) else { throw node.invalid("missing input \(position)") }
        guard let value = try constant(name) else { throw RuntimeError.dynamicValue(node: node.name, value: name) }
        return value
    }

    /// The activation read by input `position`; a constant read as an activation gets its own buffer.
    mutating func activation(_ node: Node, _ position: Int) throws -> PlannedValue {
        guard let name = node.input(position) else { throw node.invalid("missing input \(position)") }
        if let value = values[name] { return value }
        guard let value = try constant(name) else { throw RuntimeError.missingValue(node: node.name, value: name) }
        let id = buffers.count
        buffers.append(
            BufferRecord(lifetime: BufferLifetime(count: value.count, first: -1, last: -1), constant: value.floats))
        let planned = PlannedValue(shape: value.shape, buffer: id)
        values[name] = planned
        return planned
    }

    mutating func newBuffer(count: Int, first: Int? = nil) -> Int {
        let step = first ?? steps.count
        buffers.append(BufferRecord(lifetime: BufferLifetime(count: count, first: step, last: step), constant: nil))
        return buffers.count - 1
    }

    /// Binds `name` to a fresh buffer of `shape`, written by the next step.
    mutating func output(_ name: String, shape: [Int]) -> PlannedValue {
        let value = PlannedValue(shape: shape, buffer: newBuffer(count: Shapes.count(shape)))
        values[name] = value
        return value
    }

    /// Binds `name` to `value`'s buffer with another shape (a zero-copy view).
    mutating func alias(_ name: String, to value: PlannedValue, shape: [Int]) {
        values[name] = PlannedValue(shape: shape, buffer: value.buffer)
    }

    mutating func requestScratch(_ count: Int) {
        buffers[scratchBuffer].lifetime.count = max(buffers[scratchBuffer].lifetime.count, count)
    }

    /// Appends a step that reads `reads` and writes `writes`, extending their lifetimes.
    mutating func addStep(_ node: Node, reads: [Int], writes: [Int], execute: @escaping (BufferTable) -> Void) {
        let index = steps.count
        for id in reads { buffers[id].lifetime.last = max(buffers[id].lifetime.last, index) }
        for id in writes {
            buffers[id].lifetime.first = min(buffers[id].lifetime.first, index)
            buffers[id].lifetime.last = max(buffers[id].lifetime.last, index)
        }
        steps.append(Step(name: node.name, opType: node.opType, execute: execute))
    }

    // MARK: Fusion

    /// The only node reading `value`, or nil when several nodes (or the graph outputs) read it.
    func soleConsumer(_ value: String) -> Int? {
        guard !graphOutputs.contains(value), let readers = consumers[value], readers.count == 1,
            !finished.contains(readers[0])
        else { return nil }
        return readers[0]
    }

    /// When optimizing and `value` feeds only a Relu or a Clip with constant bounds, marks that
    /// node as fused and returns its activation and output name; otherwise `(.none, value)`.
    mutating func fuseActivation(after value: String) throws -> (Activation, String) {
        guard optimize, let index = soleConsumer(value) else { return (.none, value) }
        let node = graph.nodes[index]
        guard node.inputs.first == value, let activation = try unaryActivation(node) else { return (.none, value) }
        finished.insert(index)
        return (activation, node.outputs[0])
    }

    /// The activation of a Relu or Clip node, or nil for other nodes and non-constant bounds.
    mutating func unaryActivation(_ node: Node) throws -> Activation? {
        switch node.opType {
        case "Relu":
            return .relu
        case "Clip":
            if opset < 11 {
                return .clip(
                    lower: try node.floatAttribute("min", default: -.greatestFiniteMagnitude),
                    upper: try node.floatAttribute("max", default: .greatestFiniteMagnitude))
            }
            var lower = -Float.greatestFiniteMagnitude
            var upper = Float.greatestFiniteMagnitude
            if let name = node.input(1) {
                guard let value = try constant(name) else { return nil }
                lower = value.floats.first ?? lower
            }
            if let name = node.input(2) {
                guard let value = try constant(name) else { return nil }
                upper = value.floats.first ?? upper
            }
            return .clip(lower: lower, upper: upper)
        default:
            return nil
        }
    }
}
