import Foundation
import Graph
import Study
import Training

/// `factorize train`: trains a built-in architecture from scratch and writes it with
/// BatchNormalization folded.
enum TrainCommand: Command {
    static let architectures = ["resnet18-fmnist"]

    static let spec = CommandSpec(
        name: "train",
        abstract: "Train a built-in architecture from scratch on a data set.",
        discussion: """
            Architectures:
              resnet18-fmnist      ResNet-18 for [N, 1, 28, 28] inputs and 10 classes: a 3×3 stem without
                                   max-pooling, four stages of two basic blocks with --width, 2×width,
                                   4×width and 8×width channels, global average pooling, one linear layer
            Data sets:
              fashion-mnist        the Fashion-MNIST files in /usr/share/datasets/fashion-mnist
              fashion-mnist:DIR    the same files in another folder
            Trains with Nesterov SGD, momentum 0.9, weight decay 5e-4, 200 steps of linear warm-up then
            cosine decay to 0, label smoothing 0.1, random crops after padding 2 and horizontal flips,
            and reports top-1 accuracy on the 10 000 test images (or the first --eval-subset) after
            each epoch. The shipped examples/fashion-mnist-resnet18.onnx came from
            scripts/train-baseline.sh, which adds a second, low-rate phase to these settings.
            """,
        positionals: [PositionalSpec("ARCH", "Architecture to build: \(architectures.joined(separator: ", ")).")],
        options: [
            .value("output", short: "o", "OUT", "Path of the trained model to write."),
            .value("dataset", "SOURCE", "fashion-mnist or fashion-mnist:DIR."),
            .value("epochs", "N", "Passes over the training images (default 4)."),
            .value("lr", "F", "Peak learning rate (default 0.05 for sgd, 0.001 for adamw)."),
            .value("optimizer", "NAME", "sgd (Nesterov, momentum 0.9, the default) or adamw."),
            .value("batch-size", "B", "Images per optimizer step (default 64)."),
            .value("width", "W", "Channels of the first stage (default 16)."),
            .value("train-subset", "N", "Train on the first N training images only."),
            .value("eval-subset", "N", "Measure accuracy on the first N test images only."),
            .value("threads", "N", "OpenBLAS threads (default: all cores)."),
            .value("seed", "S", "Seed of the initial weights and of shuffling (default 0)."),
            .value("results", "DIR", "Also write a JSON results document about the written model into DIR."),
            .flag("json", "Print one JSON object instead of text."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let architecture = try arguments.requiredPositional("ARCH")
        guard architectures.contains(architecture) else {
            throw UsageError(
                "invalid value '\(architecture)' for ARCH: expected one of \(architectures.joined(separator: ", "))",
                command: spec.name)
        }
        let outputURL = URL(fileURLWithPath: try arguments.requiredString("output"))
        try FileChecks.requireOutputFolder(outputURL)
        let directory = try trainingDataDirectory(arguments)
        var options = try trainingOptions(arguments, defaultEpochs: 4, defaultRate: 0.05)
        options.warmupSteps = 200
        options.labelSmoothing = 0.1
        options.augmentation = Augmentation(cropPadding: 2, horizontalFlip: true)
        options.evaluatesBefore = false
        let width = try positiveInt(arguments, "width") ?? 16

        let model = ResNetBuilder.resNet18(inputShape: [1, 28, 28], classes: 10, baseWidth: width, seed: options.seed)
        let (training, evaluation) = try trainingData(arguments, directory: directory)
        let reporter = TrainingProgress(console: console, label: "train", epochs: options.epochs, batchSize: options.batchSize)
        let started = Date()
        let result = try fineTune(model, training: training, evaluation: evaluation, options: options, progress: reporter.handle)
        reporter.finish()

        var written = result.model
        written.metadata.append(("factorize.version", factorizeVersion))
        written.metadata.append(("factorize.model", architecture))
        written.metadata.append(("factorize.training.recipe", recipe(options, width: width, images: training.count)))
        written.metadata.append(("factorize.training.test_accuracy", String(format: "%.4f", result.accuracyAfter ?? 0)))
        try written.save(to: outputURL)
        if let directory = arguments.string("results") {
            let record = ResultRecord(
                kind: .eval, modelFile: outputURL, description: ModelDescription(model: written, file: outputURL),
                runtime: RuntimeIdentity(name: "builtin", version: factorizeVersion),
                metrics: Metrics(sizeBytes: fileSize(outputURL), top1: result.accuracyAfter, samples: evaluation.count))
            console.log("wrote \(try writeResult(record, to: directory).path)")
        }

        let seconds = Date().timeIntervalSince(started)
        if arguments.flag("json") {
            console.print(try jsonText([
                "accuracy": result.accuracyAfter ?? 0, "evaluation_images": evaluation.count, "training_images": training.count,
                "steps": result.steps, "seconds": seconds, "output": outputURL.path,
            ]))
        } else {
            console.print(String(format: "top-1  %.2f %%  (%ld test images)", (result.accuracyAfter ?? 0) * 100, evaluation.count))
            console.print("trained \(result.steps) steps on \(training.count) images in \(durationText(seconds))")
        }
        console.log("wrote \(outputURL.path)")
    }

    private static func recipe(_ options: FineTuneOptions, width: Int, images: Int) -> String {
        "resnet18 base \(width), \(options.epochs) epochs on \(images) images, batch \(options.batchSize), "
            + "SGD nesterov momentum 0.9 lr \(options.learningRate) cosine warmup \(options.warmupSteps), weight decay 5e-4, "
            + "label smoothing \(options.labelSmoothing), crop padding 2, flip true, seed \(options.seed)"
    }
}
