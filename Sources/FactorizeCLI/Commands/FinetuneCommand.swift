import Foundation
import Graph
import Study
import Training

/// `factorize finetune`: trains a (usually compressed) classifier further, optionally distilling
/// from the original model, and writes it with BatchNormalization folded.
enum FinetuneCommand: Command {
    static let spec = CommandSpec(
        name: "finetune",
        abstract: "Fine-tune a classifier (for example a compressed one), optionally distilling from the original.",
        discussion: """
            Data sets:
              fashion-mnist        the Fashion-MNIST files in /usr/share/datasets/fashion-mnist
              fashion-mnist:DIR    the same files in another folder (MNIST files work too)
            Trains on the 60 000 training images (or the first --train-subset of them) with AdamW
            (or Nesterov SGD with momentum 0.9, --optimizer sgd), weight decay 5e-4 and a cosine
            learning-rate decay to 0, without
            augmentation, and reports top-1 accuracy on the 10 000 test images (or the first
            --eval-subset) before and after. Inputs are normalised as the model's metadata says
            (factorize.input.scale, .mean, .std; Fashion-MNIST statistics when absent), and the
            written model keeps that metadata. A compressed model has no BatchNormalization, so its
            factor convolutions train directly. With --teacher the loss is
            alpha · T² · KL(teacher ‖ student at temperature T) + (1 − alpha) · cross-entropy
            (Hinton, Vinyals and Dean, 2015); the teacher runs in evaluation mode.
            """,
        positionals: [PositionalSpec("MODEL", "ONNX classifier to fine-tune, input [N, 1, 28, 28].")],
        options: [
            .value("output", short: "o", "OUT", "Path of the fine-tuned model to write."),
            .value("dataset", "SOURCE", "fashion-mnist or fashion-mnist:DIR."),
            .value("teacher", "ORIGINAL", "Distil from this model (for example the uncompressed original)."),
            .value("temperature", "T", "Distillation softmax temperature (default 4)."),
            .value("alpha", "A", "Weight of the distillation term, in [0, 1] (default 0.9)."),
            .value("epochs", "N", "Passes over the training images (default 1)."),
            .value("lr", "F", "Initial learning rate (default 0.001 for adamw, 0.01 for sgd)."),
            .value("optimizer", "NAME", "adamw (the default) or sgd (Nesterov, momentum 0.9)."),
            .value("batch-size", "B", "Images per optimizer step (default 64)."),
            .value("train-subset", "N", "Train on the first N training images only."),
            .value("eval-subset", "N", "Measure accuracy on the first N test images only."),
            .value("threads", "N", "OpenBLAS threads (default: all cores)."),
            .value("seed", "S", "Seed of shuffling (default 0)."),
            .value("results", "DIR", "Also write a JSON results document about the written model into DIR."),
            .flag("json", "Print one JSON object instead of text."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let modelURL = URL(fileURLWithPath: try arguments.requiredPositional("MODEL"))
        let outputURL = URL(fileURLWithPath: try arguments.requiredString("output"))
        try FileChecks.requireOutputFolder(outputURL)
        let directory = try trainingDataDirectory(arguments)
        var options = try trainingOptions(arguments, defaultOptimizer: "adamw")
        let teacherURL = arguments.string("teacher").map { URL(fileURLWithPath: $0) }
        let temperature = try arguments.double("temperature") ?? 4
        let alpha = try arguments.double("alpha") ?? 0.9
        guard temperature > 0 else {
            throw UsageError("invalid value '\(temperature)' for --temperature: expected a positive number", command: spec.name)
        }
        guard (0...1).contains(alpha) else {
            throw UsageError("invalid value '\(alpha)' for --alpha: expected a number in [0, 1]", command: spec.name)
        }
        if teacherURL == nil, arguments.string("temperature") != nil || arguments.string("alpha") != nil {
            throw UsageError("missing --teacher ORIGINAL: --temperature and --alpha apply only to distillation", command: spec.name)
        }
        for (url, what) in [(modelURL, "model")] + (teacherURL.map { [($0, "teacher model")] } ?? [])
        where !FileManager.default.fileExists(atPath: url.path) {
            throw CLIError.fileNotFound(path: url.path, what: what)
        }

        let model = try Model.load(from: modelURL)
        if let teacherURL {
            options.distillation = FineTuneDistillation(
                teacher: try Model.load(from: teacherURL), temperature: Float(temperature), alpha: Float(alpha))
        }
        let (training, evaluation) = try trainingData(arguments, directory: directory)
        let reporter = TrainingProgress(console: console, label: "finetune", epochs: options.epochs, batchSize: options.batchSize)
        let started = Date()
        let result = try fineTune(model, training: training, evaluation: evaluation, options: options, progress: reporter.handle)
        reporter.finish()

        var written = result.model
        written.metadata.removeAll {
            ["factorize.version", "factorize.state"].contains($0.key) || $0.key.hasPrefix("factorize.finetune.")
        }
        written.metadata.append(("factorize.version", factorizeVersion))
        written.metadata.append(("factorize.state", "finetuned"))
        written.metadata.append(("factorize.finetune.recipe", recipe(options, teacher: teacherURL)))
        written.metadata.append(("factorize.finetune.test_accuracy", String(format: "%.4f", result.accuracyAfter ?? 0)))
        try written.save(to: outputURL)
        if let directory = arguments.string("results") {
            let record = ResultRecord(
                kind: .finetune, modelFile: outputURL, description: ModelDescription(model: written, file: outputURL),
                metrics: Metrics(
                    sizeBytes: fileSize(outputURL), top1: result.accuracyAfter, samples: evaluation.count,
                    finalLoss: result.lastLoss.map { Double($0) }, steps: result.steps))
            console.log("wrote \(try writeResult(record, to: directory).path)")
        }

        let seconds = Date().timeIntervalSince(started)
        if arguments.flag("json") {
            console.print(try jsonText([
                "accuracy_before": result.accuracyBefore ?? 0, "accuracy_after": result.accuracyAfter ?? 0,
                "evaluation_images": evaluation.count, "training_images": training.count, "steps": result.steps,
                "seconds": seconds, "output": outputURL.path,
            ]))
        } else {
            console.print(String(format: "top-1 before  %.2f %%  (%ld test images)", (result.accuracyBefore ?? 0) * 100, evaluation.count))
            console.print(String(format: "top-1 after   %.2f %%", (result.accuracyAfter ?? 0) * 100))
            console.print("trained \(result.steps) steps on \(training.count) images in \(durationText(seconds))")
        }
        console.log("wrote \(outputURL.path)")
    }

    private static func recipe(_ options: FineTuneOptions, teacher: URL?) -> String {
        let optimizer = options.optimizer == adamW ? "AdamW" : "SGD nesterov momentum 0.9"
        var text = "\(options.epochs) epochs, batch \(options.batchSize), \(optimizer) lr \(options.learningRate) "
            + "cosine to 0, weight decay 5e-4, seed \(options.seed)"
        if let distillation = options.distillation, let teacher {
            text += ", distilled from \(teacher.lastPathComponent) at temperature \(distillation.temperature) alpha \(distillation.alpha)"
        }
        return text
    }
}

/// Parses `--dataset` for `train` and `finetune`: fashion-mnist or fashion-mnist:DIR.
func trainingDataDirectory(_ arguments: ParsedArguments) throws -> URL {
    let text = try arguments.requiredString("dataset")
    if text == "fashion-mnist" { return URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist") }
    if text.hasPrefix("fashion-mnist:"), text.count > "fashion-mnist:".count {
        return URL(fileURLWithPath: String(text.dropFirst("fashion-mnist:".count)))
    }
    throw UsageError("invalid value '\(text)' for --dataset: expected fashion-mnist or fashion-mnist:DIR", command: arguments.command)
}

/// AdamW with the usual betas and the weight decay of the SGD recipe.
let adamW = OptimizerKind.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-4)

/// Parses the options `train` and `finetune` share into fine-tuning settings.
func trainingOptions(
    _ arguments: ParsedArguments, defaultEpochs: Int = 1, defaultRate: Double = 0.01, defaultOptimizer: String = "sgd"
) throws -> FineTuneOptions {
    let optimizer: OptimizerKind
    switch arguments.string("optimizer") ?? defaultOptimizer {
    case "sgd": optimizer = .sgd(momentum: 0.9, nesterov: true, weightDecay: 5e-4)
    case "adamw": optimizer = adamW
    case let other:
        throw UsageError("invalid value '\(other)' for --optimizer: expected sgd or adamw", command: arguments.command)
    }
    let rate = try arguments.double("lr") ?? (optimizer == adamW ? 0.001 : defaultRate)
    guard rate > 0 else {
        throw UsageError("invalid value '\(rate)' for --lr: expected a positive number", command: arguments.command)
    }
    let seed = try arguments.int("seed") ?? 0
    guard seed >= 0 else {
        throw UsageError("invalid value '\(seed)' for --seed: expected 0 or more", command: arguments.command)
    }
    return FineTuneOptions(
        epochs: try positiveInt(arguments, "epochs") ?? defaultEpochs, batchSize: try positiveInt(arguments, "batch-size") ?? 64,
        learningRate: rate, optimizer: optimizer, seed: UInt64(seed),
        threads: try threadCount(arguments, command: arguments.command))
}

/// Loads the training and test images, cut to `--train-subset` and `--eval-subset`.
func trainingData(_ arguments: ParsedArguments, directory: URL) throws -> (training: Training.ImageDataset, test: Training.ImageDataset) {
    let trainLimit = try positiveInt(arguments, "train-subset")
    let evalLimit = try positiveInt(arguments, "eval-subset")
    var training = try Training.ImageDataset.fashionMNIST(directory: directory, split: .train)
    var test = try Training.ImageDataset.fashionMNIST(directory: directory, split: .test)
    if let trainLimit, trainLimit < training.count { training = training.subset(0..<trainLimit) }
    if let evalLimit, evalLimit < test.count { test = test.subset(0..<evalLimit) }
    return (training, test)
}
