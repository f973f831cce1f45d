import Foundation
import Graph
import LinearAlgebra
import Runtime

/// The built-in CPU engine (`Runtime.InferenceSession`) as an `InferenceBackend`.
///
/// Each timed inference runs the model once on a batch of seeded uniform random inputs in
/// [0, 1); latency is the wall time of `InferenceSession.run`. `peakMemoryBytes` is the
/// peak resident set size (`VmHWM`) of the calling process after the measurement, so it
/// covers the model file, the session's plan and weights and everything else the process
/// held before. Measure in a fresh process (as `factorize bench` does) for a clean number.
public struct BuiltinBackend: InferenceBackend {
    public let name = "builtin"
    /// Whether the engine fuses and rewrites the graph first; false is the "before
    /// optimization" setting.
    public var optimize: Bool
    /// Threads of the engine and of OpenBLAS.
    public var threads: Int
    /// Seed of the random inputs.
    public var seed: UInt64

    public init(optimize: Bool = true, threads: Int = ProcessInfo.processInfo.activeProcessorCount, seed: UInt64 = 0) {
        self.optimize = optimize
        self.threads = threads
        self.seed = seed
    }

    /// Returns nil: the engine is part of this build, so it is always available.
    public func unavailabilityReason() -> String? { nil }

    /// Times `request.model`.
    /// - Throws: `BackendError.fileNotFound`, `GraphError` or `ONNXError` for an unreadable
    ///   model, `RuntimeError` for an operator without a kernel or a shape mismatch.
    public func benchmark(_ request: BenchmarkRequest) throws -> BenchmarkResult {
        guard FileManager.default.fileExists(atPath: request.model.path) else {
            throw BackendError.fileNotFound(path: request.model.path)
        }
        let model = try Model.load(from: request.model)
        let session = try InferenceSession(model: model, options: InferenceOptions(optimize: optimize, threads: threads))
        let inputs = Self.randomInputs(for: model, shapes: request.inputShapes, seed: seed)
        let arenaBytes = try session.prepare(inputShapes: inputs.mapValues(\.shape))

        for _ in 0..<request.warmupIterations { _ = try session.run(inputs: inputs) }
        var latencies: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        while latencies.count < request.iterations || elapsed < request.minimumDuration {
            let before = DispatchTime.now().uptimeNanoseconds
            _ = try session.run(inputs: inputs)
            let after = DispatchTime.now().uptimeNanoseconds
            latencies.append(Double(after - before) / 1e6)
            elapsed = Double(after - start) / 1e9
        }

        let shapes = inputs.mapValues { JSONValue.array($0.shape.map { .number(Double($0)) }) }
        let modelBytes = (try? FileManager.default.attributesOfItem(atPath: request.model.path)[.size] as? Int) ?? nil
        return BenchmarkResult(
            runtime: name, latencyMilliseconds: LatencyStatistics(samples: latencies),
            throughputPerSecond: elapsed > 0 ? Double(latencies.count) / elapsed : nil,
            peakMemoryBytes: ProcessMemory.peakResidentBytes(), modelBytes: modelBytes,
            batchSize: inputs.values.first?.shape.first,
            extras: [
                "optimize": .bool(optimize), "threads": .number(Double(threads)), "runs": .number(Double(latencies.count)),
                "timed_wall_s": .number(elapsed), "arena_bytes": .number(Double(arenaBytes)),
                "input_shapes": .object(shapes),
                "peak_memory_kind": .string("peak resident set size (VmHWM) of the process that ran the benchmark"),
            ])
    }

    /// Draws one seeded uniform [0, 1) tensor per graph input that has no initializer. Shapes come
    /// from `shapes` when listed, else from the declared shape with unknown extents set to 1.
    public static func randomInputs(for model: Model, shapes: [String: [Int]], seed: UInt64) -> [String: Tensor<Float>] {
        var generator = SplitMix64(seed: seed)
        var inputs: [String: Tensor<Float>] = [:]
        for input in model.graph.inputs where model.graph.initializers[input.name] == nil {
            let shape = shapes[input.name] ?? (input.shape ?? []).map { dim -> Int in
                if case .known(let extent) = dim { return extent }
                return 1
            }
            let count = shape.reduce(1, *)
            let scalars = (0..<count).map { _ in Float(generator.next() >> 40) / Float(1 << 24) }
            inputs[input.name] = Tensor(shape: shape, scalars: scalars)
        }
        return inputs
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a small seeded generator for benchmark inputs.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
