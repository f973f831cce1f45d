import Foundation

/// A study: which models to compress with which methods and rank policies, which states to
/// measure, on which runtimes, with which data, and where to write the results.
///
/// Decoded from JSON by `StudySpec.load(from:)` or `StudySpec(json:)`; docs/study-spec.md
/// describes every key with its default. The top-level keys are:
///
/// | key | meaning |
/// | --- | --- |
/// | `name` | study name, letters, digits, `_` and `-` (required) |
/// | `description` | free text (optional) |
/// | `models` | list of `{name, file}` or `{name, graph, random_weights_seed}` (required) |
/// | `methods` | decomposition methods: `cp`, `tucker2`, `tt`, `tr` (required unless `states` is `["original"]`) |
/// | `rank_policies` | `ratio:<f>`, `energy:<f>`, `fixed:<rank>`, `evbmf` (default `["ratio:0.5"]`) |
/// | `states` | `original`, `decomposed`, `finetuned` (default all three when `dataset` is given, else the first two) |
/// | `runtimes` | list of `{name, optimized}`, `optimized` a list of `false`/`true` (default both) |
/// | `dataset` | `{kind, path}` for evaluation and fine-tuning (optional) |
/// | `evaluation` | `{runtime, optimized, batch, threads, limit}` (optional) |
/// | `fine_tune` | `{max_steps, epochs, batch, learning_rate, optimizer, momentum, weight_decay, train_limit, seed, distillation}` |
/// | `benchmark` | `{threads, batch, warmup, iterations}` (optional) |
/// | `output` | `{results, models, report}` folders (default `results/<name>`, `results/<name>/models`, `report/<name>`) |
///
/// Relative paths resolve against the `baseDirectory` given when loading, which the CLI
/// sets to its working directory.
public struct StudySpec: Sendable, Equatable {
    public var name: String
    /// Free text describing the study, for people reading the spec.
    public var description: String?
    public var models: [ModelSpec]
    public var methods: [String]
    public var rankPolicies: [RankPolicy]
    public var states: [ModelState]
    public var runtimes: [RuntimeSpec]
    public var dataset: DatasetSpec?
    public var evaluation: EvaluationSpec
    public var fineTune: FineTuneSpec
    public var benchmark: BenchmarkSpec
    public var output: OutputSpec

    /// Decomposition methods the study accepts.
    public static let knownMethods = ["cp", "tucker2", "tt", "tr"]
    /// Runtimes the study accepts.
    public static let knownRuntimes = ["builtin", "onnxruntime", "tensorrt"]

    /// Creates a spec without validation; `init(json:baseDirectory:)` validates.
    public init(
        name: String,
        description: String? = nil,
        models: [ModelSpec],
        methods: [String],
        rankPolicies: [RankPolicy],
        states: [ModelState],
        runtimes: [RuntimeSpec],
        dataset: DatasetSpec? = nil,
        evaluation: EvaluationSpec,
        fineTune: FineTuneSpec,
        benchmark: BenchmarkSpec,
        output: OutputSpec
    ) {
        self.name = name
        self.description = description
        self.models = models
        self.methods = methods
        self.rankPolicies = rankPolicies
        self.states = states
        self.runtimes = runtimes
        self.dataset = dataset
        self.evaluation = evaluation
        self.fineTune = fineTune
        self.benchmark = benchmark
        self.output = output
    }
}

/// A model of the study and where its original file comes from.
public struct ModelSpec: Sendable, Equatable {
    /// Name used in run keys, file names and the report: letters, digits, `_` and `-`.
    public var name: String
    public var source: ModelSource

    public init(name: String, source: ModelSource) {
        self.name = name
        self.source = source
    }
}

public enum ModelSource: Sendable, Equatable {
    /// A runnable ONNX model file.
    case file(URL)
    /// An ONNX graph whose weights are graph inputs without values; the study fills them
    /// with random values drawn from `seed` before measuring.
    case randomWeights(graph: URL, seed: UInt64)
}

/// A runtime to benchmark and the optimization settings to measure it with.
public struct RuntimeSpec: Sendable, Equatable {
    /// `builtin`, `onnxruntime` or `tensorrt`.
    public var name: String
    /// Settings to measure, in order: false is before the runtime's own graph optimization
    /// (ONNX Runtime `ORT_DISABLE_ALL`, the built-in engine without fusion), true after it.
    public var optimized: [Bool]

    public init(name: String, optimized: [Bool]) {
        self.name = name
        self.optimized = optimized
    }
}

/// A labelled dataset for evaluation (its test split) and fine-tuning (its training split).
public struct DatasetSpec: Sendable, Equatable {
    /// Reader to use: `fashion-mnist`, `mnist`, `image-folder` or `npy`.
    public var kind: String
    public var path: URL

    public static let knownKinds = ["fashion-mnist", "mnist", "image-folder", "npy"]

    public init(kind: String, path: URL) {
        self.kind = kind
        self.path = path
    }
}

/// Settings of the accuracy measurement.
public struct EvaluationSpec: Sendable, Equatable {
    /// Runtime that runs the evaluation (default `builtin`).
    public var runtime: String
    /// Whether the runtime optimizes the graph first (default true).
    public var optimized: Bool
    /// Batch size (default 100).
    public var batch: Int
    /// CPU threads (default: the first entry of `benchmark.threads`).
    public var threads: Int
    /// Number of test samples to evaluate, from the start of the split; nil for all.
    public var limit: Int?

    public init(runtime: String, optimized: Bool, batch: Int, threads: Int, limit: Int? = nil) {
        self.runtime = runtime
        self.optimized = optimized
        self.batch = batch
        self.threads = threads
        self.limit = limit
    }
}

/// Fine-tuning of decomposed models.
public struct FineTuneSpec: Sendable, Equatable {
    /// Optimizer steps to run (default 200). Training stops at whichever of `maxSteps`
    /// and `epochs` comes first.
    public var maxSteps: Int
    /// Passes over the training data; nil for no limit but `maxSteps`.
    public var epochs: Double?
    /// Samples per step (default 64).
    public var batch: Int
    /// Learning rate (default 0.001).
    public var learningRate: Double
    /// `sgd` or `adam` (default `adam`).
    public var optimizer: String
    /// Momentum for `sgd` (default 0.9).
    public var momentum: Double
    /// L2 weight decay (default 0).
    public var weightDecay: Double
    /// Number of training samples to draw from, from the start of the split; nil for all.
    public var trainLimit: Int?
    /// Seed for shuffling (default 0).
    public var seed: UInt64
    /// Knowledge distillation from the original model; nil trains on labels alone.
    public var distillation: DistillationSpec?

    public static let knownOptimizers = ["sgd", "adam"]

    public init(
        maxSteps: Int, epochs: Double? = nil, batch: Int, learningRate: Double, optimizer: String, momentum: Double,
        weightDecay: Double, trainLimit: Int? = nil, seed: UInt64, distillation: DistillationSpec? = nil
    ) {
        self.maxSteps = maxSteps
        self.epochs = epochs
        self.batch = batch
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.trainLimit = trainLimit
        self.seed = seed
        self.distillation = distillation
    }
}

/// Knowledge distillation (Hinton, Vinyals and Dean, 2015): the loss mixes cross-entropy
/// with the labels and the KL divergence to the original model's softened outputs.
public struct DistillationSpec: Sendable, Equatable {
    /// Softmax temperature for both models' logits (default 4).
    public var temperature: Double
    /// Weight of the distillation term, in [0, 1]; the label term gets 1 − alpha (default 0.9).
    public var alpha: Double

    public init(temperature: Double, alpha: Double) {
        self.temperature = temperature
        self.alpha = alpha
    }
}

/// Latency measurement settings.
public struct BenchmarkSpec: Sendable, Equatable {
    /// CPU thread counts to measure, each one a separate run (default `[1]`).
    public var threads: [Int]
    /// Batch sizes to measure, each one a separate run (default `[1]`).
    public var batch: [Int]
    /// Untimed inferences before measuring (default 10).
    public var warmup: Int
    /// Timed inferences (default 100).
    public var iterations: Int

    public init(threads: [Int], batch: [Int], warmup: Int, iterations: Int) {
        self.threads = threads
        self.batch = batch
        self.warmup = warmup
        self.iterations = iterations
    }
}

/// Folders the study writes.
public struct OutputSpec: Sendable, Equatable {
    /// Results documents, one per measurement.
    public var results: URL
    /// Prepared, decomposed and fine-tuned model files.
    public var models: URL
    /// Report tables and plots.
    public var report: URL

    public init(results: URL, models: URL, report: URL) {
        self.results = results
        self.models = models
        self.report = report
    }
}
