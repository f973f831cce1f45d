import Foundation
import Study
import TestSupport
import Testing

private func temporaryFolder() throws -> URL {
    try TestEnvironment.makeTemporaryDirectory("factorize-study")
}

private func listing(_ folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
}

@Test func documentRoundTripsThroughStore() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = ResultsStore(directory: folder)
    let document = ResultFixtures.benchDocument(
        method: "cp", state: .decomposed, runtime: "builtin", optimized: true, medianMs: 4)

    let url = try store.write(document)
    #expect(url.lastPathComponent == document.runKey + ".json")
    #expect(try store.result(forRunKey: document.runKey) == document)
    #expect(try listing(folder) == [document.runKey + ".json"], "no temporary file remains")
}

@Test func documentUsesSnakeCaseKeys() throws {
    var document = ResultFixtures.benchDocument(
        method: "cp", state: .decomposed, runtime: "builtin", optimized: true, medianMs: 4)
    document.ranks = ["layer1.0.conv1": [8, 16]]
    document.metrics?.peakMemoryBytes = 123
    let object = try #require(try JSONSerialization.jsonObject(with: document.encodedJSON()) as? [String: Any])

    for key in [
        "schema_version", "run_key", "kind", "model", "method", "rank_policy", "ranks", "state", "runtime",
        "optimized", "threads", "batch", "provenance", "timestamp", "metrics",
    ] {
        #expect(object[key] != nil, "key \(key)")
    }
    let metrics = try #require(object["metrics"] as? [String: Any])
    #expect(metrics["latency_ms"] != nil)
    #expect(metrics["throughput_per_s"] != nil)
    #expect(metrics["peak_memory_bytes"] != nil)
    let provenance = try #require(object["provenance"] as? [String: Any])
    #expect(Set(provenance.keys) == ["cpu_model", "tool_version", "git_commit"])
    let ranks = try #require(object["ranks"] as? [String: Any])
    #expect(ranks["layer1.0.conv1"] != nil, "layer names are not converted")
    #expect(object["timestamp"] as? String == "2027-01-15T08:00:00Z")
}

@Test func unavailableDocumentRoundTrips() throws {
    let document = ResultFixtures.benchDocument(
        method: "none", state: .original, runtime: "tensorrt", optimized: true, medianMs: nil,
        unavailable: "trtexec not found")
    let decoded = try ResultDocument.decode(try document.encodedJSON())
    #expect(decoded.unavailable == "trtexec not found")
    #expect(decoded.metrics == nil)
}

@Test func readAllSkipsOtherFilesAndReportsMalformed() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = ResultsStore(directory: folder)
    try store.write(ResultFixtures.evalDocument(method: "none", state: .original, top1: 0.9))
    try Data("notes".utf8).write(to: folder.appendingPathComponent("README.txt"))
    try Data("{\"kind\": \"eval\"".utf8).write(to: folder.appendingPathComponent("broken.json"))
    try Data("{\"run_key\": \"x\"}".utf8).write(to: folder.appendingPathComponent("incomplete.json"))
    try Data("{".utf8).write(to: folder.appendingPathComponent(".hidden.json.1234.tmp"))

    let collection = try store.readAll()
    #expect(collection.documents.count == 1)
    #expect(collection.problems.count == 2)
    let messages = collection.problems.map(\.description)
    #expect(messages.contains { $0.contains("broken.json") })
    let incomplete = messages.first { $0.contains("incomplete.json") }
    #expect(incomplete?.contains("missing key") == true)
}

@Test func readAllRejectsNewerSchema() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("{\"schema_version\": 99}".utf8).write(to: folder.appendingPathComponent("future.json"))

    let collection = try ResultsStore(directory: folder).readAll()
    #expect(collection.problems == [.unsupportedSchemaVersion(file: "future.json", version: 99)])
}

@Test func readAllOfMissingFolderThrows() {
    let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")
    #expect(throws: ResultsStoreError.self) { try ResultsStore(directory: missing).readAll() }
}

@Test func fileNamesStayUniqueForUnusualKeys() {
    let plain = ResultsStore.fileName(forRunKey: "net.cp-ratio0.5.compress")
    #expect(plain == "net.cp-ratio0.5.compress.json")

    let slash = ResultsStore.fileName(forRunKey: "a/b")
    let colon = ResultsStore.fileName(forRunKey: "a:b")
    #expect(!slash.contains("/"))
    #expect(slash != colon)
    #expect(!ResultsStore.fileName(forRunKey: "..").hasPrefix("."))
}

@Test func atomicWriteReplacesExistingFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("out.txt")
    try AtomicFile.write("first", to: file)
    try AtomicFile.write("second", to: file)
    #expect(try String(contentsOf: file, encoding: .utf8) == "second")
    #expect(try listing(folder) == ["out.txt"])
}

@Test func atomicWriteFailureLeavesNoTemporaryFile() throws {
    // rename(2) cannot replace a non-empty folder, so the write fails after the temporary
    // file was created and flushed: the failure path that must clean up.
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let blocker = folder.appendingPathComponent("result.json")
    try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
    try Data("x".utf8).write(to: blocker.appendingPathComponent("inside"))

    #expect(throws: ResultsStoreError.self) { try AtomicFile.write("data", to: blocker) }
    #expect(try listing(folder) == ["result.json"])
}

@Test(.enabled(if: getuid() != 0, "root ignores folder permissions, so the write would succeed"))
func atomicWriteIntoReadOnlyFolderFails() throws {
    let folder = try temporaryFolder()
    defer {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try? FileManager.default.removeItem(at: folder)
    }
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)

    let store = ResultsStore(directory: folder)
    let document = ResultFixtures.evalDocument(method: "none", state: .original, top1: 0.9)
    #expect(throws: ResultsStoreError.self) { try store.write(document) }
    #expect(try listing(folder).isEmpty)
}

@Test func latencyStatisticsInterpolatePercentiles() throws {
    let statistics = try #require(LatencyStatistics(samples: (1...10).map(Double.init).reversed()))
    #expect(statistics.min == 1)
    #expect(statistics.max == 10)
    #expect(statistics.mean == 5.5)
    #expect(statistics.median == 5.5)
    #expect(abs(statistics.p90 - 9.1) < 1e-12)
    #expect(abs(statistics.p99 - 9.91) < 1e-12)
    #expect(LatencyStatistics(samples: []) == nil)
}

@Test(arguments: [
    (
        "processor\t: 0\nmodel name\t: AMD EPYC 7B13 64-Core Processor\nflags\t: fpu\n",
        "AMD EPYC 7B13 64-Core Processor"
    ),
    (
        "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU part\t: 0xd0c\n",
        "Arm Neoverse N1"
    ),
    ("CPU implementer\t: 0x41\nCPU part\t: 0xd4f\n", "Arm Neoverse V2"),
    ("CPU implementer\t: 0x99\nCPU part\t: 0x123\n", "implementer 0x99 part 0x123"),
    ("Hardware\t: BCM2835\n", "BCM2835"),
])
func cpuModelFromCPUInfo(text: String, expected: String) {
    #expect(MachineInfo.cpuModel(fromCPUInfo: text) == expected)
}

@Test func cpuModelOfThisMachineIsNotEmpty() {
    #expect(!MachineInfo.cpuModel().isEmpty)
}

@Test func gitCommitOutsideRepositoryIsUnknown() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(MachineInfo.gitCommit(in: folder) == "unknown")
}
