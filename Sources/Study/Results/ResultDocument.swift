import Foundation

/// Kind of measurement a results document contains.
public enum ResultKind: String, Codable, Sendable, CaseIterable {
    /// Accuracy of a model on a labelled dataset.
    case eval
    /// Latency, throughput and memory of a model on one runtime.
    case bench
    /// Size, parameters and MACs of a model that a decomposition wrote.
    case compress
    /// Size, parameters and MACs of a model after fine-tuning, with the training summary.
    case finetune
}

/// The stage of the study a model file belongs to.
public enum ModelState: String, Codable, Sendable, CaseIterable, Comparable {
    /// The model as given, before any decomposition.
    case original
    /// The model after its layers were replaced by decomposed factors.
    case decomposed
    /// The decomposed model after fine-tuning.
    case finetuned

    public static func < (lhs: ModelState, rhs: ModelState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A model file, identified by the study's name for the model and the file's SHA-256.
public struct ModelIdentity: Codable, Sendable, Equatable {
    /// The name the study spec gives the model, such as `resnet18`.
    public var name: String
    /// SHA-256 of the model file, 64 lowercase hexadecimal characters.
    public var sha256: String
    /// Path of the model file when it was measured.
    public var file: String?

    public init(name: String, sha256: String, file: String? = nil) {
        self.name = name
        self.sha256 = sha256
        self.file = file
    }
}

/// A runtime that executed a model, such as `builtin`, `onnxruntime` or `tensorrt`.
public struct RuntimeIdentity: Codable, Sendable, Equatable {
    public var name: String
    /// Version the runtime reported, or `unknown`.
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

/// The machine and build a measurement came from.
public struct Provenance: Codable, Sendable, Equatable {
    /// CPU model name, see `MachineInfo.cpuModel()`.
    public var cpuModel: String
    /// Version of the Factorize tool that wrote the document.
    public var toolVersion: String
    /// Git commit of the Factorize checkout, or `unknown`.
    public var gitCommit: String

    enum CodingKeys: String, CodingKey {
        case cpuModel = "cpu_model"
        case toolVersion = "tool_version"
        case gitCommit = "git_commit"
    }

    public init(cpuModel: String, toolVersion: String, gitCommit: String) {
        self.cpuModel = cpuModel
        self.toolVersion = toolVersion
        self.gitCommit = gitCommit
    }
}

/// One measurement: the JSON document that a study run writes into the results folder.
///
/// Keys are snake_case (`run_key`, `rank_policy`, `cpu_model`, …). Fields that do not apply
/// to a kind are absent, for example `runtime` on a `compress` document. A document either
/// carries `metrics` or an `unavailable` reason, such as `trtexec not found`, which the
/// report shows in place of numbers.
public struct ResultDocument: Codable, Sendable, Equatable {
    /// Version of this document layout. Readers reject documents with a newer version.
    public var schemaVersion: Int
    /// Key of the study run that wrote the document; the file name derives from it.
    public var runKey: String
    public var kind: ResultKind
    public var model: ModelIdentity
    /// Decomposition method (`cp`, `tucker2`, `tt`, `tr`), or `none` for the original model.
    public var method: String
    /// Rank policy in its spec form (`ratio:0.5`, `energy:0.9`, `fixed:16`, `evbmf`), or nil
    /// for the original model.
    public var rankPolicy: String?
    /// Ranks chosen per layer, by layer name, when the decomposition reported them.
    public var ranks: [String: [Int]]?
    public var state: ModelState
    /// Runtime that ran the model; nil for `compress` and `finetune` documents.
    public var runtime: RuntimeIdentity?
    /// True after the runtime's own graph optimization, false before it; nil when no
    /// runtime was involved.
    public var optimized: Bool?
    /// Number of CPU threads the runtime used.
    public var threads: Int?
    /// Batch size of each inference.
    public var batch: Int?
    public var provenance: Provenance
    /// When the measurement finished, ISO 8601 in UTC.
    public var timestamp: Date
    public var metrics: Metrics?
    /// Reason the measurement could not be taken, for example `trtexec not found`.
    public var unavailable: String?

    /// Layout version written by this build.
    public static let currentSchemaVersion = 1

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case runKey = "run_key"
        case kind, model, method
        case rankPolicy = "rank_policy"
        case ranks, state, runtime, optimized, threads, batch, provenance, timestamp, metrics, unavailable
    }

    public init(
        runKey: String, kind: ResultKind, model: ModelIdentity, method: String, rankPolicy: String? = nil,
        ranks: [String: [Int]]? = nil, state: ModelState, runtime: RuntimeIdentity? = nil,
        optimized: Bool? = nil, threads: Int? = nil, batch: Int? = nil, provenance: Provenance,
        timestamp: Date, metrics: Metrics? = nil, unavailable: String? = nil
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.runKey = runKey
        self.kind = kind
        self.model = model
        self.method = method
        self.rankPolicy = rankPolicy
        self.ranks = ranks
        self.state = state
        self.runtime = runtime
        self.optimized = optimized
        self.threads = threads
        self.batch = batch
        self.provenance = provenance
        self.timestamp = timestamp
        self.metrics = metrics
        self.unavailable = unavailable
    }

    /// Encodes the document as pretty-printed JSON with sorted snake_case keys.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Decodes a document written by `encodedJSON()`.
    /// - Throws: `DecodingError` for malformed JSON or missing fields.
    public static func decode(_ data: Data) throws -> ResultDocument {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ResultDocument.self, from: data)
    }
}
