import Checkpoints
import Foundation
import Graph
import Zoo

/// `factorize zoo`: the group name alone, which only points to its subcommands.
enum ZooCommand: Command {
    static let spec = CommandSpec(
        name: "zoo",
        abstract: "Build torchvision ResNet, DenseNet and VGG models as ONNX (see 'zoo list', 'zoo build').")

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        throw UsageError("missing subcommand: use 'factorize zoo list' or 'factorize zoo build'", command: spec.name)
    }
}

/// `factorize zoo list`: the architectures with their parameter counts and checkpoint file names.
enum ZooListCommand: Command {
    static let spec = CommandSpec(
        name: "zoo list",
        abstract: "List the torchvision architectures that 'zoo build' builds.",
        discussion: "Parameter counts are learnable parameters with 1000 classes, as torchvision counts them.",
        options: [.flag("json", "Print one JSON array instead of a table.")])

    struct Entry: Encodable {
        var architecture: String
        var parameters: Int
        var checkpoints: [String]
    }

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let entries = try Architecture.allCases.map {
            Entry(architecture: $0.rawValue, parameters: try $0.parameterCount(), checkpoints: $0.checkpointFileNames)
        }
        if arguments.flag("json") {
            console.print(try jsonString(entries))
            return
        }
        console.print("architecture  parameters   checkpoints")
        for entry in entries {
            let name = entry.architecture.padding(toLength: 12, withPad: " ", startingAt: 0)
            let count = String(entry.parameters).leftPadded(to: 11)
            console.print("\(name)  \(count)  \(entry.checkpoints.joined(separator: ", "))")
        }
    }
}

/// `factorize zoo build`: writes one torchvision architecture as an ONNX model.
enum ZooBuildCommand: Command {
    static let spec = CommandSpec(
        name: "zoo build",
        abstract: "Write a torchvision architecture as an ONNX model with checkpoint or random weights.",
        discussion: """
            ARCH is one of \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")).
            The model reads 'input' [N, 3, H, W] and writes 'logits' [N, classes], at opset 17 in eval mode.
            Weights come from a PyTorch state dict (--weights, checked key by key) or from --random.
            Without --classes, the class count is read from the checkpoint's last layer (1000 with --random).
            BatchNormalization that follows a convolution is folded into it unless --keep-batchnorm is given.
            """,
        positionals: [PositionalSpec("ARCH", "Architecture name, as 'factorize zoo list' prints it.")],
        options: [
            .value("output", short: "o", "MODEL", "Path of the ONNX model to write."),
            .value("weights", "FILE", "PyTorch checkpoint (.pth) or safetensors file holding the state dict."),
            .flag("random", "Use seeded random weights (He-normal) instead of a checkpoint."),
            .value("seed", "S", "Seed of the random weights (default 0); only with --random."),
            .value("classes", "N", "Number of output classes (default: from the checkpoint, else 1000)."),
            .value("input-size", "H[xW]", "Input height and width in pixels (default 224); at least 32."),
            .flag("keep-batchnorm", "Keep BatchNormalization nodes instead of folding them into convolutions."),
            .flag("json", "Print a JSON summary on standard output."),
        ])

    struct Summary: Encodable {
        var architecture: String
        var output: String
        var parameters: Int
        var classes: Int
        var inputShape: [String]
        var nodes: Int
        var batchNormalizationNodes: Int
        var weights: String
    }

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let architecture = try parseArchitecture(try arguments.requiredPositional("ARCH"))
        let output = URL(fileURLWithPath: try arguments.requiredString("output"))
        let source = try WeightSource(arguments)
        var options = ZooOptions(keepBatchNorm: arguments.flag("keep-batchnorm"))
        if let size = try parseInputSize(arguments.string("input-size")) {
            (options.inputHeight, options.inputWidth) = size
        }
        if let classes = try arguments.int("classes") {
            guard classes >= 1 else {
                throw UsageError("invalid value '\(classes)' for --classes: expected 1 or more", command: spec.name)
            }
            options.classes = classes
        }
        try checkOptions(options, for: architecture)

        let weights: ZooWeights
        switch source {
        case .random(let seed):
            console.log("drawing random weights for \(architecture.rawValue) (seed \(seed))")
            weights = .random(seed: seed)
        case .checkpoint(let url):
            console.log("reading \(url.path)")
            let stateDict = try loadStateDict(contentsOf: url)
            if arguments.string("classes") == nil, let bias = stateDict[architecture.classifierBiasKey], bias.shape.count == 1 {
                options.classes = bias.shape[0]
            }
            weights = .stored(stateDict)
        }

        console.log("building \(architecture.rawValue) for \(options.inputHeight)x\(options.inputWidth) input, \(options.classes) classes")
        let model = try architecture.buildModel(weights: weights, options: options)
        try model.save(to: output)

        let summary = Summary(
            architecture: architecture.rawValue, output: output.path,
            parameters: try architecture.parameterCount(classes: options.classes), classes: options.classes,
            inputShape: ["N", "3", String(options.inputHeight), String(options.inputWidth)],
            nodes: model.graph.nodes.count,
            batchNormalizationNodes: model.graph.nodes.filter { $0.opType == "BatchNormalization" }.count,
            weights: source.description)
        console.log("wrote \(output.path): \(summary.nodes) nodes, \(summary.parameters) parameters, \(summary.weights) weights")
        if arguments.flag("json") {
            console.print(try jsonString(summary))
        }
    }

    /// Source of the weights for `zoo build`, built after checking that exactly one source was given.
    enum WeightSource: CustomStringConvertible {
        case checkpoint(URL)
        case random(seed: UInt64)

        init(_ arguments: ParsedArguments) throws {
            let path = arguments.string("weights")
            let random = arguments.flag("random")
            let seed = try arguments.int("seed")
            switch (path, random) {
            case (nil, false):
                throw UsageError("missing weights: pass --weights FILE to load a checkpoint or --random (with --seed S) for random weights", command: spec.name)
            case (.some, true):
                throw UsageError("--weights and --random exclude each other: pass only one", command: spec.name)
            case (.some(let path), false):
                guard seed == nil else {
                    throw UsageError("--seed applies only to --random weights: remove it, or pass --random instead of --weights", command: spec.name)
                }
                guard FileManager.default.fileExists(atPath: path) else { throw CLIError.fileNotFound(path: path, what: "checkpoint") }
                self = .checkpoint(URL(fileURLWithPath: path))
            case (nil, true):
                guard (seed ?? 0) >= 0 else {
                    throw UsageError("invalid value '\(seed!)' for --seed: expected 0 or more", command: spec.name)
                }
                self = .random(seed: UInt64(seed ?? 0))
            }
        }

        var description: String {
            switch self {
            case .checkpoint(let url): return "checkpoint \(url.lastPathComponent)"
            case .random(let seed): return "random (seed \(seed))"
            }
        }
    }

    private static func parseArchitecture(_ name: String) throws -> Architecture {
        guard let architecture = Architecture(rawValue: name) else {
            let names = Architecture.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError("invalid architecture '\(name)': expected one of \(names)", command: spec.name)
        }
        return architecture
    }

    /// Parses `H` (a square input) or `HxW`; nil when the option is absent.
    private static func parseInputSize(_ text: String?) throws -> (Int, Int)? {
        guard let text else { return nil }
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0 != nil }) else {
            throw UsageError("invalid value '\(text)' for --input-size: expected H or HxW in pixels, such as 224 or 256x192", command: spec.name)
        }
        return (parts[0]!, parts[parts.count - 1]!)
    }

    /// Reports an input size or class count that the architecture rejects as a usage error, before any weights are read.
    private static func checkOptions(_ options: ZooOptions, for architecture: Architecture) throws {
        do {
            _ = try architecture.parameterSpecs(options: options)
        } catch let error as ZooError {
            throw UsageError("\(error)", command: spec.name)
        }
    }
}

extension String {
    /// Pads the string with leading spaces to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
