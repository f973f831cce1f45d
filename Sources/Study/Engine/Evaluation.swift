import Datasets
import Foundation
import Graph
import LinearAlgebra
import Backends
import Runtime

/// Source of the labelled test images of an evaluation.
public enum EvaluationSource: Sendable {
    /// The 10 000 test images of Fashion-MNIST (or MNIST, whose files have the same names)
    /// in `directory`, normalised as the model's metadata specifies (see `InputNormalization`).
    /// The model's input must be [N, 1, 28, 28].
    case fashionMNIST(directory: URL)
    /// An image folder with one subfolder per class, preprocessed by `preprocessor`.
    case imageFolder(URL, preprocessor: ImagePreprocessor)
    /// Images `[N, C, H, W]` from an `.npy` file, fed as they are, with integer labels `[N]`.
    case npy(images: URL, labels: URL)

    /// Creates the source that a study's dataset entry names. `npy` datasets are a folder holding
    /// `images.npy` and `labels.npy`; image folders get ImageNet preprocessing at 224×224.
    /// - Throws: `EvaluationError.unsupportedDataset` for an unknown kind.
    public init(_ dataset: DatasetSpec) throws {
        switch dataset.kind {
        case "fashion-mnist", "mnist":
            self = .fashionMNIST(directory: dataset.path)
        case "image-folder":
            self = .imageFolder(dataset.path, preprocessor: ImagePreprocessor())
        case "npy":
            self = .npy(
                images: dataset.path.appendingPathComponent("images.npy"),
                labels: dataset.path.appendingPathComponent("labels.npy"))
        default:
            throw EvaluationError.unsupportedDataset(kind: dataset.kind, path: dataset.path.path)
        }
    }
}

/// Settings of one accuracy evaluation on the built-in engine.
public struct EvaluationSettings: Sendable {
    public var batchSize: Int
    /// Number of test samples from the start of the split; nil for all.
    public var limit: Int?
    public var threads: Int
    /// Whether the runtime fuses and rewrites the graph first (ONNX Runtime: `ORT_ENABLE_ALL`
    /// when true, `ORT_DISABLE_ALL` when false).
    public var optimize: Bool
    /// `builtin` or `onnxruntime`.
    public var runtime: String
    /// Python interpreter with onnxruntime; nil uses `OnnxRuntimeBackend.defaultPython()`.
    public var python: URL?

    public init(
        batchSize: Int = 100, limit: Int? = nil, threads: Int = 1, optimize: Bool = true, runtime: String = "builtin",
        python: URL? = nil
    ) {
        self.batchSize = batchSize
        self.limit = limit
        self.threads = threads
        self.optimize = optimize
        self.runtime = runtime
        self.python = python
    }

    /// Runtimes that `evaluateAccuracy` can run.
    public static let runtimes = ["builtin", "onnxruntime"]
}

/// Measures the accuracy of the model at `model` on `source`, and with `reference` its
/// agreement with another model on the same images.
/// - Parameter progress: receives the samples done and the total after each batch.
/// - Throws: `EvaluationError`, `DatasetError`, `GraphError` and `RuntimeError`.
public func evaluateAccuracy(
    model: URL, reference: URL? = nil, source: EvaluationSource, settings: EvaluationSettings,
    progress: (Int, Int) -> Void = { _, _ in }
) throws -> EvaluationResult {
    let loaded = try Model.load(from: model)
    let referenceModel = try reference.map { try Model.load(from: $0) }
    var referenceClassifier: (any ImageClassifier)?
    if let referenceModel, let reference {
        referenceClassifier = try classifier(referenceModel, file: reference, settings: settings)
    }
    var evaluator = AccuracyEvaluator(
        classifier: try classifier(loaded, file: model, settings: settings), reference: referenceClassifier)

    // A model exported with a fixed batch extent (often 1, with Reshape targets that bake it
    // in) runs only that batch size.
    var settings = settings
    if let batch = fixedBatchExtent(loaded) ?? referenceModel.flatMap(fixedBatchExtent) { settings.batchSize = batch }

    let data: LabelledData
    switch source {
    case .fashionMNIST(let directory):
        try checkGrayscaleInput(loaded, path: model.path)
        if let referenceModel, let reference { try checkGrayscaleInput(referenceModel, path: reference.path) }
        let normalization = try InputNormalization(metadataOf: loaded, name: model.path)
        evaluator.transform = normalization.apply(toUnitPixels:)
        if let referenceModel, let reference {
            evaluator.referenceTransform = try InputNormalization(metadataOf: referenceModel, name: reference.path)
                .apply(toUnitPixels:)
        }
        let dataset = try FashionMNIST.load(split: .test, directory: directory)
        data = .inMemory(dataset, batchSize: settings.batchSize, limit: settings.limit)
    case .imageFolder(let root, let preprocessor):
        data = .imageFolder(
            try ImageFolder(root: root), preprocessor: preprocessor, batchSize: settings.batchSize, limit: settings.limit)
    case .npy(let images, let labels):
        data = try .npy(images: images, labels: labels, batchSize: settings.batchSize, limit: settings.limit)
    }
    return try evaluator.evaluate(data) { progress($0, data.count) }
}

/// Opens `model` on the runtime that `settings` names.
/// - Throws: `EvaluationError.unsupportedRuntime`, and the runtime's errors.
private func classifier(_ model: Model, file: URL, settings: EvaluationSettings) throws -> any ImageClassifier {
    switch settings.runtime {
    case "builtin":
        let options = InferenceOptions(optimize: settings.optimize, threads: settings.threads)
        return BuiltinClassifier(session: try InferenceSession(model: model, options: options), modelName: file.path)
    case "onnxruntime":
        let backend = OnnxRuntimeBackend(
            python: settings.python, optimization: settings.optimize ? .all : .disable, intraOpThreads: settings.threads)
        return try OnnxRuntimeClassifier(backend: backend, model: file)
    default:
        throw EvaluationError.unsupportedRuntime(settings.runtime)
    }
}

/// Returns the known leading extent of the model's first data input, or nil when it is symbolic.
private func fixedBatchExtent(_ model: Model) -> Int? {
    guard let input = model.graph.inputs.first(where: { model.graph.initializers[$0.name] == nil }),
        case .known(let extent)? = input.shape?.first
    else { return nil }
    return extent
}

/// Checks that the model's first input accepts [N, 1, 28, 28] images.
private func checkGrayscaleInput(_ model: Model, path: String) throws {
    guard let input = model.graph.inputs.first(where: { model.graph.initializers[$0.name] == nil }) else {
        throw EvaluationError.inputShapeMismatch(model: path, input: "", expected: "[N, 1, 28, 28]", actual: "no input")
    }
    let dims = input.shape ?? []
    let fits =
        dims.count == 4
        && zip(dims.dropFirst(), [1, 28, 28]).allSatisfy { dim, extent in
            if case .known(let value) = dim { return value == extent }
            return true
        }
    guard fits else {
        let actual = "[" + dims.map { dim -> String in
            switch dim {
            case .known(let value): return "\(value)"
            case .symbolic(let name): return name
            case .unknown: return "?"
            }
        }.joined(separator: ", ") + "]"
        throw EvaluationError.inputShapeMismatch(model: path, input: input.name, expected: "[N, 1, 28, 28]", actual: actual)
    }
}
