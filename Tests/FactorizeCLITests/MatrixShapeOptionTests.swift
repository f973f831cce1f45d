import Foundation
import TestSupport
import Testing

@testable import FactorizeCLI

/// Runs `compress --method tt` on the tiny classifier's 10 × 8 fully connected layer and
/// returns the exit status, the ranks reported for it, and stderr.
private func compressClassifier(
    _ extra: [String], method: String = "tt", selection: [String] = ["--layers", "fc", "--include-classifier"]
) throws -> (status: Int32, ranks: [Int]?, err: String) {
    let model = try savedModel(tinyClassifier())
    let output = model.deletingLastPathComponent().appendingPathComponent("tiny.tt.onnx")
    let (status, out, err) = runCapturing(
        ["compress", model.path, "--method", method, "--rank", "100", "-o", output.path, "--json", "--threads", "1"]
            + selection + extra)
    guard status == 0 else { return (status, nil, err) }
    let layers = try jsonObject(out)["layers"] as? [[String: Any]]
    return (status, layers?.first?["ranks"] as? [Int], err)
}

@Test func defaultMatrixOrderIsThree() throws {
    let result = try compressClassifier([])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.ranks?.count == 2)
}

@Test func matrixOrderOptionApplies() throws {
    let result = try compressClassifier(["--matrix-order", "2"])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.ranks?.count == 1)
}

@Test func shapesFileSetsFactors() throws {
    let file = try writeShapesFile(#"{"fc": {"output": [5, 2], "input": [4, 2]}}"#)
    let result = try compressClassifier(["--matrix-shapes", file.path])
    #expect(result.status == 0, "\(result.err)")
    // Two factors per dimension leave one inner TT rank, at most min(5·4, 2·2) = 4.
    #expect(result.ranks == [4])
}

/// A --matrix-shapes file that compress rejects with status 1, and what its message contains.
struct RejectedShapesFile: CustomStringConvertible, Sendable {
    var description: String
    var json: String
    var messageParts: [String]
}

let rejectedShapesFiles = [
    RejectedShapesFile(
        description: "wrong products", json: #"{"fc": {"output": [5, 3], "input": [4, 2]}}"#,
        messageParts: ["layer 'fc'", "10 outputs and 8 inputs"]),
    RejectedShapesFile(
        description: "unknown layer", json: #"{"fc9": {"output": [5, 2], "input": [4, 2]}}"#, messageParts: ["'fc9'"]),
    RejectedShapesFile(description: "malformed entry", json: #"{"fc": [5, 2]}"#, messageParts: ["the value of 'fc'"]),
    RejectedShapesFile(
        description: "one factor", json: #"{"fc": {"output": [10], "input": [8]}}"#,
        messageParts: ["1 factor per dimension; give 2 to 8"]),
]

@Test(arguments: rejectedShapesFiles)
func invalidShapesFileRejected(_ rejected: RejectedShapesFile) throws {
    let file = try writeShapesFile(rejected.json)
    let result = try compressClassifier(["--matrix-shapes", file.path])
    #expect(result.status == 1)
    for part in rejected.messageParts {
        #expect(result.err.contains(part))
    }
}

@Test func matrixOrderBelowTwoRejected() throws {
    let result = try compressClassifier(["--matrix-order", "1"])
    #expect(result.status == 64)
    #expect(result.err.contains("--matrix-order"))
}

@Test func shapesForUnselectedLayerRejected() throws {
    let file = try writeShapesFile(#"{"fc": {"output": [5, 2], "input": [4, 2]}}"#)
    let result = try compressClassifier(["--matrix-shapes", file.path], selection: [])
    #expect(result.status == 1)
    #expect(result.err.contains("needs --include-classifier"))
}

@Test func matrixOptionsNeedTTOrTR() throws {
    let file = try writeShapesFile(#"{"fc": {"output": [5, 2], "input": [4, 2]}}"#)
    let result = try compressClassifier(["--matrix-shapes", file.path], method: "tucker2")
    #expect(result.status == 64)
    #expect(result.err.contains("use it with --method tt or tr"))
}

@Test func matrixOrderAboveEightRejected() throws {
    let result = try compressClassifier(["--matrix-order", "9"])
    #expect(result.status == 64)
    #expect(result.err.contains("expected 2 to 8"))
}

@Test func tableShowsMatrixFactors() throws {
    let model = try savedModel(tinyClassifier())
    let output = model.deletingLastPathComponent().appendingPathComponent("tiny.tt.onnx")
    let (status, out, err) = runCapturing([
        "compress", model.path, "--method", "tt", "--rank", "2", "--layers", "fc", "--include-classifier",
        "--matrix-order", "2", "-o", output.path, "--threads", "1",
    ])
    #expect(status == 0, "\(err)")
    #expect(out.contains("note: fc: matrix factors: output 5·2, input 4·2"))
}

@Test func missingOutputFolderFailsEarly() throws {
    let model = try savedModel(tinyClassifier())
    let output = model.deletingLastPathComponent().appendingPathComponent("missing/tiny.onnx")
    let (status, _, err) = runCapturing(["compress", model.path, "--method", "cp", "-o", output.path, "--threads", "1"])
    #expect(status == 1)
    #expect(err.contains("output folder not found: "))
    #expect(err.contains("create it or choose another -o path"))
    #expect(!err.contains("compress: cp"))
}

@Test func invalidLayerPatternIsUsageError() throws {
    let result = try compressClassifier([], selection: ["--layers", "("])
    #expect(result.status == 64)
    #expect(result.err.contains("invalid regular expression '(' for --layers"))
}

@Test func folderAsShapesFileRejected() throws {
    let folder = try TestEnvironment.makeTemporaryDirectory("factorize-shapes-folder")
    let result = try compressClassifier(["--matrix-shapes", folder.path])
    #expect(result.status == 1)
    #expect(result.err.contains("is a folder, not a matrix shapes file"))
}

/// Writes `text` into a fresh temporary folder.
private func writeShapesFile(_ text: String) throws -> URL {
    let file = try TestEnvironment.makeTemporaryDirectory("factorize-shapes").appendingPathComponent("shapes.json")
    try Data(text.utf8).write(to: file)
    return file
}
