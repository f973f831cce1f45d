import Backends
import Foundation

extension StudySpec {
    /// Reads and validates a spec file.
    /// - Parameter baseDirectory: folder that relative paths in the spec resolve against.
    /// - Throws: `StudySpecError` naming the offending key and value.
    public static func load(from file: URL, baseDirectory: URL) throws(StudySpecError) -> StudySpec {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .unreadable(path: file.path, reason: error.localizedDescription)
        }
        return try StudySpec(json: data, baseDirectory: baseDirectory)
    }

    /// Decodes and validates a spec from JSON text.
    /// - Throws: `StudySpecError` naming the offending key and value.
    public init(json data: Data, baseDirectory: URL) throws(StudySpecError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            throw .invalidJSON(reason: describe(error))
        } catch {
            throw .invalidJSON(reason: "\(error)")
        }

        let reader = try SpecObjectReader(path: "", value: root)
        try reader.rejectUnknownKeys(allowed: [
            "name", "models", "methods", "rank_policies", "states", "runtimes", "dataset",
            "evaluation", "fine_tune", "benchmark", "output", "description",
        ])
        let resolver = PathResolver(base: baseDirectory)

        guard let name = try reader.string("name") else { throw .missingKey(key: "name") }
        try validateIdentifier(name, key: "name")

        models = try Self.decodeModels(reader, resolver: resolver)
        dataset = try Self.decodeDataset(reader, resolver: resolver)
        states = try Self.decodeStates(reader, hasDataset: dataset != nil)
        methods = try Self.decodeMethods(reader, states: states)
        rankPolicies = try Self.decodeRankPolicies(reader)
        runtimes = try Self.decodeRuntimes(reader)
        benchmark = try Self.decodeBenchmark(reader)
        evaluation = try Self.decodeEvaluation(reader, benchmark: benchmark)
        fineTune = try Self.decodeFineTune(reader)
        output = try Self.decodeOutput(reader, name: name, resolver: resolver)
        self.name = name
        description = try reader.string("description")
    }

    private static func decodeModels(_ reader: SpecObjectReader, resolver: PathResolver) throws(StudySpecError)
        -> [ModelSpec]
    {
        guard let entries = try reader.array("models") else { throw .missingKey(key: "models") }

        var models: [ModelSpec] = []
        for entry in entries {
            let model = try SpecObjectReader(path: entry.key, value: entry.value)
            try model.rejectUnknownKeys(allowed: ["name", "file", "graph", "random_weights_seed"])
            guard let name = try model.string("name") else { throw .missingKey(key: model.keyPath("name")) }
            try validateIdentifier(name, key: model.keyPath("name"))
            if models.contains(where: { $0.name == name }) {
                throw .duplicateValue(key: model.keyPath("name"), value: "\"\(name)\"")
            }

            let file = try model.string("file")
            let graph = try model.string("graph")
            let source: ModelSource
            switch (file, graph) {
            case (let file?, nil):
                if model.value("random_weights_seed") != nil {
                    throw .invalidValue(
                        key: model.keyPath("random_weights_seed"), value: model.value("random_weights_seed")!.shortText,
                        reason: "applies only to a model given by 'graph'")
                }
                source = .file(resolver.url(file))
            case (nil, let graph?):
                let seed = try model.int("random_weights_seed") ?? 0
                guard seed >= 0 else {
                    throw .invalidValue(
                        key: model.keyPath("random_weights_seed"), value: String(seed), reason: "must not be negative")
                }
                source = .randomWeights(graph: resolver.url(graph), seed: UInt64(seed))
            case (nil, nil):
                throw .missingKey(key: model.keyPath("file"))
            case (.some, .some):
                throw .invalidValue(
                    key: model.keyPath("graph"), value: "\"\(graph!)\"",
                    reason: "give either 'file' (a runnable model) or 'graph' (weights drawn at random), not both")
            }
            models.append(ModelSpec(name: name, source: source))
        }
        return models
    }

    private static func decodeDataset(_ reader: SpecObjectReader, resolver: PathResolver) throws(StudySpecError)
        -> DatasetSpec?
    {
        guard let dataset = try reader.object("dataset") else { return nil }
        try dataset.rejectUnknownKeys(allowed: ["kind", "path"])
        guard let kind = try dataset.string("kind") else { throw .missingKey(key: dataset.keyPath("kind")) }
        guard DatasetSpec.knownKinds.contains(kind) else {
            throw .invalidValue(
                key: dataset.keyPath("kind"), value: "\"\(kind)\"",
                reason: "expected one of \(DatasetSpec.knownKinds.joined(separator: ", "))")
        }
        guard let path = try dataset.string("path") else { throw .missingKey(key: dataset.keyPath("path")) }
        return DatasetSpec(kind: kind, path: resolver.url(path))
    }

    private static func decodeStates(_ reader: SpecObjectReader, hasDataset: Bool) throws(StudySpecError)
        -> [ModelState]
    {
        guard let entries = try reader.array("states") else {
            return hasDataset ? ModelState.allCases : [.original, .decomposed]
        }
        var states: [ModelState] = []
        for entry in entries {
            let text = try SpecObjectReader.string(entry.value, key: entry.key)
            guard let state = ModelState(rawValue: text) else {
                throw .invalidValue(
                    key: entry.key, value: "\"\(text)\"", reason: "expected original, decomposed or finetuned")
            }
            guard !states.contains(state) else { throw .duplicateValue(key: "states", value: "\"\(text)\"") }
            if state == .finetuned, !hasDataset {
                throw .invalidValue(key: entry.key, value: "\"finetuned\"", reason: "fine-tuning needs a 'dataset'")
            }
            states.append(state)
        }
        return states
    }

    private static func decodeMethods(_ reader: SpecObjectReader, states: [ModelState]) throws(StudySpecError)
        -> [String]
    {
        guard let entries = try reader.array("methods") else {
            if states == [.original] { return [] }
            throw .missingKey(key: "methods")
        }
        var methods: [String] = []
        for entry in entries {
            let method = try SpecObjectReader.string(entry.value, key: entry.key)
            guard knownMethods.contains(method) else {
                throw .invalidValue(
                    key: entry.key, value: "\"\(method)\"",
                    reason: "expected one of \(knownMethods.joined(separator: ", "))")
            }
            guard !methods.contains(method) else { throw .duplicateValue(key: "methods", value: "\"\(method)\"") }
            methods.append(method)
        }
        return methods
    }

    private static func decodeRankPolicies(_ reader: SpecObjectReader) throws(StudySpecError) -> [RankPolicy] {
        guard let entries = try reader.array("rank_policies") else { return [.ratio(0.5)] }
        var policies: [RankPolicy] = []
        for entry in entries {
            let text = try SpecObjectReader.string(entry.value, key: entry.key)
            let policy = try RankPolicy(parsing: text, key: entry.key)
            guard !policies.contains(policy) else { throw .duplicateValue(key: "rank_policies", value: "\"\(text)\"") }
            policies.append(policy)
        }
        return policies
    }

    private static func decodeRuntimes(_ reader: SpecObjectReader) throws(StudySpecError) -> [RuntimeSpec] {
        guard let entries = try reader.array("runtimes") else {
            return [RuntimeSpec(name: "builtin", optimized: [false, true])]
        }
        var runtimes: [RuntimeSpec] = []
        for entry in entries {
            let runtime = try SpecObjectReader(path: entry.key, value: entry.value)
            try runtime.rejectUnknownKeys(allowed: ["name", "optimized"])
            guard let name = try runtime.string("name") else { throw .missingKey(key: runtime.keyPath("name")) }
            try validateRuntimeName(name, key: runtime.keyPath("name"))
            guard !runtimes.contains(where: { $0.name == name }) else {
                throw .duplicateValue(key: runtime.keyPath("name"), value: "\"\(name)\"")
            }

            var optimized: [Bool] = []
            for flag in try runtime.array("optimized") ?? [("", .bool(false)), ("", .bool(true))] {
                guard case .bool(let value) = flag.value else {
                    throw .wrongType(key: flag.key, expected: "true or false", found: flag.value.typeName)
                }
                guard !optimized.contains(value) else {
                    throw .duplicateValue(key: runtime.keyPath("optimized"), value: String(value))
                }
                optimized.append(value)
            }
            runtimes.append(RuntimeSpec(name: name, optimized: optimized))
        }
        return runtimes
    }

    private static func decodeBenchmark(_ reader: SpecObjectReader) throws(StudySpecError) -> BenchmarkSpec {
        let benchmark = try reader.object("benchmark")
        try benchmark?.rejectUnknownKeys(allowed: ["threads", "batch", "warmup", "iterations"])

        func positiveList(_ key: String) throws(StudySpecError) -> [Int] {
            guard let entries = try benchmark?.array(key) else { return [1] }
            var values: [Int] = []
            for entry in entries {
                let value = try SpecObjectReader.int(entry.value, key: entry.key)
                guard value >= 1 else {
                    throw .invalidValue(key: entry.key, value: String(value), reason: "must be at least 1")
                }
                guard !values.contains(value) else {
                    throw .duplicateValue(key: benchmark!.keyPath(key), value: String(value))
                }
                values.append(value)
            }
            return values
        }

        let warmup = try benchmark?.int("warmup") ?? 10
        guard warmup >= 0 else {
            throw .invalidValue(key: "benchmark.warmup", value: String(warmup), reason: "must not be negative")
        }
        let iterations = try benchmark?.int("iterations") ?? 100
        guard iterations >= 1 else {
            throw .invalidValue(key: "benchmark.iterations", value: String(iterations), reason: "must be at least 1")
        }
        return BenchmarkSpec(
            threads: try positiveList("threads"), batch: try positiveList("batch"), warmup: warmup,
            iterations: iterations)
    }

    private static func decodeEvaluation(_ reader: SpecObjectReader, benchmark: BenchmarkSpec) throws(StudySpecError)
        -> EvaluationSpec
    {
        let evaluation = try reader.object("evaluation")
        try evaluation?.rejectUnknownKeys(allowed: ["runtime", "optimized", "batch", "threads", "limit"])

        let runtime = try evaluation?.string("runtime") ?? "builtin"
        try validateRuntimeName(runtime, key: "evaluation.runtime")
        let batch = try positive(evaluation?.int("batch") ?? 100, key: "evaluation.batch")
        let threads = try positive(evaluation?.int("threads") ?? benchmark.threads[0], key: "evaluation.threads")
        let limit = try evaluation?.int("limit")
        if let limit { _ = try positive(limit, key: "evaluation.limit") }
        return EvaluationSpec(
            runtime: runtime, optimized: try evaluation?.bool("optimized") ?? true, batch: batch, threads: threads,
            limit: limit)
    }

    private static func decodeFineTune(_ reader: SpecObjectReader) throws(StudySpecError) -> FineTuneSpec {
        let fineTune = try reader.object("fine_tune")
        try fineTune?.rejectUnknownKeys(allowed: [
            "max_steps", "epochs", "batch", "learning_rate", "optimizer", "momentum", "weight_decay",
            "train_limit", "seed", "distillation",
        ])

        let optimizer = try fineTune?.string("optimizer") ?? "adam"
        guard FineTuneSpec.knownOptimizers.contains(optimizer) else {
            throw .invalidValue(key: "fine_tune.optimizer", value: "\"\(optimizer)\"", reason: "expected sgd or adam")
        }
        let learningRate = try fineTune?.double("learning_rate") ?? 0.001
        guard learningRate > 0 else {
            throw .invalidValue(
                key: "fine_tune.learning_rate", value: formatNumber(learningRate), reason: "must be positive")
        }
        let epochs = try fineTune?.double("epochs")
        if let epochs, epochs <= 0 {
            throw .invalidValue(key: "fine_tune.epochs", value: formatNumber(epochs), reason: "must be positive")
        }
        let weightDecay = try fineTune?.double("weight_decay") ?? 0
        guard weightDecay >= 0 else {
            throw .invalidValue(
                key: "fine_tune.weight_decay", value: formatNumber(weightDecay), reason: "must not be negative")
        }
        let trainLimit = try fineTune?.int("train_limit")
        if let trainLimit { _ = try positive(trainLimit, key: "fine_tune.train_limit") }
        let seed = try fineTune?.int("seed") ?? 0
        guard seed >= 0 else {
            throw .invalidValue(key: "fine_tune.seed", value: String(seed), reason: "must not be negative")
        }

        return FineTuneSpec(
            maxSteps: try positive(fineTune?.int("max_steps") ?? 200, key: "fine_tune.max_steps"),
            epochs: epochs,
            batch: try positive(fineTune?.int("batch") ?? 64, key: "fine_tune.batch"),
            learningRate: learningRate, optimizer: optimizer,
            momentum: try fineTune?.double("momentum") ?? 0.9,
            weightDecay: weightDecay, trainLimit: trainLimit, seed: UInt64(seed),
            distillation: try decodeDistillation(fineTune))
    }

    private static func decodeDistillation(_ fineTune: SpecObjectReader?) throws(StudySpecError) -> DistillationSpec? {
        guard let distillation = try fineTune?.object("distillation") else { return nil }
        try distillation.rejectUnknownKeys(allowed: ["temperature", "alpha"])
        let temperature = try distillation.double("temperature") ?? 4
        guard temperature > 0 else {
            throw .invalidValue(
                key: distillation.keyPath("temperature"), value: formatNumber(temperature), reason: "must be positive")
        }
        let alpha = try distillation.double("alpha") ?? 0.9
        guard (0...1).contains(alpha) else {
            throw .invalidValue(
                key: distillation.keyPath("alpha"), value: formatNumber(alpha), reason: "must be in [0, 1]")
        }
        return DistillationSpec(temperature: temperature, alpha: alpha)
    }

    private static func decodeOutput(_ reader: SpecObjectReader, name: String, resolver: PathResolver)
        throws(StudySpecError) -> OutputSpec
    {
        let output = try reader.object("output")
        try output?.rejectUnknownKeys(allowed: ["results", "models", "report"])
        let results = resolver.url(try output?.string("results") ?? "results/\(name)")
        let models = try output?.string("models").map(resolver.url) ?? results.appendingPathComponent("models")
        let report = resolver.url(try output?.string("report") ?? "report/\(name)")
        return OutputSpec(results: results, models: models, report: report)
    }
}

private func positive(_ value: Int, key: String) throws(StudySpecError) -> Int {
    guard value >= 1 else { throw .invalidValue(key: key, value: String(value), reason: "must be at least 1") }
    return value
}

/// Names that become parts of run keys and file names: letters, digits, `_` and `-`.
private func validateIdentifier(_ name: String, key: String) throws(StudySpecError) {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
    guard !name.isEmpty, name.allSatisfy(allowed.contains) else {
        throw .invalidValue(key: key, value: "\"\(name)\"", reason: "use only letters, digits, '_' and '-'")
    }
}

private func validateRuntimeName(_ name: String, key: String) throws(StudySpecError) {
    guard StudySpec.knownRuntimes.contains(name) else {
        throw .invalidValue(
            key: key, value: "\"\(name)\"", reason: "expected one of \(StudySpec.knownRuntimes.joined(separator: ", "))"
        )
    }
}

/// Resolves spec paths: absolute paths stay, relative ones join the base folder.
private struct PathResolver {
    let base: URL

    func url(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return base.appendingPathComponent(expanded).standardizedFileURL
    }
}
