import Foundation

/// A number in the report, or why there is none.
public enum ReportValue: Sendable, Equatable {
    case number(Double)
    /// No document measured it.
    case missing
    /// The document records that it could not be measured, and why.
    case unavailable(String)

    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}

/// Identity of a report row: one model file state.
public struct ReportRowKey: Sendable, Hashable, Comparable {
    public var model: String
    /// `none` for the original model.
    public var method: String
    public var rankPolicy: String?
    public var state: ModelState

    /// Rows sort by model, then the original first, then known methods in
    /// `StudySpec.knownMethods` order, then rank policy and state.
    public static func < (lhs: ReportRowKey, rhs: ReportRowKey) -> Bool {
        func methodOrder(_ method: String) -> (Int, String) {
            if method == "none" { return (0, "") }
            if let index = StudySpec.knownMethods.firstIndex(of: method) { return (1 + index, "") }
            return (1 + StudySpec.knownMethods.count, method)
        }
        if lhs.model != rhs.model { return lhs.model < rhs.model }
        if lhs.method != rhs.method { return methodOrder(lhs.method) < methodOrder(rhs.method) }
        if lhs.rankPolicy != rhs.rankPolicy { return (lhs.rankPolicy ?? "") < (rhs.rankPolicy ?? "") }
        return lhs.state < rhs.state
    }
}

/// Latency of one row on one runtime, before and after the runtime's optimization, and the
/// speedup over the original model measured with the same runtime, setting, threads and batch.
public struct RuntimeComparison: Sendable, Equatable {
    /// Median latency in milliseconds without the runtime's graph optimization.
    public var latencyBefore: ReportValue
    /// Median latency in milliseconds with the runtime's graph optimization.
    public var latencyAfter: ReportValue
    /// Original latency ÷ this row's latency, both before optimization.
    public var speedupBefore: ReportValue
    /// Original latency ÷ this row's latency, both after optimization.
    public var speedupAfter: ReportValue
    /// `speedupAfter / speedupBefore`: the share of the decomposition's speedup that survives
    /// the runtime's optimization. 1 means all of it, below 1 that the optimizer narrowed the gap.
    public var survivingShare: ReportValue
}

/// One row of the report: a model in one state with its statistics and latencies.
public struct ReportRow: Sendable, Equatable {
    public var key: ReportRowKey
    public var sizeMB: ReportValue
    public var parameters: ReportValue
    public var macs: ReportValue
    /// Top-1 accuracy as a fraction in [0, 1].
    public var top1: ReportValue
    public var top5: ReportValue
    /// Original parameters ÷ this row's parameters.
    public var compressionRatio: ReportValue
    /// Comparisons by runtime name.
    public var runtimes: [String: RuntimeComparison]
}

/// Thread count and batch size of a set of benchmarks.
public struct BenchmarkSetting: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var threads: Int
    public var batch: Int

    public static func < (lhs: BenchmarkSetting, rhs: BenchmarkSetting) -> Bool {
        (lhs.threads, lhs.batch) < (rhs.threads, rhs.batch)
    }

    public var description: String { "\(threads) thread\(threads == 1 ? "" : "s"), batch \(batch)" }
}

/// The rows of the report for one benchmark setting.
public struct ReportSection: Sendable, Equatable {
    public var setting: BenchmarkSetting
    public var rows: [ReportRow]
}

/// The study's findings, computed from its results documents: for each benchmark setting
/// (threads × batch), a table with one row per model × method × rank policy × state.
///
/// Where several documents measure the same quantity, the one with the latest timestamp wins.
public struct StudyReport: Sendable {
    /// Runtime names that appear in benchmark documents, in `StudySpec.knownRuntimes` order
    /// and then alphabetically.
    public let runtimes: [String]
    /// One section per benchmark setting. Documents without a setting (compress, finetune,
    /// eval) contribute to the rows of every section.
    public let sections: [ReportSection]
    /// The documents the report was computed from.
    public let documents: [ResultDocument]
    /// Results files that could not be read, shown in the report.
    public let problems: [ResultsStoreError]

    /// Reads a results folder and computes the report.
    /// - Throws: `ResultsStoreError.unreadableFile` when the folder cannot be listed; malformed
    ///   documents do not throw but appear in `problems`.
    public static func load(resultsDirectory: URL) throws -> StudyReport {
        let collection = try ResultsStore(directory: resultsDirectory).readAll()
        return StudyReport(documents: collection.documents, problems: collection.problems)
    }

    public init(documents: [ResultDocument], problems: [ResultsStoreError] = []) {
        self.documents = documents
        self.problems = problems

        let index = DocumentIndex(documents)
        runtimes = index.runtimes
        let settings = index.settings.isEmpty ? [BenchmarkSetting(threads: 1, batch: 1)] : index.settings
        sections = settings.map { setting in
            ReportSection(
                setting: setting, rows: index.rowKeys.map { index.row($0, setting: setting, runtimes: index.runtimes) })
        }
    }

    /// Rows of the first benchmark setting, or none when there are no documents.
    public var rows: [ReportRow] { sections.first?.rows ?? [] }

    /// Every `unavailable` document with its row key, in row order, for the report's notes.
    public var unavailableNotes: [(document: ResultDocument, reason: String)] {
        documents.compactMap { document in document.unavailable.map { (document, $0) } }
            .sorted { $0.document.runKey < $1.document.runKey }
    }
}

/// Latest document per measured quantity, indexed for row construction.
private struct DocumentIndex {
    struct BenchKey: Hashable {
        var row: ReportRowKey
        var runtime: String
        var optimized: Bool
        var setting: BenchmarkSetting
    }

    var byRow: [ReportRowKey: [ResultDocument]] = [:]
    var evals: [ReportRowKey: ResultDocument] = [:]
    var benches: [BenchKey: ResultDocument] = [:]
    var runtimes: [String] = []
    var settings: [BenchmarkSetting] = []

    var rowKeys: [ReportRowKey] { byRow.keys.sorted() }

    init(_ documents: [ResultDocument]) {
        var runtimeNames: Set<String> = []
        var settingSet: Set<BenchmarkSetting> = []

        for document in documents {
            let key = ReportRowKey(
                model: document.model.name, method: document.method, rankPolicy: document.rankPolicy,
                state: document.state)
            byRow[key, default: []].append(document)

            switch document.kind {
            case .eval:
                if evals[key].map({ $0.timestamp <= document.timestamp }) ?? true { evals[key] = document }
            case .bench:
                guard let runtime = document.runtime?.name, let optimized = document.optimized else { continue }
                let setting = BenchmarkSetting(threads: document.threads ?? 1, batch: document.batch ?? 1)
                let benchKey = BenchKey(row: key, runtime: runtime, optimized: optimized, setting: setting)
                if benches[benchKey].map({ $0.timestamp <= document.timestamp }) ?? true {
                    benches[benchKey] = document
                }
                runtimeNames.insert(runtime)
                settingSet.insert(setting)
            case .compress, .finetune:
                break
            }
        }

        runtimes = runtimeNames.sorted { lhs, rhs in
            let known = StudySpec.knownRuntimes
            let left = known.firstIndex(of: lhs) ?? known.count
            let right = known.firstIndex(of: rhs) ?? known.count
            return left != right ? left < right : lhs < rhs
        }
        settings = settingSet.sorted()
    }

    /// Latest value of a model-file statistic among a row's documents that carry it.
    func statistic(_ key: ReportRowKey, _ value: (Metrics) -> Double?) -> ReportValue {
        let candidates = (byRow[key] ?? []).filter { $0.metrics.flatMap(value) != nil }
        guard let latest = candidates.max(by: { $0.timestamp < $1.timestamp }) else { return .missing }
        return .number(value(latest.metrics!)!)
    }

    func accuracy(_ key: ReportRowKey, _ value: (Metrics) -> Double?) -> ReportValue {
        guard let document = evals[key] else { return .missing }
        if let reason = document.unavailable { return .unavailable(reason) }
        return document.metrics.flatMap(value).map(ReportValue.number) ?? .missing
    }

    func medianLatency(_ key: ReportRowKey, runtime: String, optimized: Bool, setting: BenchmarkSetting) -> ReportValue
    {
        guard let document = benches[BenchKey(row: key, runtime: runtime, optimized: optimized, setting: setting)]
        else {
            return .missing
        }
        if let reason = document.unavailable { return .unavailable(reason) }
        return document.metrics?.latencyMs.map { .number($0.median) } ?? .missing
    }

    func row(_ key: ReportRowKey, setting: BenchmarkSetting, runtimes: [String]) -> ReportRow {
        let original = ReportRowKey(model: key.model, method: "none", rankPolicy: nil, state: .original)
        let parameters = statistic(key) { $0.parameters.map(Double.init) }
        let originalParameters = statistic(original) { $0.parameters.map(Double.init) }

        var comparisons: [String: RuntimeComparison] = [:]
        for runtime in runtimes {
            let before = medianLatency(key, runtime: runtime, optimized: false, setting: setting)
            let after = medianLatency(key, runtime: runtime, optimized: true, setting: setting)
            let speedupBefore = ratio(
                medianLatency(original, runtime: runtime, optimized: false, setting: setting), before)
            let speedupAfter = ratio(
                medianLatency(original, runtime: runtime, optimized: true, setting: setting), after)
            comparisons[runtime] = RuntimeComparison(
                latencyBefore: before, latencyAfter: after, speedupBefore: speedupBefore, speedupAfter: speedupAfter,
                survivingShare: ratio(speedupAfter, speedupBefore))
        }

        return ReportRow(
            key: key,
            sizeMB: statistic(key) { $0.sizeMB },
            parameters: parameters,
            macs: statistic(key) { $0.macs.map(Double.init) },
            top1: accuracy(key) { $0.top1 },
            top5: accuracy(key) { $0.top5 },
            compressionRatio: ratio(originalParameters, parameters),
            runtimes: comparisons)
    }
}

/// `numerator / denominator`; missing unless both are positive numbers. An unavailable
/// operand makes the result unavailable with the same reason.
private func ratio(_ numerator: ReportValue, _ denominator: ReportValue) -> ReportValue {
    switch (numerator, denominator) {
    case (.number(let top), .number(let bottom)) where top > 0 && bottom > 0:
        return .number(top / bottom)
    case (.unavailable(let reason), _), (_, .unavailable(let reason)):
        return .unavailable(reason)
    default:
        return .missing
    }
}
