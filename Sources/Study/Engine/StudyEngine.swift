import Backends
import Datasets
import Factorization
import Foundation
import Graph
import Runtime
import Training

/// The real engine behind `StudyRunner`: random weights through `Graph.initializeWeights`,
/// decompositions through `Factorization.compressModel`, accuracy through
/// `evaluateAccuracy` on the built-in engine or ONNX Runtime, and latency through the
/// `Backends` runtimes.
///
/// Runtimes that are not installed give `ActionOutcome.unavailable` rather than an error:
/// ONNX Runtime when its Python interpreter cannot import `onnxruntime`, TensorRT when
/// `trtexec` is not found. Fine-tuning is unavailable until the Training module provides it.
public struct StudyEngine: StudyActions {
    public struct Configuration: Sendable {
        /// Version of the Factorize tool, recorded in the metadata of written models.
        public var toolVersion: String
        /// Seed of decompositions and of their output checks.
        public var seed: UInt64
        /// Python interpreter with onnxruntime; nil uses `OnnxRuntimeBackend.defaultPython()`.
        public var python: URL?
        /// `trtexec`; nil searches `PATH`.
        public var trtexec: URL?
        /// Command that benchmarks one model on the built-in engine in a fresh process and
        /// prints `BenchmarkResult` JSON, such as `["/usr/local/bin/factorize", "bench"]`; the
        /// engine appends the model and `--runtime builtin --json` with the run's settings. A
        /// fresh process makes the peak resident memory that of this model alone. nil
        /// benchmarks in this process, whose peak memory then covers every earlier step.
        public var builtinBenchCommand: [String]?

        public init(
            toolVersion: String, seed: UInt64 = 0, python: URL? = nil, trtexec: URL? = nil,
            builtinBenchCommand: [String]? = nil
        ) {
            self.toolVersion = toolVersion
            self.seed = seed
            self.python = python
            self.trtexec = trtexec
            self.builtinBenchCommand = builtinBenchCommand
        }
    }

    public var configuration: Configuration
    /// Receives a line for each layer a decomposition reaches and each evaluated batch.
    public var log: @Sendable (String) -> Void

    public init(configuration: Configuration, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.log = log
    }

    public func prepareModel(_ request: PrepareModelRequest) throws {
        let graph = try Model.load(from: request.graph)
        try FileManager.default.createDirectory(
            at: request.output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try initializeWeights(graph, seed: request.seed).save(to: request.output)
    }

    public func compress(_ request: CompressRequest) throws -> ActionOutcome {
        guard let method = FactorizationMethod(rawValue: request.method) else {
            throw StudyEngineError.unknownMethod(request.method)
        }
        let model = try preparedForCompression(Model.load(from: request.input))
        let options = CompressionOptions(
            method: method, rankPolicy: Self.factorizationPolicy(request.rankPolicy), seed: configuration.seed)
        let measurement = MeasurementOptions(
            inputShapes: Self.batchOneShapes(model), threads: ProcessInfo.processInfo.activeProcessorCount,
            seed: configuration.seed)
        var (compressed, report) = try compressModel(model, options: options, measurement: measurement) { layer, index, total in
            log("\(request.method) \(index + 1)/\(total) \(layer)")
        }
        compressed.metadata.append(("factorize.version", configuration.toolVersion))
        try FileManager.default.createDirectory(
            at: request.output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try compressed.save(to: request.output)
        var ranks: [String: [Int]] = [:]
        for layer in report.layers where layer.factorized { ranks[layer.layer] = layer.ranks }
        return .measured(Metrics(parameters: report.parametersAfter, macs: report.macsAfter), ranks: ranks)
    }

    public func fineTune(_ request: FineTuneRequest) throws -> ActionOutcome {
        try fineTuneWithTraining(request)
    }

    /// Fine-tunes the decomposed model through `Training.fineTune` with the spec's optimizer,
    /// learning rate (cosine decay to 0), batch and step limits, distilling from the original
    /// model when the spec asks, and writes it with `factorize.state` = `finetuned`.
    /// Data sets other than Fashion-MNIST and MNIST IDX files give `.unavailable`.
    func fineTuneWithTraining(_ request: FineTuneRequest) throws -> ActionOutcome {
        guard ["fashion-mnist", "mnist"].contains(request.dataset.kind) else {
            return .unavailable("fine-tuning reads Fashion-MNIST or MNIST IDX files, not \(request.dataset.kind)")
        }
        let settings = request.settings
        var training = try Training.ImageDataset.fashionMNIST(directory: request.dataset.path, split: .train)
        if let limit = settings.trainLimit, limit < training.count { training = training.subset(0..<limit) }
        let model = try Model.load(from: request.input)
        var options = FineTuneOptions(
            batchSize: settings.batch, learningRate: settings.learningRate, optimizer: Self.optimizer(settings),
            seed: settings.seed, threads: request.threads)
        let stepsPerEpoch = max(training.count / max(settings.batch, 1), 1)
        let epochSteps = settings.epochs.map { Int(($0 * Double(stepsPerEpoch)).rounded(.up)) } ?? settings.maxSteps
        let steps = max(min(settings.maxSteps, epochSteps), 1)
        options.epochs = (steps + stepsPerEpoch - 1) / stepsPerEpoch
        options.maxSteps = steps
        if let distillation = settings.distillation {
            options.distillation = FineTuneDistillation(
                teacher: try Model.load(from: request.teacher), temperature: Float(distillation.temperature),
                alpha: Float(distillation.alpha))
        }
        let result = try Training.fineTune(model, training: training, evaluation: nil, options: options) { event in
            if case .step(let step) = event, step.step % 50 == 0 {
                log("finetune step \(step.step)/\(steps) loss \(step.loss)")
            }
            return .proceed
        }
        var written = result.model
        written.metadata.removeAll { ["factorize.version", "factorize.state"].contains($0.key) }
        written.metadata.append(("factorize.version", configuration.toolVersion))
        written.metadata.append(("factorize.state", ModelState.finetuned.rawValue))
        try FileManager.default.createDirectory(
            at: request.output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try written.save(to: request.output)
        let statistics = try layerStatistics(written, inputShapes: Self.batchOneShapes(written))
        return .measured(Metrics(
            parameters: statistics.totalParameters, macs: statistics.totalMACs,
            finalLoss: result.lastLoss.map { Double($0) }, steps: result.steps))
    }

    private static func optimizer(_ settings: FineTuneSpec) -> OptimizerKind {
        settings.optimizer == "sgd"
            ? .sgd(momentum: settings.momentum, nesterov: false, weightDecay: settings.weightDecay)
            : .adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: settings.weightDecay)
    }

    public func evaluate(_ request: EvaluateRequest) throws -> ActionOutcome {
        var version = configuration.toolVersion
        switch request.runtime {
        case "builtin":
            break
        case "onnxruntime":
            let backend = OnnxRuntimeBackend(python: configuration.python)
            if let reason = backend.unavailabilityReason() { return .unavailable(reason) }
            version = (try? backend.versions().onnxruntime) ?? "unknown"
        default:
            return .unavailable("accuracy is measured on builtin or onnxruntime, not \(request.runtime)")
        }
        let settings = EvaluationSettings(
            batchSize: request.batch, limit: request.limit, threads: request.threads, optimize: request.optimized,
            runtime: request.runtime, python: configuration.python)
        let result = try evaluateAccuracy(
            model: request.model, source: EvaluationSource(request.dataset), settings: settings
        ) { done, total in
            log("eval \(done)/\(total)")
        }
        return .measured(Metrics(top1: result.top1, top5: result.top5, samples: result.samples), runtimeVersion: version)
    }

    public func benchmark(_ request: BenchmarkRequest) throws -> ActionOutcome {
        let backendRequest = Backends.BenchmarkRequest(
            model: request.model, inputShapes: try Self.batchShapes(request.model, batch: request.batch),
            warmupIterations: request.warmup, iterations: request.iterations)
        switch request.runtime {
        case "builtin":
            if let command = configuration.builtinBenchCommand {
                return ActionOutcome(benchmark: try benchmarkInFreshProcess(command, request), runtimeVersion: configuration.toolVersion)
            }
            let backend = BuiltinBackend(optimize: request.optimized, threads: request.threads, seed: configuration.seed)
            return ActionOutcome(benchmark: try backend.benchmark(backendRequest), runtimeVersion: configuration.toolVersion)
        case "onnxruntime":
            let backend = OnnxRuntimeBackend(
                python: configuration.python, optimization: request.optimized ? .all : .disable,
                intraOpThreads: request.threads, seed: Int(configuration.seed))
            if let reason = backend.unavailabilityReason() { return .unavailable(reason) }
            let version = (try? backend.versions().onnxruntime) ?? "unknown"
            return ActionOutcome(benchmark: try backend.benchmark(backendRequest), runtimeVersion: version)
        case "tensorrt":
            let backend = TensorRTBackend(trtexec: configuration.trtexec)
            if let reason = backend.unavailabilityReason() { return .unavailable(reason) }
            let result = try backend.benchmark(backendRequest)
            return ActionOutcome(benchmark: result, runtimeVersion: result.extras["tensorrt_version"]?.string)
        default:
            return .unavailable("unknown runtime \(request.runtime)")
        }
    }

    public func inspectModel(at file: URL) throws -> ModelStatistics {
        let inspection = try ModelInspection(model: Model.load(from: file))
        return ModelStatistics(parameters: inspection.parameters, macs: inspection.macs)
    }

    /// Converts a study rank policy to the decomposition library's policy.
    public static func factorizationPolicy(_ policy: RankPolicy) -> Factorization.RankPolicy {
        switch policy {
        case .ratio(let fraction): return .ratio(fraction)
        case .energy(let fraction): return .energy(fraction)
        case .fixed(let rank): return .fixed(rank)
        case .evbmf: return .vbmf
        }
    }

    /// Declared input shapes with every unknown extent set to 1.
    static func batchOneShapes(_ model: Model) -> [String: [Int]] {
        var shapes: [String: [Int]] = [:]
        for input in model.graph.inputs where model.graph.initializers[input.name] == nil {
            guard let dims = input.shape else { continue }
            shapes[input.name] = dims.map { dim in
                if case .known(let value) = dim { return value }
                return 1
            }
        }
        return shapes
    }

    /// Input shapes of the model file with the leading (batch) extent set to `batch`.
    static func batchShapes(_ file: URL, batch: Int) throws -> [String: [Int]] {
        batchOneShapes(try Model.load(from: file)).mapValues { shape in
            shape.isEmpty ? shape : [batch] + shape.dropFirst()
        }
    }

    private func benchmarkInFreshProcess(_ command: [String], _ request: BenchmarkRequest) throws -> BenchmarkResult {
        var arguments = Array(command.dropFirst()) + [
            request.model.path, "--runtime", "builtin", "--json", "--batch", "\(request.batch)",
            "--threads", "\(request.threads)", "--warmup", "\(request.warmup)", "--iterations", "\(request.iterations)",
        ]
        if !request.optimized { arguments.append("--no-optimize") }
        let output = try runProcess(URL(fileURLWithPath: command[0]), arguments: arguments)
        do {
            return try JSONDecoder().decode(BenchmarkResult.self, from: output)
        } catch {
            throw StudyEngineError.invalidBenchmarkOutput(
                command: ([command[0]] + arguments).joined(separator: " "), output: String(decoding: output.prefix(500), as: UTF8.self))
        }
    }
}

/// Runs a program to completion and returns its standard output; standard error is discarded
/// unless the program fails.
private func runProcess(_ executable: URL, arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("factorize-bench-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errorFile)
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        let message = String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
        throw StudyEngineError.processFailed(
            command: ([executable.path] + arguments).joined(separator: " "), status: process.terminationStatus,
            standardError: message)
    }
    return data
}

/// Failures of the study engine's own steps.
public enum StudyEngineError: Error, CustomStringConvertible, Equatable {
    /// A study method the decomposition library does not know.
    case unknownMethod(String)
    /// The fresh benchmark process exited with an error.
    case processFailed(command: String, status: Int32, standardError: String)
    /// The fresh benchmark process printed something other than a benchmark result.
    case invalidBenchmarkOutput(command: String, output: String)

    public var description: String {
        switch self {
        case .unknownMethod(let method):
            return "unknown decomposition method '\(method)'; use one of cp, tucker2, tt, tr"
        case .processFailed(let command, let status, let standardError):
            return "\(command) exited with status \(status): \(standardError)"
        case .invalidBenchmarkOutput(let command, let output):
            return "\(command) printed no benchmark result JSON: \(output)"
        }
    }
}
