import Datasets
import Foundation
import LinearAlgebra
import Study
import TestSupport
import Testing

@testable import FactorizeCLI

@Test func reportTabulatesResultsWrittenByEvalAndBench() throws {
    let model = try savedModel(passThroughClassifier(), name: "scores.onnx")
    let folder = try TestEnvironment.makeTemporaryDirectory("factorize-report")
    let results = folder.appendingPathComponent("results")
    let images = folder.appendingPathComponent("images.npy")
    let labels = folder.appendingPathComponent("labels.npy")
    try writeOneHotScores(labels: [1, 4, 7], images: images, labelsFile: labels)

    let (evalStatus, _, evalErr) = runCapturing([
        "eval", model.path, "--dataset", "npy:\(images.path)", "--labels-npy", labels.path, "--results", results.path,
        "--threads", "1",
    ])
    #expect(evalStatus == 0, "\(evalErr)")
    let (benchStatus, _, _) = runCapturing([
        "bench", model.path, "--iterations", "3", "--warmup", "0", "--threads", "1", "--results", results.path,
    ])
    #expect(benchStatus == 0)
    let documents = try ResultsStore(directory: results).readAll()
    #expect(Set(documents.documents.map(\.kind)) == [.eval, .bench])
    #expect(documents.problems.isEmpty)

    let reportFolder = folder.appendingPathComponent("report")
    let (status, out, _) = runCapturing(["report", results.path, "-o", reportFolder.path])
    #expect(status == 0)
    #expect(out.contains("| scores | none |"))
    #expect(out.contains("100.00"))
    for file in ["report.md", "report.csv", "report.tex"] {
        #expect(FileManager.default.fileExists(atPath: reportFolder.appendingPathComponent(file).path))
    }
}

@Test func resultDocumentsRecordModelHashAndProvenance() throws {
    let model = try savedModel(tinyClassifier())
    let results = try TestEnvironment.makeTemporaryDirectory("factorize-results")
    let (status, _, _) = runCapturing([
        "bench", model.path, "--iterations", "2", "--warmup", "0", "--threads", "1", "--results", results.path,
    ])
    #expect(status == 0)
    let document = try #require(
        try ResultsStore(directory: results).result(forRunKey: "tiny.original.bench.builtin.after.t1.b1"))
    #expect(document.model.sha256 == (try SHA256.hexDigest(ofFileAt: model)))
    #expect(document.provenance.toolVersion == factorizeVersion)
    #expect(document.threads == 1)
    #expect(document.metrics?.latencyMs != nil)
}

@Test func compressWritesAResultsDocument() throws {
    let model = try savedModel(tinyClassifier())
    let folder = model.deletingLastPathComponent()
    let output = folder.appendingPathComponent("tiny.cp.onnx")
    let results = folder.appendingPathComponent("results")
    let (status, _, err) = runCapturing([
        "compress", model.path, "--method", "cp", "--ratio", "0.5", "-o", output.path, "--results", results.path,
        "--threads", "1",
    ])
    #expect(status == 0, "\(err)")
    let document = try #require(try ResultsStore(directory: results).result(forRunKey: "tiny.cp-ratio0.5.compress"))
    #expect(document.state == .decomposed)
    #expect(document.rankPolicy == "ratio:0.5")
    #expect(document.ranks?["conv2"] != nil)
    #expect(document.model.sha256 == (try SHA256.hexDigest(ofFileAt: output)))
}

@Test func studyRunsEndToEndAndResumes() throws {
    let model = try savedModel(tinyClassifier())
    let folder = model.deletingLastPathComponent()
    let spec = folder.appendingPathComponent("study.json")
    let json = """
        {"name": "tiny", "models": [{"name": "tiny", "file": "\(model.path)"}], "methods": ["cp"],
         "states": ["original", "decomposed"], "runtimes": [{"name": "builtin", "optimized": [true]}],
         "benchmark": {"warmup": 1, "iterations": 3},
         "output": {"results": "\(folder.path)/results", "models": "\(folder.path)/models", "report": "\(folder.path)/report"}}
        """
    try Data(json.utf8).write(to: spec)

    let (status, out, err) = runCapturing(["study", spec.path, "--json"])
    #expect(status == 0, "\(err)")
    let first = try jsonObject(out)
    #expect(first["finished"] as? Int == 3)
    #expect((first["failures"] as? [Any])?.isEmpty == true)
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report/report.md").path))

    let (againStatus, againOut, _) = runCapturing(["study", spec.path, "--json"])
    #expect(againStatus == 0)
    let second = try jsonObject(againOut)
    #expect(second["finished"] as? Int == 0)
    #expect(second["skipped"] as? Int == 3)
}

@Test func studyRejectsInvalidOnlyPatternNamingIt() throws {
    let (status, _, err) = runCapturing(["study", "/nonexistent/spec.json", "--only", "(unclosed"])
    #expect(status == 64)
    #expect(err.contains("(unclosed"))
}

/// Writes images [N, 10, 1, 1] scoring each sample's label highest, and the labels.
private func writeOneHotScores(labels: [Int], images: URL, labelsFile: URL) throws {
    var scalars: [Float] = []
    for label in labels {
        var row = [Float](repeating: 0, count: 10)
        row[label] = 1
        scalars += row
    }
    try NpyFile.write(Tensor(shape: [labels.count, 10, 1, 1], scalars: scalars), to: images)
    try NpyFile.write(Tensor<Double>(shape: [labels.count], scalars: labels.map(Double.init)), to: labelsFile)
}
