import Foundation
import TestSupport
import Testing

@testable import FactorizeCLI

/// Runs `compress --method tt` on the tiny classifier's 10 × 8 fully connected layer and
/// returns the exit status, the ranks reported for it, and stderr.
private func compressClassifier(_ extra: [String]) throws -> (status: Int32, ranks: [Int]?, err: String) {
    let model = try savedModel(tinyClassifier())
    let output = model.deletingLastPathComponent().appendingPathComponent("tiny.tt.onnx")
    let (status, out, err) = runCapturing(
        ["compress", model.path, "--method", "tt", "--rank", "100", "--layers", "fc", "--include-classifier",
         "-o", output.path, "--json", "--threads", "1"] + extra)
    guard status == 0 else { return (status, nil, err) }
    let layers = try jsonObject(out)["layers"] as? [[String: Any]]
    return (status, layers?.first?["ranks"] as? [Int], err)
}

@Test func compressFactorsMatrixDimensionsIntoThreeByDefault() throws {
    let result = try compressClassifier([])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.ranks?.count == 2)
}

@Test func compressUsesTheGivenMatrixOrder() throws {
    let result = try compressClassifier(["--matrix-order", "2"])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.ranks?.count == 1)
}

@Test func compressUsesMatrixShapesFromAFile() throws {
    let file = try writeShapesFile(#"{"fc": {"output": [5, 2], "input": [4, 2]}}"#)
    let result = try compressClassifier(["--matrix-shapes", file.path])
    #expect(result.status == 0, "\(result.err)")
    // Two factors per dimension leave one inner TT rank, at most min(5·4, 2·2) = 4.
    #expect(result.ranks == [4])
}

@Test func compressRejectsMatrixShapesThatDoNotMultiplyToTheLayer() throws {
    let file = try writeShapesFile(#"{"fc": {"output": [5, 3], "input": [4, 2]}}"#)
    let result = try compressClassifier(["--matrix-shapes", file.path])
    #expect(result.status == 1)
    #expect(result.err.contains("layer 'fc'"))
    #expect(result.err.contains("10 outputs and 8 inputs"))
}

@Test func compressRejectsMatrixShapesForAnUnknownLayer() throws {
    let file = try writeShapesFile(#"{"fc9": {"output": [5, 2], "input": [4, 2]}}"#)
    let result = try compressClassifier(["--matrix-shapes", file.path])
    #expect(result.status == 1)
    #expect(result.err.contains("'fc9'"))
}

@Test func compressRejectsAMalformedMatrixShapesFile() throws {
    let file = try writeShapesFile(#"{"fc": [5, 2]}"#)
    let result = try compressClassifier(["--matrix-shapes", file.path])
    #expect(result.status == 1)
    #expect(result.err.contains("the value of 'fc'"))
}

@Test func compressRejectsAMatrixOrderBelowTwo() throws {
    let result = try compressClassifier(["--matrix-order", "1"])
    #expect(result.status == 64)
    #expect(result.err.contains("--matrix-order"))
}

/// Writes `text` into a fresh temporary folder.
private func writeShapesFile(_ text: String) throws -> URL {
    let file = try TestEnvironment.makeTemporaryDirectory("factorize-shapes").appendingPathComponent("shapes.json")
    try Data(text.utf8).write(to: file)
    return file
}
