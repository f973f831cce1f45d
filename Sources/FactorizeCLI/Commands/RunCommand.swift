import Datasets
import Foundation
import Graph
import LinearAlgebra
import Runtime

/// `factorize run`: runs a model on one input file and prints the top classes.
enum RunCommand: Command {
    static let spec = CommandSpec(
        name: "run",
        abstract: "Run a model on an .npy, PNG or JPEG input and print the top-k classes.",
        discussion: """
            An .npy input is fed as it is (float32 or float64, NCHW) and may hold a batch. A PNG or
            JPEG photo gets ImageNet preprocessing for a 3-channel model: shorter side resized to
            256/224 of the model's input size with an antialiased bilinear filter, centre crop,
            /255, ImageNet mean and std. Scores are passed through softmax unless --raw is given.
            """,
        positionals: [PositionalSpec("MODEL", "ONNX model to run.")],
        options: [
            .value("input", "FILE", "Input: .npy tensor, or a .png/.jpg photo."),
            .value("output", "OUT.npy", "Write the first graph output as .npy (float32, C order)."),
            .value("top", "K", "Number of classes to print per sample (default 5)."),
            .value("labels", "FILE", "Class names, one per line in class-index order."),
            .value("threads", "N", "Threads for the engine and OpenBLAS (default: all cores)."),
            .flag("no-optimize", "Run the graph as written: no fusion."),
            .flag("raw", "Rank raw output scores instead of softmax probabilities."),
            .flag("json", "Print one JSON object instead of text."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let modelURL = URL(fileURLWithPath: try arguments.requiredPositional("MODEL"))
        let inputURL = URL(fileURLWithPath: try arguments.requiredString("input"))
        let top = try arguments.int("top") ?? 5
        guard top >= 1 else { throw UsageError("invalid value '\(top)' for --top: expected 1 or more", command: spec.name) }
        let threads = try threadCount(arguments, command: spec.name)
        let labels = try arguments.string("labels").map(readLabels)

        let model = try Model.load(from: modelURL)
        guard let modelInput = model.graph.inputs.first else {
            throw CLIError.invalidModel(path: modelURL.path, reason: "the model has no graph input")
        }
        let input = try loadInput(inputURL, for: modelInput)
        let session = try InferenceSession(
            model: model, options: InferenceOptions(optimize: !arguments.flag("no-optimize"), threads: threads))
        let outputs = try session.run(inputs: [modelInput.name: input])
        let outputName = session.outputNames[0]
        guard let scores = outputs[outputName] else {
            throw CLIError.invalidModel(path: modelURL.path, reason: "output '\(outputName)' was not produced")
        }

        if let path = arguments.string("output") {
            try NpyFile.write(scores, to: URL(fileURLWithPath: path))
        }
        let ranking = topClasses(scores, k: top, softmax: !arguments.flag("raw"))
        if arguments.flag("json") {
            console.print(try rankingJSON(ranking, labels: labels, output: outputName))
        } else {
            for (sample, classes) in ranking.enumerated() {
                if ranking.count > 1 { console.print("sample \(sample)") }
                for (rank, entry) in classes.enumerated() {
                    let label = labels.flatMap { entry.index < $0.count ? $0[entry.index] : nil } ?? ""
                    console.print(String(format: "%2d  %5d  %.4f  %@", rank + 1, entry.index, entry.score, label))
                }
            }
        }
    }

    /// Reads an .npy tensor, or decodes and preprocesses a photo for the model's input.
    static func loadInput(_ url: URL, for input: ValueInfo) throws -> Tensor<Float> {
        if url.pathExtension.lowercased() == "npy" {
            return try NpyFile.readFloatTensor(url)
        }
        let dims = input.shape ?? []
        var channels = 3
        var size = 224
        if dims.count == 4 {
            if case .known(let c) = dims[1] { channels = c }
            if case .known(let h) = dims[2] { size = h }
        }
        guard channels == 3 else {
            throw UsageError(
                "photo inputs need a 3-channel model; '\(input.name)' has \(channels) channels. Pass an .npy tensor instead",
                command: spec.name)
        }
        let preprocessor = ImagePreprocessor(resizeShorterSide: size * 256 / 224, cropSize: size)
        return try preprocessor.tensor(contentsOf: url)
    }
}

/// Reads class names, one per line.
func readLabels(_ path: String) throws -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw CLIError.fileNotFound(path: path, what: "labels file")
    }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

/// Returns the `k` best classes of each row of a [N, C, ...] score tensor.
func topClasses(_ scores: Tensor<Float>, k: Int, softmax: Bool) -> [[(index: Int, score: Float)]] {
    let samples = scores.shape.first ?? 1
    let classes = samples > 0 ? scores.count / samples : 0
    return (0..<samples).map { sample in
        var row = Array(scores.scalars[(sample * classes)..<((sample + 1) * classes)])
        if softmax {
            let maximum = row.max() ?? 0
            let exponentials = row.map { exp($0 - maximum) }
            let sum = exponentials.reduce(0, +)
            row = exponentials.map { $0 / sum }
        }
        let order = row.indices.sorted { row[$0] > row[$1] }
        return order.prefix(k).map { ($0, row[$0]) }
    }
}

private func rankingJSON(_ ranking: [[(index: Int, score: Float)]], labels: [String]?, output: String) throws -> String {
    let samples: [[String: Any]] = ranking.enumerated().map { sample, classes in
        let entries: [[String: Any]] = classes.map { entry in
            var object: [String: Any] = ["class": entry.index, "score": Double(entry.score)]
            if let labels, entry.index < labels.count { object["label"] = labels[entry.index] }
            return object
        }
        return ["sample": sample, "top": entries]
    }
    let data = try JSONSerialization.data(withJSONObject: ["output": output, "samples": samples], options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// `--threads N`, defaulting to every core.
func threadCount(_ arguments: ParsedArguments, command: String) throws -> Int {
    guard let threads = try arguments.int("threads") else { return ProcessInfo.processInfo.activeProcessorCount }
    guard threads >= 1 else {
        throw UsageError("invalid value '\(threads)' for --threads: expected 1 or more", command: command)
    }
    return threads
}
