import Foundation

/// The engine behind a study: the operations that `StudyRunner` calls for each run.
///
/// The study module does not depend on models, kernels or runtimes, so the caller plugs them
/// in through this protocol or through `StudyActionClosures`. Each method receives
/// everything the step needs in its request.
///
/// A method throws when the step failed. The runner then reports the error and retries the
/// run next time. A method returns `ActionOutcome.unavailable` when the step cannot be
/// measured here, for example because a runtime is not installed, and the runner records
/// that as the run's result.
public protocol StudyActions {
    /// Writes a runnable model to `request.output` from a weightless graph.
    func prepareModel(_ request: PrepareModelRequest) throws
    /// Decomposes `request.input` and writes the result to `request.output`.
    /// Returns the ranks chosen per layer in `ActionOutcome.ranks` when known.
    func compress(_ request: CompressRequest) throws -> ActionOutcome
    /// Fine-tunes `request.input` and writes the result to `request.output`.
    func fineTune(_ request: FineTuneRequest) throws -> ActionOutcome
    /// Measures top-1 and top-5 accuracy of a model on the test split of a dataset.
    func evaluate(_ request: EvaluateRequest) throws -> ActionOutcome
    /// Measures latency, throughput and peak memory of a model on one runtime.
    func benchmark(_ request: BenchmarkRequest) throws -> ActionOutcome
    /// Counts the parameters and multiply-accumulate operations of a model file. The runner
    /// calls this once per model file and adds the counts to each document about that file.
    func inspectModel(at file: URL) throws -> ModelStatistics
}

public struct PrepareModelRequest: Sendable, Equatable {
    public var model: String
    /// ONNX graph whose weights are inputs without values.
    public var graph: URL
    /// Seed of the random number generator that draws the weights.
    public var seed: UInt64
    public var output: URL

    public init(model: String, graph: URL, seed: UInt64, output: URL) {
        self.model = model
        self.graph = graph
        self.seed = seed
        self.output = output
    }
}

public struct CompressRequest: Sendable, Equatable {
    public var model: String
    public var input: URL
    /// `cp`, `tucker2`, `tt` or `tr`.
    public var method: String
    public var rankPolicy: RankPolicy
    public var output: URL

    public init(model: String, input: URL, method: String, rankPolicy: RankPolicy, output: URL) {
        self.model = model
        self.input = input
        self.method = method
        self.rankPolicy = rankPolicy
        self.output = output
    }
}

public struct FineTuneRequest: Sendable, Equatable {
    public var model: String
    /// The decomposed model to train.
    public var input: URL
    /// The original model, the teacher when `settings.distillation` is set.
    public var teacher: URL
    public var dataset: DatasetSpec
    public var settings: FineTuneSpec
    public var threads: Int
    public var output: URL

    public init(
        model: String, input: URL, teacher: URL, dataset: DatasetSpec, settings: FineTuneSpec, threads: Int, output: URL
    ) {
        self.model = model
        self.input = input
        self.teacher = teacher
        self.dataset = dataset
        self.settings = settings
        self.threads = threads
        self.output = output
    }
}

public struct EvaluateRequest: Sendable, Equatable {
    public var model: URL
    public var dataset: DatasetSpec
    /// `builtin`, `onnxruntime` or `tensorrt`.
    public var runtime: String
    public var optimized: Bool
    public var batch: Int
    public var threads: Int
    /// Number of test samples from the start of the split; nil for all.
    public var limit: Int?

    public init(
        model: URL, dataset: DatasetSpec, runtime: String, optimized: Bool, batch: Int, threads: Int, limit: Int? = nil
    ) {
        self.model = model
        self.dataset = dataset
        self.runtime = runtime
        self.optimized = optimized
        self.batch = batch
        self.threads = threads
        self.limit = limit
    }
}

public struct BenchmarkRequest: Sendable, Equatable {
    public var model: URL
    /// `builtin`, `onnxruntime` or `tensorrt`.
    public var runtime: String
    /// Whether the runtime applies its own graph optimization first.
    public var optimized: Bool
    public var threads: Int
    public var batch: Int
    /// Untimed inferences before measuring.
    public var warmup: Int
    /// Timed inferences.
    public var iterations: Int

    public init(model: URL, runtime: String, optimized: Bool, threads: Int, batch: Int, warmup: Int, iterations: Int) {
        self.model = model
        self.runtime = runtime
        self.optimized = optimized
        self.threads = threads
        self.batch = batch
        self.warmup = warmup
        self.iterations = iterations
    }
}

/// Parameter and MAC counts of a model file.
public struct ModelStatistics: Sendable, Equatable {
    public var parameters: Int?
    /// Multiply-accumulate operations of one inference at batch size 1.
    public var macs: Int?

    public init(parameters: Int?, macs: Int?) {
        self.parameters = parameters
        self.macs = macs
    }
}

/// Result of an action: its measurements, or the reason it could not measure.
public struct ActionOutcome: Sendable, Equatable {
    public var metrics: Metrics
    /// Version of the runtime that ran the model, for `eval` and `bench`.
    public var runtimeVersion: String?
    /// Ranks chosen per layer, by layer name, for `compress`.
    public var ranks: [String: [Int]]?
    /// Reason the step could not be measured, such as `trtexec not found`.
    public var unavailable: String?

    /// Returns the outcome of a successful measurement.
    public static func measured(_ metrics: Metrics, runtimeVersion: String? = nil, ranks: [String: [Int]]? = nil)
        -> ActionOutcome
    {
        ActionOutcome(metrics: metrics, runtimeVersion: runtimeVersion, ranks: ranks, unavailable: nil)
    }

    /// Returns the outcome of a step that cannot be measured on this machine.
    public static func unavailable(_ reason: String, runtimeVersion: String? = nil) -> ActionOutcome {
        ActionOutcome(metrics: Metrics(), runtimeVersion: runtimeVersion, ranks: nil, unavailable: reason)
    }
}

/// `StudyActions` made of closures, for callers that prefer not to declare a type.
public struct StudyActionClosures: StudyActions {
    public var prepareModelHandler: (PrepareModelRequest) throws -> Void
    public var compressHandler: (CompressRequest) throws -> ActionOutcome
    public var fineTuneHandler: (FineTuneRequest) throws -> ActionOutcome
    public var evaluateHandler: (EvaluateRequest) throws -> ActionOutcome
    public var benchmarkHandler: (BenchmarkRequest) throws -> ActionOutcome
    public var inspectModelHandler: (URL) throws -> ModelStatistics

    public init(
        prepareModelHandler: @escaping (PrepareModelRequest) throws -> Void,
        compressHandler: @escaping (CompressRequest) throws -> ActionOutcome,
        fineTuneHandler: @escaping (FineTuneRequest) throws -> ActionOutcome,
        evaluateHandler: @escaping (EvaluateRequest) throws -> ActionOutcome,
        benchmarkHandler: @escaping (BenchmarkRequest) throws -> ActionOutcome,
        inspectModelHandler: @escaping (URL) throws -> ModelStatistics
    ) {
        self.prepareModelHandler = prepareModelHandler
        self.compressHandler = compressHandler
        self.fineTuneHandler = fineTuneHandler
        self.evaluateHandler = evaluateHandler
        self.benchmarkHandler = benchmarkHandler
        self.inspectModelHandler = inspectModelHandler
    }

    public func prepareModel(_ request: PrepareModelRequest) throws { try prepareModelHandler(request) }
    public func compress(_ request: CompressRequest) throws -> ActionOutcome { try compressHandler(request) }
    public func fineTune(_ request: FineTuneRequest) throws -> ActionOutcome { try fineTuneHandler(request) }
    public func evaluate(_ request: EvaluateRequest) throws -> ActionOutcome { try evaluateHandler(request) }
    public func benchmark(_ request: BenchmarkRequest) throws -> ActionOutcome { try benchmarkHandler(request) }
    public func inspectModel(at file: URL) throws -> ModelStatistics { try inspectModelHandler(file) }
}
