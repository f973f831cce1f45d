import Foundation

/// One step of a study's progress, passed to the runner's progress callback.
public struct StudyProgress: Sendable {
    public enum Event: Sendable {
        /// The run is about to call its action.
        case started
        /// The run was not performed.
        case skipped(SkipReason)
        /// The run wrote its results document (or, for `prepare`, its model file).
        /// `document` is nil for `prepare`.
        case finished(ResultDocument?)
        /// The action or the document write threw; the run will be retried next time.
        case failed(String)
    }

    public enum SkipReason: Sendable, Equatable {
        /// Its results document (and output model, if any) already exist.
        case alreadyDone
        /// A run it depends on failed in this session.
        case dependencyFailed(String)
        /// The caller's filter excluded it.
        case filtered
    }

    public var run: StudyRun
    /// Position of the run in the study, from 1.
    public var index: Int
    public var total: Int
    public var event: Event
}

/// Counts of what a `StudyRunner.run` call did.
public struct StudyRunSummary: Sendable, Equatable {
    public var finished = 0
    public var skipped = 0
    /// Keys and error descriptions of the runs that failed.
    public var failures: [(key: String, error: String)] = []

    public static func == (lhs: StudyRunSummary, rhs: StudyRunSummary) -> Bool {
        lhs.finished == rhs.finished && lhs.skipped == rhs.skipped
            && lhs.failures.map(\.key) == rhs.failures.map(\.key)
            && lhs.failures.map(\.error) == rhs.failures.map(\.error)
    }
}

/// Runs the steps of a study in order through injected actions, writing one results document
/// per step, and skips steps whose document already exists, so an interrupted study resumes
/// where it stopped.
///
/// The runner never prints; it reports each step through the progress callback.
public struct StudyRunner {
    public struct Options: Sendable {
        /// Measure again runs whose document records an `unavailable` reason (default false).
        public var retryUnavailable = false
        /// Stop after the first failed run instead of continuing with independent ones.
        public var stopOnFailure = false

        public init(retryUnavailable: Bool = false, stopOnFailure: Bool = false) {
            self.retryUnavailable = retryUnavailable
            self.stopOnFailure = stopOnFailure
        }
    }

    public let spec: StudySpec
    public let actions: any StudyActions
    public let provenance: Provenance
    public var options: Options
    /// Source of document timestamps; replaceable so tests get fixed times.
    public var clock: () -> Date = Date.init
    /// Runs for which this returns false are skipped and reported as `filtered`.
    public var include: (StudyRun) -> Bool = { _ in true }

    public init(spec: StudySpec, actions: any StudyActions, provenance: Provenance, options: Options = Options()) {
        self.spec = spec
        self.actions = actions
        self.provenance = provenance
        self.options = options
    }

    /// The results folder of the study.
    public var store: ResultsStore { ResultsStore(directory: spec.output.results) }

    /// Performs every run of the study that is not done yet, in `spec.runs()` order.
    ///
    /// A run also counts as not done when a run it depends on was performed in this call,
    /// because its document then describes a model file that has since been rewritten.
    /// - Parameter progress: called before and after each run, on the calling thread.
    public func run(progress: (StudyProgress) -> Void = { _ in }) -> StudyRunSummary {
        let runs = spec.runs()
        var summary = StudyRunSummary()
        var failedKeys: Set<String> = []
        var performedKeys: Set<String> = []
        var modelFacts = ModelFactsCache()

        for (offset, run) in runs.enumerated() {
            func report(_ event: StudyProgress.Event) {
                progress(StudyProgress(run: run, index: offset + 1, total: runs.count, event: event))
            }

            if !include(run) {
                summary.skipped += 1
                report(.skipped(.filtered))
                continue
            }
            if isDone(run), !run.dependencies.contains(where: performedKeys.contains) {
                summary.skipped += 1
                report(.skipped(.alreadyDone))
                continue
            }
            if let failed = run.dependencies.first(where: failedKeys.contains) {
                failedKeys.insert(run.key)
                summary.skipped += 1
                report(.skipped(.dependencyFailed(failed)))
                continue
            }

            report(.started)
            do {
                let document = try perform(run, facts: &modelFacts)
                performedKeys.insert(run.key)
                summary.finished += 1
                report(.finished(document))
            } catch {
                failedKeys.insert(run.key)
                summary.failures.append((run.key, "\(error)"))
                report(.failed("\(error)"))
                if options.stopOnFailure { break }
            }
        }
        return summary
    }

    /// True when the run's document exists (and is not an `unavailable` result that should be
    /// retried) and, for runs that write a model, the model file exists too.
    public func isDone(_ run: StudyRun) -> Bool {
        let fileManager = FileManager.default
        if run.kind == .prepare {
            return run.output.map { fileManager.fileExists(atPath: $0.path) } ?? true
        }

        guard let document = try? store.result(forRunKey: run.key) else { return false }
        if document.unavailable != nil { return !options.retryUnavailable }
        if let output = run.output { return fileManager.fileExists(atPath: output.path) }
        return true
    }

    private func perform(_ run: StudyRun, facts: inout ModelFactsCache) throws -> ResultDocument? {
        if run.kind == .prepare {
            try prepare(run)
            return nil
        }

        let outcome: ActionOutcome
        if let reason = unavailableDependency(of: run) {
            outcome = .unavailable(reason)
        } else {
            guard FileManager.default.fileExists(atPath: run.input.path) else {
                throw StudyRunError.missingInput(runKey: run.key, path: run.input.path)
            }
            outcome = try self.outcome(of: run)
        }

        var document = ResultDocument(
            runKey: run.key, kind: run.kind.resultKind!, model: ModelIdentity(name: run.model, sha256: "unknown"),
            method: run.method, rankPolicy: run.rankPolicy?.description, ranks: outcome.ranks, state: run.state,
            runtime: run.runtime.map { RuntimeIdentity(name: $0, version: outcome.runtimeVersion ?? "unknown") },
            optimized: run.optimized, threads: run.threads, batch: run.batch, provenance: provenance,
            timestamp: clock(),
            metrics: nil, unavailable: outcome.unavailable)

        let modelFile = run.measuredModel
        if FileManager.default.fileExists(atPath: modelFile.path) {
            let fileFacts = try facts.facts(of: modelFile, actions: actions)
            document.model.sha256 = fileFacts.sha256
            document.model.file = modelFile.path
            if outcome.unavailable == nil {
                document.metrics = outcome.metrics.filling(from: fileFacts.metrics)
            }
        }
        try store.write(document)
        return document
    }

    /// Returns the reason recorded by the first dependency whose document records `unavailable`,
    /// prefixed with its key, or nil. A run whose input could not be made cannot be measured.
    private func unavailableDependency(of run: StudyRun) -> String? {
        for key in run.dependencies {
            if let document = try? store.result(forRunKey: key), let reason = document.unavailable {
                // A reason inherited from further up the chain already names its source run.
                return reason.contains(" unavailable: ") ? reason : "\(key) unavailable: \(reason)"
            }
        }
        return nil
    }

    private func prepare(_ run: StudyRun) throws {
        guard case .randomWeights(let graph, let seed)? = spec.models.first(where: { $0.name == run.model })?.source
        else {
            preconditionFailure("prepare run \(run.key) for a model without random weights")
        }
        try actions.prepareModel(PrepareModelRequest(model: run.model, graph: graph, seed: seed, output: run.output!))
        guard FileManager.default.fileExists(atPath: run.output!.path) else {
            throw StudyRunError.missingOutput(runKey: run.key, path: run.output!.path)
        }
    }

    private func outcome(of run: StudyRun) throws -> ActionOutcome {
        let outcome: ActionOutcome
        switch run.kind {
        case .prepare:
            preconditionFailure("prepare runs write no document")
        case .compress:
            outcome = try actions.compress(
                CompressRequest(
                    model: run.model, input: run.input, method: run.method, rankPolicy: run.rankPolicy!,
                    output: run.output!))
        case .finetune:
            outcome = try actions.fineTune(
                FineTuneRequest(
                    model: run.model, input: run.input, teacher: run.teacher!, dataset: spec.dataset!,
                    settings: spec.fineTune,
                    threads: spec.evaluation.threads, output: run.output!))
        case .eval:
            outcome = try actions.evaluate(
                EvaluateRequest(
                    model: run.input, dataset: spec.dataset!, runtime: run.runtime!, optimized: run.optimized!,
                    batch: run.batch!,
                    threads: run.threads!, limit: spec.evaluation.limit))
        case .bench:
            outcome = try actions.benchmark(
                BenchmarkRequest(
                    model: run.input, runtime: run.runtime!, optimized: run.optimized!, threads: run.threads!,
                    batch: run.batch!,
                    warmup: spec.benchmark.warmup, iterations: spec.benchmark.iterations))
        }

        if outcome.unavailable == nil, let output = run.output, !FileManager.default.fileExists(atPath: output.path) {
            throw StudyRunError.missingOutput(runKey: run.key, path: output.path)
        }
        return outcome
    }
}

/// A run that could not start or did not produce what it promised.
public enum StudyRunError: Error, CustomStringConvertible, Equatable {
    /// The model file a run reads does not exist.
    case missingInput(runKey: String, path: String)
    /// An action returned success without writing its output model.
    case missingOutput(runKey: String, path: String)

    public var description: String {
        switch self {
        case .missingInput(let key, let path):
            return
                "run \(key): input model \(path) does not exist; run the step that writes it, or delete its results document"
        case .missingOutput(let key, let path):
            return "run \(key): the action reported success but wrote no model at \(path)"
        }
    }
}

/// SHA-256, size and statistics per model file, computed once per runner call because
/// hashing and inspecting a large model takes seconds.
private struct ModelFactsCache {
    struct Facts {
        var sha256: String
        var metrics: Metrics
    }

    private var cache: [String: (modified: Date?, facts: Facts)] = [:]

    mutating func facts(of file: URL, actions: any StudyActions) throws -> Facts {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        let modified = attributes?[.modificationDate] as? Date
        if let cached = cache[file.path], cached.modified == modified { return cached.facts }

        let sha256 = try SHA256.hexDigest(ofFileAt: file)
        let size = (attributes?[.size] as? NSNumber)?.intValue
        let statistics = try actions.inspectModel(at: file)
        let facts = Facts(
            sha256: sha256, metrics: Metrics(sizeBytes: size, parameters: statistics.parameters, macs: statistics.macs))
        cache[file.path] = (modified, facts)
        return facts
    }
}
