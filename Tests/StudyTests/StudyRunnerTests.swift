import Foundation
import Study
import Testing
import TestSupport

/// Fake engine that records each call and writes small model files.
private final class RecordingEngine {
    var calls: [String] = []
    /// Methods whose compression throws.
    var failingMethods: Set<String> = []
    /// Methods whose compression reports `unavailable`.
    var unavailableMethods: Set<String> = []
    /// Runtimes whose benchmarks report `unavailable`.
    var unavailableRuntimes: Set<String> = []

    struct EngineFailure: Error, CustomStringConvertible {
        var description: String { "decomposition diverged" }
    }

    var actions: StudyActionClosures {
        StudyActionClosures(
            prepareModelHandler: { request in
                self.calls.append("prepare \(request.model)")
                try Data("original \(request.seed)".utf8).write(to: Self.creatingFolder(request.output))
            },
            compressHandler: { request in
                self.calls.append("compress \(request.method)")
                if self.failingMethods.contains(request.method) { throw EngineFailure() }
                if self.unavailableMethods.contains(request.method) { return .unavailable("\(request.method) not supported") }
                try Data("decomposed \(request.method)".utf8).write(to: Self.creatingFolder(request.output))
                return .measured(Metrics(), ranks: ["conv1": [4]])
            },
            fineTuneHandler: { request in
                self.calls.append("finetune \(request.input.lastPathComponent)")
                try Data("finetuned".utf8).write(to: Self.creatingFolder(request.output))
                return .measured(Metrics(finalLoss: 0.5, steps: request.settings.maxSteps))
            },
            evaluateHandler: { request in
                self.calls.append("eval \(request.model.lastPathComponent)")
                return .measured(Metrics(top1: 0.9, top5: 0.99, samples: 100), runtimeVersion: "1.0")
            },
            benchmarkHandler: { request in
                self.calls.append("bench \(request.model.lastPathComponent) \(request.runtime) \(request.optimized)")
                if self.unavailableRuntimes.contains(request.runtime) { return .unavailable("trtexec not found") }
                let latency = LatencyStatistics(samples: [1, 2, 3])
                return .measured(Metrics(latencyMs: latency, throughputPerS: 500), runtimeVersion: "1.0")
            },
            inspectModelHandler: { file in
                self.calls.append("inspect \(file.lastPathComponent)")
                return ModelStatistics(parameters: 1000, macs: 5000)
            })
    }

    static func creatingFolder(_ url: URL) throws -> URL {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        return url
    }
}

/// Creates a study in a fresh temporary folder: one random-weight model, CP and TT, all states,
/// builtin and tensorrt before and after optimization.
private func makeStudy() throws -> (folder: URL, spec: StudySpec) {
    let folder = try TestEnvironment.makeTemporaryDirectory("factorize-study-runner")
    try Data("graph".utf8).write(to: folder.appendingPathComponent("g.onnx"))
    let json = """
        {"name": "t", "models": [{"name": "m", "graph": "g.onnx"}], "methods": ["cp", "tt"],
         "dataset": {"kind": "fashion-mnist", "path": "/data"},
         "runtimes": [{"name": "builtin"}, {"name": "tensorrt"}],
         "fine_tune": {"max_steps": 3}}
        """
    return (folder, try StudySpec(json: Data(json.utf8), baseDirectory: folder))
}

private func runner(_ spec: StudySpec, _ engine: RecordingEngine, options: StudyRunner.Options = .init()) -> StudyRunner {
    var runner = StudyRunner(
        spec: spec, actions: engine.actions,
        provenance: Provenance(cpuModel: "Test CPU", toolVersion: "0.0.0-test", gitCommit: "unknown"), options: options)
    runner.clock = { Date(timeIntervalSince1970: 1_800_000_000) }
    return runner
}

@Test func runnerPerformsEveryRunOnce() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()

    let summary = runner(spec, engine).run()
    #expect(summary.finished == spec.runs().count)
    #expect(summary.failures.isEmpty)

    let documents = try ResultsStore(directory: spec.output.results).readAll()
    #expect(documents.problems.isEmpty)
    #expect(documents.documents.count == spec.runs().count - 1, "every run but prepare writes a document")
}

@Test func runnerResumeSkipsFinishedRuns() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    _ = runner(spec, engine).run()
    engine.calls = []

    var skipped: [String] = []
    let summary = runner(spec, engine).run { progress in
        if case .skipped(.alreadyDone) = progress.event { skipped.append(progress.run.key) }
    }
    #expect(engine.calls.isEmpty)
    #expect(summary.finished == 0)
    #expect(skipped == spec.runs().map(\.key))
}

@Test func runnerRerunsRunWhoseDocumentWasDeleted() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    let first = runner(spec, engine)
    _ = first.run()
    engine.calls = []

    let key = "m.cp-ratio0.5.decomposed.bench.builtin.after.t1.b1"
    try FileManager.default.removeItem(at: first.store.fileURL(forRunKey: key))
    let summary = runner(spec, engine).run()
    #expect(summary.finished == 1)
    #expect(engine.calls == ["bench cp-ratio0.5.decomposed.onnx builtin true", "inspect cp-ratio0.5.decomposed.onnx"])
}

@Test func runnerRedoesCompressionWhenModelFileIsMissing() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    _ = runner(spec, engine).run()
    engine.calls = []

    try FileManager.default.removeItem(at: spec.output.models.appendingPathComponent("m/tt-ratio0.5.decomposed.onnx"))
    _ = runner(spec, engine).run()
    #expect(engine.calls.first == "compress tt")
    #expect(!engine.calls.contains("compress cp"))
    #expect(!engine.calls.contains { $0.contains("cp-ratio0.5") }, "runs of other methods stay done")
    #expect(engine.calls.contains("eval tt-ratio0.5.decomposed.onnx"), "measurements of the new file are redone")
    #expect(engine.calls.contains("finetune tt-ratio0.5.decomposed.onnx"))
    #expect(engine.calls.contains("bench tt-ratio0.5.finetuned.onnx builtin true"))
}

@Test func runnerSkipsDependentsOfFailedRun() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    engine.failingMethods = ["cp"]

    var dependencySkips: [String] = []
    let summary = runner(spec, engine).run { progress in
        if case .skipped(.dependencyFailed) = progress.event { dependencySkips.append(progress.run.key) }
    }
    #expect(summary.failures.map(\.key) == ["m.cp-ratio0.5.compress"])
    #expect(summary.failures.first?.error == "decomposition diverged")
    #expect(dependencySkips.count == spec.runs().filter { $0.key.hasPrefix("m.cp-") }.count - 1)
    #expect(engine.calls.contains("compress tt"), "independent runs continue")

    engine.failingMethods = []
    engine.calls = []
    let retry = runner(spec, engine).run()
    #expect(retry.failures.isEmpty)
    #expect(engine.calls.first == "compress cp", "the failed run is retried next time")
}

@Test func runnerStopsOnFailureWhenAsked() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    engine.failingMethods = ["cp"]

    _ = runner(spec, engine, options: .init(stopOnFailure: true)).run()
    #expect(engine.calls.last == "compress cp")
}

@Test func runnerRecordsUnavailableResults() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    engine.unavailableRuntimes = ["tensorrt"]
    let study = runner(spec, engine)
    _ = study.run()

    let document = try #require(try study.store.result(forRunKey: "m.original.bench.tensorrt.after.t1.b1"))
    #expect(document.unavailable == "trtexec not found")
    #expect(document.metrics == nil)

    engine.calls = []
    _ = runner(spec, engine).run()
    #expect(engine.calls.isEmpty, "unavailable results count as done")
    _ = runner(spec, engine, options: .init(retryUnavailable: true)).run()
    #expect(
        engine.calls.filter { $0.hasPrefix("bench") }.count == 10, "retried: 5 model files × 2 settings on tensorrt")
}

@Test func runnerPropagatesUnavailableCompression() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    engine.unavailableMethods = ["tt"]
    let study = runner(spec, engine)
    let summary = study.run()

    #expect(summary.failures.isEmpty)
    let eval = try #require(try study.store.result(forRunKey: "m.tt-ratio0.5.finetuned.eval.builtin"))
    #expect(eval.unavailable == "m.tt-ratio0.5.compress unavailable: tt not supported")
    #expect(!engine.calls.contains { $0.hasPrefix("eval tt") || $0.hasPrefix("finetune tt") })
}

@Test func runnerDocumentsIdentifyModelFile() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    let study = runner(spec, engine)
    _ = study.run()

    let document = try #require(try study.store.result(forRunKey: "m.cp-ratio0.5.compress"))
    let modelFile = spec.output.models.appendingPathComponent("m/cp-ratio0.5.decomposed.onnx")
    #expect(document.model.sha256 == (try SHA256.hexDigest(ofFileAt: modelFile)))
    #expect(document.model.name == "m")
    #expect(document.metrics?.sizeBytes == "decomposed cp".utf8.count)
    #expect(document.metrics?.parameters == 1000)
    #expect(document.metrics?.macs == 5000)
    #expect(document.ranks == ["conv1": [4]])
    #expect(document.rankPolicy == "ratio:0.5")
    #expect(document.provenance.cpuModel == "Test CPU")
    #expect(document.timestamp == Date(timeIntervalSince1970: 1_800_000_000))

    let bench = try #require(try study.store.result(forRunKey: "m.cp-ratio0.5.finetuned.bench.builtin.before.t1.b1"))
    #expect(bench.runtime == RuntimeIdentity(name: "builtin", version: "1.0"))
    #expect(bench.optimized == false)
    #expect(bench.threads == 1)
    #expect(bench.state == .finetuned)
    #expect(bench.metrics?.latencyMs?.median == 2)
}

@Test func runnerInspectsEachModelFileOnce() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    _ = runner(spec, engine).run()
    let inspections = engine.calls.filter { $0.hasPrefix("inspect") }
    #expect(inspections.count == Set(inspections).count)
    #expect(inspections.count == 5, "original, 2 decomposed, 2 fine-tuned")
}

@Test func runnerReportsProgressInOrder() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    var events: [String] = []
    _ = runner(spec, RecordingEngine()).run { progress in
        switch progress.event {
        case .started: events.append("started \(progress.index)/\(progress.total)")
        case .finished: events.append("finished \(progress.index)")
        default: events.append("other")
        }
    }
    let total = spec.runs().count
    #expect(events.count == 2 * total)
    #expect(events.prefix(2) == ["started 1/\(total)", "finished 1"])
    #expect(events.last == "finished \(total)")
}

@Test func runnerFilterSkipsExcludedRuns() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    var study = runner(spec, engine)
    study.include = { $0.kind != .bench }
    let summary = study.run()
    #expect(!engine.calls.contains { $0.hasPrefix("bench") })
    #expect(summary.skipped == spec.runs().filter { $0.kind == .bench }.count)
}

@Test func runnerResultsFeedTheReport() throws {
    let (folder, spec) = try makeStudy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = RecordingEngine()
    engine.unavailableRuntimes = ["tensorrt"]
    _ = runner(spec, engine).run()

    let report = try StudyReport.load(resultsDirectory: spec.output.results)
    #expect(report.rows.count == 5)
    let row = try #require(report.rows.first { $0.key.method == "tt" && $0.key.state == .finetuned })
    #expect(row.runtimes["builtin"]?.speedupBefore == .number(1))
    #expect(row.runtimes["tensorrt"]?.latencyAfter == .unavailable("trtexec not found"))
}
