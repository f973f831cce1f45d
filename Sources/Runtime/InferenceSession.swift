import CLinearAlgebra
import Foundation
import Graph
import LinearAlgebra

/// Settings of an `InferenceSession`.
public struct InferenceOptions: Sendable {
    /// Fuse Conv+BatchNormalization, Conv/Add/Gemm/BatchNormalization + Relu/Clip, and zero
    /// Pad + Conv. `false` runs the graph as written, one kernel per node. Either way, nodes
    /// whose inputs are all constant (shape arithmetic) are evaluated once when planning.
    public var optimize: Bool
    /// Threads of the engine's parallel loops, GEMMs included. OpenBLAS itself runs single-threaded:
    /// the engine splits each GEMM into blocks and runs them on its own `threads` threads, so
    /// at most `threads` threads compute at any time. OpenBLAS's thread count is process-wide,
    /// and each `run` sets it to 1.
    public var threads: Int
    /// Record the wall time of every step in `InferenceSession.lastProfile`.
    public var profile: Bool

    public init(optimize: Bool = true, threads: Int = ProcessInfo.processInfo.activeProcessorCount, profile: Bool = false) {
        self.optimize = optimize
        self.threads = max(1, threads)
        self.profile = profile
    }
}

/// Wall time of one step of a run. After fusion a step covers several nodes and carries
/// the name and op type of the first.
public struct NodeTiming: Sendable, Equatable {
    public var name: String
    public var opType: String
    public var seconds: Double
}

/// The built-in CPU inference engine: Float32 activations in NCHW, any batch size.
///
/// The session decodes every initializer to Float32 once. The first `run` with a new set
/// of input shapes builds an execution plan for them: concrete shapes, fused kernels, and
/// one arena of activation memory shared by values whose lifetimes do not overlap.
/// Later runs with the same shapes reuse that plan. A session runs one inference at a time:
/// concurrent calls to `run` wait for each other.
public final class InferenceSession: @unchecked Sendable {
    public let model: Model
    public let options: InferenceOptions
    /// Names of the graph inputs, in declaration order.
    public var inputNames: [String] { model.graph.inputs.map(\.name) }
    /// Names of the graph outputs, in declaration order.
    public var outputNames: [String] { model.graph.outputs.map(\.name) }

    private let initializers: [String: ConstantTensor]
    private var plans: [[[Int]]: ExecutionPlan] = [:]
    private var profile: [NodeTiming]?
    private let lock = NSLock()

    /// Prepares `model` for execution. Throws `RuntimeError.unsupportedOperators` listing every
    /// operator type without a kernel, or `.unsupportedElementType` for an initializer that
    /// cannot be converted to Float32 or Int64.
    public init(model: Model, options: InferenceOptions = InferenceOptions()) throws {
        var unsupported: [(opType: String, firstNode: String)] = []
        for node in model.graph.nodes {
            let known = (node.domain.isEmpty || node.domain == "ai.onnx")
                && PlanBuilder.supportedOperators.contains(node.opType)
            let label = node.domain.isEmpty || node.domain == "ai.onnx" ? node.opType : "\(node.domain).\(node.opType)"
            if !known && !unsupported.contains(where: { $0.opType == label }) {
                unsupported.append((label, node.name))
            }
        }
        if !unsupported.isEmpty { throw RuntimeError.unsupportedOperators(unsupported) }

        var initializers: [String: ConstantTensor] = [:]
        for (name, data) in model.graph.initializers { initializers[name] = try ConstantTensor(data, name: name) }
        self.model = model
        self.options = options
        self.initializers = initializers
    }

    /// Runs the model and returns one tensor per graph output. `inputs` must contain one tensor
    /// per graph input, with the declared shape where it is known. The leading (batch) axis is
    /// exempt, so that models exported at batch 1 run batches.
    public func run(inputs: [String: Tensor<Float>]) throws -> [String: Tensor<Float>] {
        lock.lock()
        defer { lock.unlock() }
        let plan = try preparedPlan(inputs: inputs)
        openblas_set_num_threads(1)
        var timings: [Double]? = options.profile ? [] : nil
        let outputs = plan.run(inputs: inputs, timings: &timings)
        if let timings {
            profile = zip(plan.steps, timings).map { NodeTiming(name: $0.name, opType: $0.opType, seconds: $1) }
        }
        return outputs
    }

    /// Per-step wall times of the most recent `run`, when `options.profile` is set.
    public var lastProfile: [NodeTiming]? {
        lock.lock()
        defer { lock.unlock() }
        return profile
    }

    /// Builds (or fetches) the plan for these input shapes without running it, and returns
    /// the arena size in bytes: the activation memory one inference needs.
    @discardableResult
    public func prepare(inputShapes: [String: [Int]]) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        let shapes = inputNames.map { inputShapes[$0] ?? [] }
        return try plan(for: shapes, byName: inputShapes).arenaBytes
    }

    private func preparedPlan(inputs: [String: Tensor<Float>]) throws -> ExecutionPlan {
        for name in inputs.keys where !inputNames.contains(name) {
            throw RuntimeError.unknownInput(name: name, expected: inputNames)
        }
        var byName: [String: [Int]] = [:]
        for input in model.graph.inputs {
            guard let tensor = inputs[input.name] else { throw RuntimeError.missingInput(name: input.name) }
            if let declared = input.shape, !Self.matches(declared, tensor.shape) {
                throw RuntimeError.inputShapeMismatch(name: input.name, declared: declared, actual: tensor.shape)
            }
            byName[input.name] = tensor.shape
        }
        return try plan(for: inputNames.map { byName[$0]! }, byName: byName)
    }

    private func plan(for shapes: [[Int]], byName: [String: [Int]]) throws -> ExecutionPlan {
        if let plan = plans[shapes] { return plan }
        var builder = PlanBuilder(
            graph: model.graph, opset: model.opsetVersion, optimize: options.optimize, threads: options.threads,
            initializers: initializers)
        let plan = try builder.build(inputShapes: byName)
        plans[shapes] = plan
        return plan
    }

    private static func matches(_ declared: [Dim], _ actual: [Int]) -> Bool {
        guard declared.count == actual.count else { return false }
        for (axis, (dim, extent)) in zip(declared, actual).enumerated() where axis > 0 {
            if case .known(let value) = dim, value != extent { return false }
        }
        return true
    }
}
