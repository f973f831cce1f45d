import Foundation

/// A benchmark request: the model, its input shapes and how long to measure.
public struct BenchmarkRequest: Sendable, Equatable {
    /// ONNX model file.
    public var model: URL
    /// Shapes for inputs with symbolic dimensions, by input name; inputs not listed use
    /// the model's static shape (symbolic dimensions become 1).
    public var inputShapes: [String: [Int]]
    /// Untimed runs before measuring.
    public var warmupIterations: Int
    /// Timed runs; the runtime may run more when `minimumDuration` is not yet reached.
    public var iterations: Int
    /// Minimum timed duration in seconds, or 0 for iterations alone.
    public var minimumDuration: Double

    public init(
        model: URL, inputShapes: [String: [Int]] = [:], warmupIterations: Int = 10,
        iterations: Int = 100, minimumDuration: Double = 0
    ) {
        self.model = model
        self.inputShapes = inputShapes
        self.warmupIterations = warmupIterations
        self.iterations = iterations
        self.minimumDuration = minimumDuration
    }

    /// The batch size implied by the first dimension of the given input shapes, if they agree.
    public var batchSize: Int? {
        let batches = Set(inputShapes.values.compactMap(\.first))
        return batches.count == 1 ? batches.first : nil
    }
}

/// A runtime that can time a model: ONNX Runtime, TensorRT or the built-in engine.
///
/// `benchmark` returns a `BenchmarkResult` with status `unavailable` when the runtime is
/// not installed, so that a study over several runtimes continues. It throws only when the
/// runtime is present but the run fails.
public protocol InferenceBackend: Sendable {
    /// Runtime name used in results: `onnxruntime`, `tensorrt`, `builtin`.
    var name: String { get }

    /// nil when the runtime can run here, else the reason it cannot.
    func unavailabilityReason() -> String?

    /// Times `request.model` on this runtime.
    func benchmark(_ request: BenchmarkRequest) throws -> BenchmarkResult
}
