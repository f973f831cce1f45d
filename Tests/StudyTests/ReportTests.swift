import Foundation
import Study
import TestSupport
import Testing

private func row(_ report: StudyReport, method: String, state: ModelState) throws -> ReportRow {
    try #require(report.rows.first { $0.key.method == method && $0.key.state == state })
}

private func approximatelyEqual(_ value: ReportValue, _ expected: Double) -> Bool {
    guard let number = value.number else { return false }
    return abs(number - expected) <= 1e-12 * max(1, abs(expected))
}

@Test func reportRowsOrderedByMethodAndState() {
    let report = StudyReport(documents: ResultFixtures.smallStudy())
    let keys = report.rows.map { "\($0.key.method)/\($0.key.state.rawValue)" }
    #expect(keys == ["none/original", "cp/decomposed", "cp/finetuned"])
    #expect(report.runtimes == ["builtin", "onnxruntime", "tensorrt"])
}

@Test func reportSpeedupsAndSurvivingShare() throws {
    let report = StudyReport(documents: ResultFixtures.smallStudy())
    let decomposed = try row(report, method: "cp", state: .decomposed)

    for runtime in ["builtin", "onnxruntime"] {
        let comparison = try #require(decomposed.runtimes[runtime])
        #expect(approximatelyEqual(comparison.speedupBefore, 2.0), "\(runtime)")
        #expect(approximatelyEqual(comparison.speedupAfter, 1.25), "\(runtime)")
        #expect(approximatelyEqual(comparison.survivingShare, 0.625), "\(runtime)")
    }
    let builtin = try #require(decomposed.runtimes["builtin"])
    #expect(builtin.latencyBefore == .number(5))
    #expect(builtin.latencyAfter == .number(4))
}

@Test func reportOriginalSpeedupIsOne() throws {
    let report = StudyReport(documents: ResultFixtures.smallStudy())
    let original = try row(report, method: "none", state: .original)
    let comparison = try #require(original.runtimes["builtin"])
    #expect(comparison.speedupBefore == .number(1))
    #expect(comparison.speedupAfter == .number(1))
    #expect(comparison.survivingShare == .number(1))
}

@Test func reportModelStatisticsAndAccuracy() throws {
    let report = StudyReport(documents: ResultFixtures.smallStudy())
    let finetuned = try row(report, method: "cp", state: .finetuned)
    #expect(finetuned.sizeMB == .number(1.6))
    #expect(finetuned.parameters == .number(400_000))
    #expect(finetuned.macs == .number(80_000_000))
    #expect(finetuned.top1 == .number(0.88))
    #expect(approximatelyEqual(finetuned.compressionRatio, 2.5))
}

@Test func reportUnavailableRuntimeKeepsReason() throws {
    let report = StudyReport(documents: ResultFixtures.smallStudy())
    let decomposed = try row(report, method: "cp", state: .decomposed)
    let tensorRT = try #require(decomposed.runtimes["tensorrt"])
    #expect(tensorRT.latencyBefore == .unavailable("trtexec not found"))
    #expect(tensorRT.speedupAfter == .unavailable("trtexec not found"))
}

@Test func reportLatestDocumentWins() throws {
    var documents = ResultFixtures.smallStudy()
    var rerun = ResultFixtures.benchDocument(
        method: "cp", state: .decomposed, runtime: "builtin", optimized: false, medianMs: 2.5)
    rerun.runKey += ".rerun"
    rerun.timestamp = Date(timeIntervalSince1970: 1_900_000_000)
    documents.append(rerun)

    let report = StudyReport(documents: documents)
    let comparison = try #require(try row(report, method: "cp", state: .decomposed).runtimes["builtin"])
    #expect(comparison.latencyBefore == .number(2.5))
    #expect(approximatelyEqual(comparison.speedupBefore, 4))
}

@Test func reportMarkdownShowsNumbersAndUnavailable() {
    let markdown = StudyReport(documents: ResultFixtures.smallStudy()).markdown()
    #expect(
        markdown.contains(
            "| net | cp | ratio:0.5 | decomposed | 1.60 | 0.40 | 80.0 | 80.00 | 5.00 | 4.00 | 2.00 | 1.25 | 62.5 |"))
    #expect(markdown.contains("unavailable [1]"))
    #expect(markdown.contains("1. Unavailable: trtexec not found"))
    #expect(markdown.contains("Test CPU"))
}

@Test func reportCSVHasFullPrecisionColumns() throws {
    let csv = StudyReport(documents: ResultFixtures.smallStudy()).csv()
    let lines = csv.components(separatedBy: "\r\n")
    let header = lines[0].split(separator: ",").map(String.init)
    #expect(header.contains("builtin_surviving_share"))

    let decomposed = try #require(lines.first { $0.hasPrefix("net,cp,ratio:0.5,decomposed,") })
    let fields = decomposed.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let value = { (name: String) in fields[header.firstIndex(of: name)!] }
    #expect(value("builtin_speedup_before") == "2")
    #expect(value("builtin_speedup_after") == "1.25")
    #expect(value("builtin_surviving_share") == "0.625")
    #expect(value("parameters") == "400000")
    #expect(value("tensorrt_before_median_ms") == "unavailable: trtexec not found")
}

@Test func reportLaTeXUsesBooktabsAndEscapes() {
    var documents = ResultFixtures.smallStudy()
    documents.append(
        ResultFixtures.modelDocument(
            kind: .compress, model: "res_net&50%", method: "none", state: .original, parameters: 1, macs: 1,
            sizeBytes: 1))
    let latex = StudyReport(documents: documents).latex()
    #expect(latex.contains("\\toprule"))
    #expect(latex.contains("\\midrule"))
    #expect(latex.contains("\\bottomrule"))
    #expect(latex.contains("res\\_net\\&50\\%"))
    #expect(latex.contains("\\multicolumn{5}{c}{builtin}"))
    #expect(latex.contains("\\textsuperscript{1}Unavailable: trtexec not found"))
}

@Test func reportWritesAllFiles() throws {
    let folder = try TestEnvironment.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let written = try StudyReport(documents: ResultFixtures.smallStudy()).write(
        to: folder.appendingPathComponent("report"))
    let names = Set(written.map(\.lastPathComponent))
    #expect(
        names == [
            "report.md", "report.csv", "report.tex", "accuracy-vs-compression.svg",
            "latency-vs-macs-builtin.svg", "speedup-builtin.svg", "latency-vs-macs-onnxruntime.svg",
            "speedup-onnxruntime.svg", "latency-vs-macs-tensorrt.svg", "speedup-tensorrt.svg",
        ])
    let listing = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("report").path)
    #expect(Set(listing) == names, "no temporary files remain")
}
