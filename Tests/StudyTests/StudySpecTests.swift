import Foundation
import Study
import TestSupport
import Testing

private let base = URL(fileURLWithPath: "/base")

private func parse(_ json: String) throws(StudySpecError) -> StudySpec {
    try StudySpec(json: Data(json.utf8), baseDirectory: base)
}

private func error(of json: String) -> StudySpecError? {
    do {
        _ = try parse(json)
        return nil
    } catch {
        return error
    }
}

private let minimal = """
    {"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"]}
    """

@Test func minimalSpecGetsDefaults() throws {
    let spec = try parse(minimal)
    #expect(spec.models == [ModelSpec(name: "m", source: .file(URL(fileURLWithPath: "/base/m.onnx")))])
    #expect(spec.rankPolicies == [.ratio(0.5)])
    #expect(spec.states == [.original, .decomposed])
    #expect(spec.runtimes.map(\.name) == ["builtin"])
    #expect(spec.runtimes[0].optimized == [false, true])
    #expect(spec.benchmark.threads == [1])
    #expect(spec.output.results.path == "/base/results/s")
    #expect(spec.output.models.path == "/base/results/s/models")
    #expect(spec.output.report.path == "/base/report/s")
}

@Test(arguments: [
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp", "svd"]}"#,
        StudySpecError.invalidValue(key: "methods[1]", value: "\"svd\"", reason: "expected one of cp, tucker2, tt, tr")
    ),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"], "rank_policy": ["ratio:0.5"]}"#,
        StudySpecError.unknownKey(
            key: "rank_policy",
            allowed: [
                "name", "models", "methods", "rank_policies", "states", "runtimes", "dataset", "evaluation",
                "fine_tune",
                "benchmark", "output", "description",
            ])
    ),
    (#"{"name": "s", "methods": ["cp"]}"#, StudySpecError.missingKey(key: "models")),
    (#"{"name": "s", "models": [], "methods": ["cp"]}"#, StudySpecError.emptyList(key: "models")),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"], "rank_policies": ["ratio:1.5"]}"#,
        StudySpecError.invalidValue(
            key: "rank_policies[0]", value: "\"ratio:1.5\"", reason: "the ratio must be a number in (0, 1]")
    ),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"], "rank_policies": ["rank:4"]}"#,
        StudySpecError.invalidValue(
            key: "rank_policies[0]", value: "\"rank:4\"",
            reason: "expected ratio:<fraction>, energy:<fraction>, fixed:<rank> or evbmf")
    ),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"], "states": ["original", "finetuned"]}"#,
        StudySpecError.invalidValue(key: "states[1]", value: "\"finetuned\"", reason: "fine-tuning needs a 'dataset'")
    ),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"], "benchmark": {"threads": ["4"]}}"#,
        StudySpecError.wrongType(key: "benchmark.threads[0]", expected: "an integer", found: "a string")
    ),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"], "benchmark": {"threads": [0]}}"#,
        StudySpecError.invalidValue(key: "benchmark.threads[0]", value: "0", reason: "must be at least 1")
    ),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"], "runtimes": [{"name": "tvm"}]}"#,
        StudySpecError.invalidValue(
            key: "runtimes[0].name", value: "\"tvm\"", reason: "expected one of builtin, onnxruntime, tensorrt")
    ),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}, {"name": "m", "file": "n.onnx"}], "methods": ["cp"]}"#,
        StudySpecError.duplicateValue(key: "models[1].name", value: "\"m\"")
    ),
    (
        #"{"name": "s", "models": [{"name": "m.v2", "file": "m.onnx"}], "methods": ["cp"]}"#,
        StudySpecError.invalidValue(
            key: "models[0].name", value: "\"m.v2\"", reason: "use only letters, digits, '_' and '-'")
    ),
    (#"{"name": "s", "models": [{"name": "m"}], "methods": ["cp"]}"#, StudySpecError.missingKey(key: "models[0].file")),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"], "dataset": {"kind": "fashion-mnist", "path": "/d"}, "fine_tune": {"distillation": {"alpha": 2}}}"#,
        StudySpecError.invalidValue(key: "fine_tune.distillation.alpha", value: "2", reason: "must be in [0, 1]")
    ),
    (
        #"{"name": "s", "models": [{"name": "m", "file": "m.onnx"}], "methods": ["cp"], "runtimes": [{"name": "builtin", "optimized": ["yes"]}]}"#,
        StudySpecError.wrongType(key: "runtimes[0].optimized[0]", expected: "true or false", found: "a string")
    ),
])
func specValidationNamesKeyAndValue(json: String, expected: StudySpecError) {
    #expect(error(of: json) == expected)
}

@Test func specErrorMessageNamesKeyAndValue() {
    let message = StudySpecError.invalidValue(key: "methods[1]", value: "\"svd\"", reason: "expected one of cp")
        .description
    #expect(message.contains("methods[1]"))
    #expect(message.contains("\"svd\""))
}

@Test func specRejectsInvalidJSON() {
    guard case .invalidJSON? = error(of: "{\"name\": ") else {
        Issue.record("expected invalidJSON")
        return
    }
}

@Test func specRunsHaveStableOrderedKeys() throws {
    let spec = try parse(
        """
        {"name": "s", "models": [{"name": "m", "graph": "g.onnx"}], "methods": ["cp", "tt"],
         "dataset": {"kind": "fashion-mnist", "path": "/d"},
         "runtimes": [{"name": "builtin", "optimized": [false, true]}]}
        """)
    let keys = spec.runs().map(\.key)
    #expect(
        keys == [
            "m.original.prepare",
            "m.original.eval.builtin",
            "m.original.bench.builtin.before.t1.b1",
            "m.original.bench.builtin.after.t1.b1",
            "m.cp-ratio0.5.compress",
            "m.cp-ratio0.5.decomposed.eval.builtin",
            "m.cp-ratio0.5.decomposed.bench.builtin.before.t1.b1",
            "m.cp-ratio0.5.decomposed.bench.builtin.after.t1.b1",
            "m.cp-ratio0.5.finetune",
            "m.cp-ratio0.5.finetuned.eval.builtin",
            "m.cp-ratio0.5.finetuned.bench.builtin.before.t1.b1",
            "m.cp-ratio0.5.finetuned.bench.builtin.after.t1.b1",
            "m.tt-ratio0.5.compress",
            "m.tt-ratio0.5.decomposed.eval.builtin",
            "m.tt-ratio0.5.decomposed.bench.builtin.before.t1.b1",
            "m.tt-ratio0.5.decomposed.bench.builtin.after.t1.b1",
            "m.tt-ratio0.5.finetune",
            "m.tt-ratio0.5.finetuned.eval.builtin",
            "m.tt-ratio0.5.finetuned.bench.builtin.before.t1.b1",
            "m.tt-ratio0.5.finetuned.bench.builtin.after.t1.b1",
        ])
    #expect(Set(keys).count == keys.count)
    #expect(spec.runs() == spec.runs())
}

@Test func specRunsWireModelFiles() throws {
    let spec = try parse(
        """
        {"name": "s", "models": [{"name": "m", "graph": "g.onnx", "random_weights_seed": 7}], "methods": ["cp"],
         "dataset": {"kind": "fashion-mnist", "path": "/d"}, "output": {"models": "out"}}
        """)
    let runs = Dictionary(uniqueKeysWithValues: spec.runs().map { ($0.key, $0) })
    let prepare = try #require(runs["m.original.prepare"])
    let compress = try #require(runs["m.cp-ratio0.5.compress"])
    let finetune = try #require(runs["m.cp-ratio0.5.finetune"])

    #expect(prepare.input.path == "/base/g.onnx")
    #expect(prepare.output?.path == "/base/out/m/original.onnx")
    #expect(compress.input == prepare.output)
    #expect(compress.output?.path == "/base/out/m/cp-ratio0.5.decomposed.onnx")
    #expect(finetune.input == compress.output)
    #expect(finetune.teacher == prepare.output)
    #expect(finetune.dependencies == ["m.cp-ratio0.5.compress", "m.original.prepare"])
}

@Test func exampleSpecsAreValid() throws {
    for name in ["architectures.json", "demo-study.json"] {
        let file = TestEnvironment.packageRoot.appendingPathComponent("examples/\(name)")
        let spec = try StudySpec.load(from: file, baseDirectory: TestEnvironment.packageRoot)
        #expect(!spec.runs().isEmpty, "\(name)")
    }
}

@Test func architecturesSpecCoversSeedModels() throws {
    let file = TestEnvironment.packageRoot.appendingPathComponent("examples/architectures.json")
    let spec = try StudySpec.load(from: file, baseDirectory: TestEnvironment.packageRoot)
    #expect(spec.models.count == 9)
    #expect(spec.methods == ["cp", "tucker2", "tt", "tr"])
    #expect(spec.runtimes.map(\.name) == ["builtin", "onnxruntime"])
    // 9 models × (original + 4 methods) × 2 runtimes × 2 settings benchmarks, 9 prepares, 36 compressions.
    #expect(spec.runs().count == 9 * 5 * 4 + 9 + 36)
}

@Test(.enabled(if: TestEnvironment.fixtures != nil, "needs the shared fixtures folder"))
func architecturesSpecGraphsExist() throws {
    let file = TestEnvironment.packageRoot.appendingPathComponent("examples/architectures.json")
    let spec = try StudySpec.load(from: file, baseDirectory: TestEnvironment.packageRoot)
    for model in spec.models {
        guard case .randomWeights(let graph, _) = model.source else {
            Issue.record("\(model.name) should draw random weights")
            continue
        }
        #expect(FileManager.default.fileExists(atPath: graph.path), "\(graph.path)")
    }
}

@Test func demoSpecMeasuresEveryState() throws {
    let file = TestEnvironment.packageRoot.appendingPathComponent("examples/demo-study.json")
    let spec = try StudySpec.load(from: file, baseDirectory: TestEnvironment.packageRoot)
    #expect(spec.states == [.original, .decomposed, .finetuned])
    #expect(spec.fineTune.distillation != nil)
    #expect(spec.evaluation.limit == nil, "all 10 000 test images")
    let evals = spec.runs().filter { $0.kind == .eval }
    #expect(evals.count == 1 + 4 * 2)
}

@Test(arguments: ["ratio:0.5", "energy:0.9", "fixed:16", "evbmf"])
func rankPolicyRoundTrips(text: String) throws {
    #expect(try RankPolicy(parsing: text).description == text)
}

@Test func checkInputFilesNamesMissingModel() throws {
    let folder = try TestEnvironment.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("model".utf8).write(to: folder.appendingPathComponent("a.onnx"))
    let json = #"{"name": "s", "models": [{"name": "a", "file": "a.onnx"}, {"name": "b", "file": "b.onnx"}], "methods": ["cp"]}"#
    let spec = try StudySpec(json: Data(json.utf8), baseDirectory: folder)

    #expect(throws: StudySpecError.invalidValue(
        key: "models[1].file", value: "\"\(folder.appendingPathComponent("b.onnx").standardizedFileURL.path)\"",
        reason: "file not found")
    ) {
        try spec.checkInputFiles()
    }
}
