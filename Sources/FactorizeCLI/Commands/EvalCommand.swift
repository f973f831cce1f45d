import Backends
import Datasets
import Foundation
import Graph
import Study

/// `factorize eval`: top-1 and top-5 accuracy of a classifier on a labelled test set.
enum EvalCommand: Command {
    static let spec = CommandSpec(
        name: "eval",
        abstract: "Measure top-1 and top-5 accuracy of a model on a labelled test set.",
        discussion: """
            Data sets:
              fashion-mnist        the 10 000 Fashion-MNIST test images from /usr/share/datasets/fashion-mnist
              fashion-mnist:DIR    the same files in another folder (MNIST files work too)
              imagefolder:DIR      one subfolder per class, in sorted order; PNG and JPEG photos
              npy:FILE             images [N, C, H, W] fed as they are; labels from --labels-npy
            Fashion-MNIST images reach the model as (pixel * scale - mean) / std with scale, mean and
            std from the model's metadata_props keys factorize.input.scale (default 1/255),
            factorize.input.mean (default 0) and factorize.input.std (default 1); the model's input
            must be [N, 1, 28, 28]. Image folders get ImageNet preprocessing: shorter side resized
            to 256, centre crop 224, /255, ImageNet mean and std, unless --resize, --crop, --mean or
            --std say otherwise. --limit takes the first N samples in the data set's order.
            --runtime onnxruntime runs each batch in a Python helper (FACTORIZE_PYTHON or .build/venv),
            with ORT_ENABLE_ALL, or ORT_DISABLE_ALL under --no-optimize. With --reference, also reports how often both models rank the same class first and the
            mean KL divergence KL(p_reference || p_model) of their softmax outputs, in nats.
            """,
        positionals: [PositionalSpec("MODEL", "ONNX classifier to evaluate.")],
        options: [
            .value("dataset", "SOURCE", "fashion-mnist[:DIR], imagefolder:DIR or npy:FILE."),
            .value("labels-npy", "FILE", "Integer labels [N] for an npy:FILE data set."),
            .value("runtime", "NAME", "builtin or onnxruntime (default builtin)."),
            .value("reference", "MODEL", "Compare predictions with this model (for example the original)."),
            .value("limit", "N", "Evaluate only the first N samples."),
            .value("batch-size", "B", "Samples per inference (default 100)."),
            .value("threads", "N", "Threads for the engine and OpenBLAS (default: all cores)."),
            .value("resize", "PIXELS", "Image folders: shorter side after resizing (default 256; 0 keeps the size)."),
            .value("crop", "PIXELS", "Image folders: centre crop size (default 224; 0 keeps the whole image)."),
            .value("mean", "M1,M2,M3", "Image folders: per-channel mean of [0, 1] values (default ImageNet)."),
            .value("std", "S1,S2,S3", "Image folders: per-channel standard deviation (default ImageNet)."),
            .value("name", "NAME", "Model name in results documents (default: metadata or file name)."),
            .value("results", "DIR", "Also write a JSON results document into DIR."),
            .flag("no-optimize", "Run the graph as written: no fusion."),
            .flag("json", "Print one JSON object instead of text."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let modelURL = URL(fileURLWithPath: try arguments.requiredPositional("MODEL"))
        let source = try evaluationSource(arguments)
        let runtime = try arguments.choice("runtime", in: EvaluationSettings.runtimes) ?? "builtin"
        let settings = EvaluationSettings(
            batchSize: try positiveInt(arguments, "batch-size") ?? 100, limit: try positiveInt(arguments, "limit"),
            threads: try threadCount(arguments, command: spec.name), optimize: !arguments.flag("no-optimize"),
            runtime: runtime)
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            throw CLIError.fileNotFound(path: modelURL.path, what: "model")
        }
        let referenceURL = arguments.string("reference").map { URL(fileURLWithPath: $0) }
        if let referenceURL, !FileManager.default.fileExists(atPath: referenceURL.path) {
            throw CLIError.fileNotFound(path: referenceURL.path, what: "reference model")
        }
        var runtimeVersion = factorizeVersion
        if runtime == "onnxruntime" {
            let backend = OnnxRuntimeBackend()
            if let reason = backend.unavailabilityReason() { throw EvalCommandError.runtimeUnavailable(reason) }
            runtimeVersion = (try? backend.versions().onnxruntime) ?? "unknown"
        }

        let progress = ProgressLine(console: console, label: "eval")
        let result = try evaluateAccuracy(model: modelURL, reference: referenceURL, source: source, settings: settings) {
            progress.update("\($0)/\($1) samples")
        }
        progress.finish()

        if let directory = arguments.string("results") {
            let model = try Model.load(from: modelURL)
            let record = ResultRecord(
                kind: .eval, modelFile: modelURL,
                description: ModelDescription(model: model, file: modelURL, name: arguments.string("name")),
                runtime: RuntimeIdentity(name: runtime, version: runtimeVersion), optimized: settings.optimize,
                threads: settings.threads, batch: settings.batchSize,
                metrics: Metrics(
                    sizeBytes: fileSize(modelURL), top1: result.top1, top5: result.top5, samples: result.samples))
            console.log("wrote \(try writeResult(record, to: directory).path)")
        }

        if arguments.flag("json") {
            console.print(try jsonText(evaluationJSON(result)))
        } else {
            printTable(result, console: console)
        }
    }

    /// Parses `--dataset` (and `--labels-npy`, `--resize`, `--crop`, `--mean`, `--std`).
    static func evaluationSource(_ arguments: ParsedArguments) throws -> EvaluationSource {
        let text = try arguments.requiredString("dataset")
        let (kind, path) = text.firstIndex(of: ":").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) }
            ?? (text, "")
        switch kind {
        case "fashion-mnist":
            return .fashionMNIST(directory: path.isEmpty ? FashionMNIST.defaultDirectory : URL(fileURLWithPath: path))
        case "imagefolder" where !path.isEmpty:
            return .imageFolder(URL(fileURLWithPath: path), preprocessor: try preprocessor(arguments))
        case "npy" where !path.isEmpty:
            guard let labels = arguments.string("labels-npy") else {
                throw UsageError("--dataset npy:FILE needs --labels-npy FILE with one integer label per image", command: spec.name)
            }
            return .npy(images: URL(fileURLWithPath: path), labels: URL(fileURLWithPath: labels))
        default:
            throw UsageError(
                "invalid value '\(text)' for --dataset: expected fashion-mnist, fashion-mnist:DIR, imagefolder:DIR or npy:FILE",
                command: spec.name)
        }
    }

    private static func preprocessor(_ arguments: ParsedArguments) throws -> ImagePreprocessor {
        let resize = try arguments.int("resize") ?? 256
        let crop = try arguments.int("crop") ?? 224
        for (name, value) in [("resize", resize), ("crop", crop)] where value < 0 {
            throw UsageError("invalid value '\(value)' for --\(name): expected 0 or more pixels", command: spec.name)
        }
        var normalization = Normalization.imageNet
        if let mean = try floatList(arguments, "mean") { normalization.mean = mean }
        if let std = try floatList(arguments, "std") {
            if let bad = std.first(where: { !($0 > 0) }) {
                throw UsageError("invalid value '\(bad)' in --std: standard deviations must be positive", command: spec.name)
            }
            normalization.std = std
        }
        for (name, values) in [("mean", normalization.mean), ("std", normalization.std)] where values.count != 3 {
            throw UsageError(
                "invalid value '\(arguments.string(name) ?? "")' for --\(name): expected three comma-separated values, one per RGB channel",
                command: spec.name)
        }
        return ImagePreprocessor(resizeShorterSide: resize == 0 ? nil : resize, cropSize: crop == 0 ? nil : crop, normalization: normalization)
    }

    private static func floatList(_ arguments: ParsedArguments, _ name: String) throws -> [Float]? {
        guard let text = arguments.string(name) else { return nil }
        let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
            throw UsageError("invalid value '\(text)' for --\(name): expected comma-separated numbers", command: spec.name)
        }
        return values.map { $0! }
    }

    static func evaluationJSON(_ result: EvaluationResult) -> [String: Any] {
        var object: [String: Any] = [
            "top1": result.top1, "top5": result.top5, "samples": result.samples,
            "per_class": result.perClass.map { entry -> [String: Any] in
                var row: [String: Any] = ["label": entry.label, "name": entry.name, "samples": entry.samples, "correct": entry.correct]
                if let accuracy = entry.accuracy { row["accuracy"] = accuracy }
                return row
            },
        ]
        if let agreement = result.referenceAgreement { object["reference_top1_agreement"] = agreement }
        if let divergence = result.meanKLDivergence { object["reference_mean_kl_divergence"] = divergence }
        return object
    }

    private static func printTable(_ result: EvaluationResult, console: Console) {
        console.print(String(format: "top-1  %.2f %%  (%ld samples)", result.top1 * 100, result.samples))
        console.print(String(format: "top-5  %.2f %%", result.top5 * 100))
        if let agreement = result.referenceAgreement, let divergence = result.meanKLDivergence {
            console.print(String(format: "top-1 agreement with reference  %.2f %%", agreement * 100))
            console.print(String(format: "mean KL(reference || model)     %.5f nats", divergence))
        }
        console.print("")
        console.print("class                 samples  top-1 (%)")
        for entry in result.perClass {
            let accuracy = entry.accuracy.map { String(format: "%9.2f", $0 * 100) } ?? "        -"
            let name = String(entry.name.prefix(20))
            console.print(name.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "  %7d  ", entry.samples) + accuracy)
        }
    }
}

/// Parses a positive integer option; returns nil when it is absent.
func positiveInt(_ arguments: ParsedArguments, _ name: String) throws -> Int? {
    guard let value = try arguments.int(name) else { return nil }
    guard value >= 1 else {
        throw UsageError("invalid value '\(value)' for --\(name): expected 1 or more", command: arguments.command)
    }
    return value
}

/// Serializes a JSON object with sorted keys on one line.
func jsonText(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

enum EvalCommandError: Error, CustomStringConvertible {
    case runtimeUnavailable(String)

    var description: String {
        switch self {
        case .runtimeUnavailable(let reason): return "cannot evaluate on onnxruntime: \(reason)"
        }
    }
}
