import Factorization
import Foundation
import Graph

/// `factorize compress`: factorizes a model's convolution and fully connected layers.
enum CompressCommand: Command {
    static let spec = CommandSpec(
        name: "compress",
        abstract: "Factorize convolution and fully connected layers into standard ONNX.",
        discussion: """
            BatchNorm is folded into convolutions first. By default every eligible layer except the
            first convolution and the classifier is factorized; grouped and depthwise convolutions stay
            unchanged unless --per-group, which factorizes each group of a grouped convolution on its
            own and keeps the groups in every factor convolution (depthwise ones always stay).
            A rank above what a layer allows is clamped to the layer's full rank and reported,
            so a very large --rank gives an exact rewrite for tucker2, tt, tr and svd.
            1×1 convolutions are matrices: every method factorizes them as a truncated SVD.
            Without a rank option, --ratio 0.5 applies. A layer whose --energy or --vbmf ranks
            would not reduce its parameters stays unchanged and is listed with the reason.
            For tt and tr, a Gemm or MatMul layer becomes a TT- or TR-matrix: its output and input
            sizes are each split into --matrix-order factors (default 3; 1s pad sizes with fewer
            prime factors), or as a --matrix-shapes file gives them per layer, keyed by the layer
            names compress prints: {"/fc/Gemm": {"output": [10, 10, 10], "input": [16, 16, 2]}}.
            """,
        positionals: [PositionalSpec("MODEL", "ONNX model to compress.")],
        options: [
            .value("output", short: "o", "OUT", "Path of the compressed model to write."),
            .value("method", "METHOD", "cp, cp3, tucker2, tt, tr or svd."),
            .value("rank", "N", "The same rank for every layer (every inner rank for tt and tr)."),
            .value("ratio", "F", "Fraction of each layer's parameters to keep, in (0, 1]."),
            .value("energy", "E", "Fraction of each layer's spectral energy to keep, in (0, 1]."),
            .flag("vbmf", "Choose Tucker-2 ranks by EVBMF (Nakajima et al. 2013; Kim et al. 2015)."),
            .value("ranks", "FILE.json", "Ranks per layer: {\"layer name\": [ranks]}; other layers use the rank policy."),
            .value("matrix-order", "D", "Factors per dimension of tt and tr matrix layers (default 3)."),
            .value("matrix-shapes", "FILE.json", "Factors of named tt and tr matrix layers (format below)."),
            .value("rank-multiple", "K", "Round every rank up to a multiple of K (for example 8)."),
            .value("layers", "REGEX", "Factorize only layers whose name matches."),
            .value("skip", "REGEX", "Leave layers whose name matches unchanged."),
            .value("min-params", "N", "Leave layers with fewer weight parameters unchanged."),
            .flag("include-first", "Also factorize the first convolution."),
            .flag("include-classifier", "Also factorize the classifier (the last weighted layer)."),
            .flag("per-group", "Factorize grouped (not depthwise) convolutions group by group."),
            .flag("keep-if-faster", "Time each layer on the built-in engine; keep the original where it is faster."),
            .value("max-iter", "N", "CP-ALS iterations per layer (default 50)."),
            .value("seed", "S", "Seed of random initialisations and checks (default 0)."),
            .value("threads", "N", "Threads for decompositions and checks (default: all cores)."),
            .flag("json", "Print the report as one JSON object."),
            .value("results", "DIR", "Also write a JSON results document about the written model into DIR."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let inputURL = URL(fileURLWithPath: try arguments.requiredPositional("MODEL"))
        let outputURL = URL(fileURLWithPath: try arguments.requiredString("output"))
        let options = try compressionOptions(arguments)
        let threads = try threadCount(arguments, command: spec.name)
        try FileChecks.requireOutputFolder(outputURL)

        let model = try preparedForCompression(Model.load(from: inputURL))
        let measurement = MeasurementOptions(
            inputShapes: defaultInputShapes(model), keepIfFaster: arguments.flag("keep-if-faster"), threads: threads,
            seed: options.seed)
        let progress = ProgressLine(console: console, label: "compress")
        let (compressed, report) = try compressModel(model, options: options, measurement: measurement) { layer, index, total in
            progress.update("\(options.method.rawValue) \(index + 1)/\(total) \(layer)")
        }
        progress.finish()

        var written = compressed
        written.metadata.append(("factorize.version", factorizeVersion))
        written.metadata.append(("factorize.model", modelName(fromFile: inputURL)))
        try written.save(to: outputURL)
        if let directory = arguments.string("results") {
            let record = ResultRecord.compression(
                of: written, file: outputURL, parameters: report.parametersAfter, macs: report.macsAfter)
            console.log("wrote \(try writeResult(record, to: directory).path)")
        }
        if arguments.flag("json") {
            console.print(try jsonString(report))
        } else {
            var targetRatio: Double?
            if case .ratio(let ratio) = options.rankPolicy { targetRatio = ratio }
            console.print(CompressionTable(report: report, targetRatio: targetRatio).render())
        }
        console.log("wrote \(outputURL.path)")
    }

    static func compressionOptions(_ arguments: ParsedArguments) throws -> CompressionOptions {
        let methodNames = FactorizationMethod.allCases.map(\.rawValue)
        guard let methodName = try arguments.choice("method", in: methodNames) else {
            throw UsageError("missing required option --method (one of \(methodNames.joined(separator: ", ")))", command: spec.name)
        }
        let method = FactorizationMethod(rawValue: methodName)!
        var policy = try rankPolicy(arguments)
        if let path = arguments.string("ranks") {
            policy = .perLayer(try readRanksFile(path), fallback: policy)
        }
        if case .vbmf = policy, method != .tucker2, method != .svd {
            throw UsageError("--vbmf chooses Tucker-2 ranks; use it with --method tucker2", command: spec.name)
        }
        do {
            try policy.validate()
        } catch let error as FactorizationError {
            throw UsageError(error.description, command: spec.name)
        }

        let minimumParameters = try arguments.int("min-params") ?? 0
        guard minimumParameters >= 0 else {
            throw UsageError("invalid value '\(minimumParameters)' for --min-params: expected 0 or more", command: spec.name)
        }
        let rankMultiple = try arguments.int("rank-multiple")
        if let rankMultiple, rankMultiple < 1 {
            throw UsageError("invalid value '\(rankMultiple)' for --rank-multiple: expected 1 or more", command: spec.name)
        }
        let maxIterations = try arguments.int("max-iter") ?? 50
        guard maxIterations >= 1 else {
            throw UsageError("invalid value '\(maxIterations)' for --max-iter: expected 1 or more", command: spec.name)
        }
        let seed = try arguments.int("seed") ?? 0
        guard seed >= 0 else { throw UsageError("invalid value '\(seed)' for --seed: expected 0 or more", command: spec.name) }

        for option in ["layers", "skip"] {
            guard let pattern = arguments.string(option) else { continue }
            do {
                _ = try Regex(pattern)
            } catch {
                throw UsageError("invalid regular expression '\(pattern)' for --\(option): \(error)", command: spec.name)
            }
        }
        let selection = LayerSelection(
            includePattern: arguments.string("layers"), skipPattern: arguments.string("skip"),
            minimumParameters: minimumParameters, includeFirstConvolution: arguments.flag("include-first"),
            includeClassifier: arguments.flag("include-classifier"), perGroup: arguments.flag("per-group"))
        let (matrixOrder, matrixShapes) = try matrixOptions(arguments, method: method)
        return CompressionOptions(
            method: method, rankPolicy: policy, selection: selection, rankMultiple: rankMultiple,
            cpMaxIterations: maxIterations, seed: UInt64(seed), matrixShapes: matrixShapes, matrixOrder: matrixOrder)
    }

    /// Returns --matrix-order (default 3) and the --matrix-shapes file's factorisations.
    static func matrixOptions(_ arguments: ParsedArguments, method: FactorizationMethod) throws
        -> (order: Int, shapes: [String: (output: [Int], input: [Int])])
    {
        let matrixOptionsGiven = ["matrix-order", "matrix-shapes"].filter { arguments.string($0) != nil }
        if let option = matrixOptionsGiven.first, method != .tt, method != .tr {
            throw UsageError(
                "--\(option) sets the factors of TT- and TR-matrices; use it with --method tt or tr", command: spec.name)
        }
        let order = try arguments.int("matrix-order") ?? 3
        let orders = CompressionOptions.matrixOrders
        guard orders.contains(order) else {
            throw UsageError(
                "invalid value '\(order)' for --matrix-order: expected \(orders.lowerBound) to \(orders.upperBound)",
                command: spec.name)
        }
        return (order, try arguments.string("matrix-shapes").map(readMatrixShapesFile) ?? [:])
    }

    /// Returns the one rank policy given by --rank, --ratio, --energy or --vbmf (default ratio 0.5).
    static func rankPolicy(_ arguments: ParsedArguments) throws -> RankPolicy {
        let given = ["rank", "ratio", "energy"].filter { arguments.string($0) != nil } + (arguments.flag("vbmf") ? ["vbmf"] : [])
        guard given.count <= 1 else {
            throw UsageError(
                "options \(given.map { "--\($0)" }.joined(separator: " and ")) exclude each other; give one rank policy",
                command: spec.name)
        }
        if let rank = try arguments.int("rank") {
            guard rank > 0 else { throw UsageError("invalid value '\(rank)' for --rank: a rank must be 1 or more", command: spec.name) }
            return .fixed(rank)
        }
        if let ratio = try arguments.double("ratio") {
            guard ratio > 0, ratio <= 1 else {
                throw UsageError("invalid value '\(ratio)' for --ratio: expected a fraction in (0, 1]", command: spec.name)
            }
            return .ratio(ratio)
        }
        if let energy = try arguments.double("energy") {
            guard energy > 0, energy <= 1 else {
                throw UsageError("invalid value '\(energy)' for --energy: expected a fraction in (0, 1]", command: spec.name)
            }
            return .energy(energy)
        }
        return arguments.flag("vbmf") ? .vbmf : .ratio(0.5)
    }

    /// Reads `{"layer": [ranks], ...}`.
    static func readRanksFile(_ path: String) throws -> [String: [Int]] {
        let data = try FileChecks.contents(of: path, what: "ranks file")
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FactorizationError.invalidRanksFile(path: path, reason: "expected a JSON object of layer names to rank lists")
        }
        var ranks: [String: [Int]] = [:]
        for (layer, value) in object {
            if let single = value as? Int {
                ranks[layer] = [single]
            } else if let list = value as? [Int] {
                ranks[layer] = list
            } else {
                throw FactorizationError.invalidRanksFile(
                    path: path, reason: "the value of '\(layer)' must be an integer or a list of integers")
            }
        }
        return ranks
    }
}

/// Reads `{"layer": {"output": [m₀, …], "input": [n₀, …]}, ...}`. The compressor checks the
/// factors against the layers (count, sign and products) before it decomposes anything.
func readMatrixShapesFile(_ path: String) throws -> [String: (output: [Int], input: [Int])] {
    let data = try FileChecks.contents(of: path, what: "matrix shapes file")
    let object: Any
    do {
        object = try JSONSerialization.jsonObject(with: data)
    } catch {
        throw CLIError.invalidFile(path: path, reason: "not valid JSON (\(error.localizedDescription))")
    }
    guard let layers = object as? [String: Any] else {
        throw CLIError.invalidFile(path: path, reason: "expected a JSON object of layer names to {\"output\": [...], \"input\": [...]}")
    }
    var shapes: [String: (output: [Int], input: [Int])] = [:]
    for (layer, value) in layers {
        func fail(_ reason: String) -> CLIError { .invalidFile(path: path, reason: "the value of '\(layer)' \(reason)") }
        guard let entry = value as? [String: Any] else {
            throw fail("must be an object {\"output\": [...], \"input\": [...]}")
        }
        if let unknown = entry.keys.sorted().first(where: { $0 != "output" && $0 != "input" }) {
            throw fail("has the unknown key '\(unknown)'; the keys are \"output\" and \"input\"")
        }
        guard let output = entry["output"] as? [Int], let input = entry["input"] as? [Int] else {
            throw fail("needs \"output\" and \"input\", each a list of integers")
        }
        shapes[layer] = (output, input)
    }
    return shapes
}

/// Input shapes with every symbolic or unknown extent set to 1 (batch 1).
func defaultInputShapes(_ model: Model) -> [String: [Int]] {
    var shapes: [String: [Int]] = [:]
    for input in model.graph.inputs {
        guard let dims = input.shape else { continue }
        shapes[input.name] = dims.map { dim in
            if case .known(let value) = dim { return value }
            return 1
        }
    }
    return shapes
}

/// Encodes a value as pretty-printed JSON with snake_case keys.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
