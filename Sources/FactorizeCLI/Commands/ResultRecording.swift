import Foundation
import Graph
import Study

/// Identity of a measured model for its results document, read from the model's
/// `metadata_props`: `factorize.model` (the study's name for the model, set by `compress`),
/// `factorize.method`, `factorize.rank_policy` and `factorize.ranks` (set by `compress`) and
/// `factorize.state` (`finetuned` after fine-tuning). A model without them is an original
/// named after its file.
struct ModelDescription {
    var name: String
    var method: String
    /// Spec form, such as `ratio:0.5`; nil for an original model.
    var rankPolicy: String?
    var ranks: [String: [Int]]?
    var state: ModelState

    init(model: Model, file: URL, name: String? = nil) {
        let metadata = Dictionary(model.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        self.name = name ?? metadata["factorize.model"] ?? modelName(fromFile: file)
        method = metadata["factorize.method"] ?? "none"
        rankPolicy = metadata["factorize.rank_policy"].map(studyRankPolicy)
        ranks = metadata["factorize.ranks"].flatMap { try? JSONDecoder().decode([String: [Int]].self, from: Data($0.utf8)) }
        if let state = metadata["factorize.state"].flatMap(ModelState.init(rawValue:)) {
            self.state = state
        } else {
            self.state = method == "none" ? .original : .decomposed
        }
    }

    /// Run key stem in the study's form: `<name>.original` or `<name>.<method>-<policy>.<state>`.
    var keyStem: String {
        guard method != "none" else { return "\(name).original" }
        let slug = (rankPolicy ?? "unknown").replacingOccurrences(of: ":", with: "")
        return "\(name).\(method)-\(slug).\(state.rawValue)"
    }
}

/// Returns a model's name from its file: the file name without `.onnx` and without a trailing
/// `.graph`, `.decomposed` or `.finetuned`.
func modelName(fromFile file: URL) -> String {
    var name = file.deletingPathExtension().lastPathComponent
    for suffix in [".graph", ".decomposed", ".finetuned"] where name.hasSuffix(suffix) {
        name = String(name.dropLast(suffix.count))
    }
    return name
}

/// Converts the decomposition library's policy text (`ratio 0.5`, `energy 0.9`, `rank 16`,
/// `vbmf`) to the study's spec form (`ratio:0.5`, `energy:0.9`, `fixed:16`, `evbmf`); other
/// text stays as it is.
func studyRankPolicy(_ text: String) -> String {
    let parts = text.split(separator: " ").map(String.init)
    switch (parts.first, parts.count) {
    case ("vbmf", 1): return "evbmf"
    case ("rank", 2): return "fixed:\(parts[1])"
    case ("ratio", 2), ("energy", 2):
        let value = Double(parts[1]).map { String(format: "%g", $0) } ?? parts[1]
        return "\(parts[0]):\(value)"
    default: return text
    }
}

/// One measurement to record in a results folder.
struct ResultRecord {
    var kind: ResultKind
    var modelFile: URL
    var description: ModelDescription
    var runtime: RuntimeIdentity? = nil
    var optimized: Bool? = nil
    var threads: Int? = nil
    var batch: Int? = nil
    var metrics: Metrics?
    var unavailable: String? = nil

    /// Creates the record of a model that `compress` wrote.
    static func compression(of model: Model, file: URL, parameters: Int, macs: Int?) -> ResultRecord {
        ResultRecord(
            kind: .compress, modelFile: file, description: ModelDescription(model: model, file: file),
            metrics: Metrics(sizeBytes: fileSize(file), parameters: parameters, macs: macs))
    }

    /// Key in the study's form, so that `factorize report` groups CLI and study results alike.
    var runKey: String {
        var key = "\(description.keyStem).\(kind.rawValue)"
        if kind == .compress || kind == .finetune {
            key = "\(description.name).\(description.method)-\((description.rankPolicy ?? "unknown").replacingOccurrences(of: ":", with: "")).\(kind.rawValue)"
        }
        if let runtime { key += ".\(runtime.name)" }
        if kind == .bench, let optimized, let threads, let batch {
            key += ".\(optimized ? "after" : "before").t\(threads).b\(batch)"
        }
        return key
    }
}

/// Writes `record` atomically into the results folder at `directory` (created when missing)
/// with the model file's SHA-256, this machine's provenance and the current time.
@discardableResult
func writeResult(_ record: ResultRecord, to directory: String) throws -> URL {
    let folder = URL(fileURLWithPath: directory)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let document = ResultDocument(
        runKey: record.runKey, kind: record.kind,
        model: ModelIdentity(
            name: record.description.name, sha256: try SHA256.hexDigest(ofFileAt: record.modelFile),
            file: record.modelFile.path),
        method: record.description.method, rankPolicy: record.description.rankPolicy, ranks: record.description.ranks,
        state: record.description.state, runtime: record.runtime, optimized: record.optimized, threads: record.threads,
        batch: record.batch, provenance: currentProvenance(), timestamp: Date(),
        metrics: record.unavailable == nil ? record.metrics : nil, unavailable: record.unavailable)
    return try ResultsStore(directory: folder).write(document)
}

/// Provenance of measurements taken by this build: the git commit of the checkout it was
/// built from, when that checkout still exists.
func currentProvenance() -> Provenance {
    MachineInfo.provenance(
        toolVersion: factorizeVersion, checkout: URL(fileURLWithPath: #filePath).deletingLastPathComponent())
}

/// Size in bytes of a file, or nil.
func fileSize(_ url: URL) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
}
