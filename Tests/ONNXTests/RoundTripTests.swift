import Foundation
import ONNX
import TestSupport
import Testing

/// Every ONNX file among the fixtures: the torchvision graphs and the real EfficientNet-Lite0.
let fixtureModels: [String] = {
    guard let root = TestEnvironment.fixtures else { return [] }
    let folders = ["torchvision", "real"]
    return folders.flatMap { folder -> [String] in
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".onnx") }.sorted().map { "\(folder)/\($0)" }
    }
}()

@Suite("Round trip of the fixture models")
struct RoundTripTests {
    @Test("read, write, read gives the same model", .enabled(if: !fixtureModels.isEmpty, "fixtures folder is missing"),
        arguments: fixtureModels)
    func roundTripIsIdentical(_ fixture: String) throws {
        let url = try #require(TestEnvironment.fixture(fixture))
        let original = try ONNXFile.read(url: url)
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("model.onnx")

        try ONNXFile.write(original, to: copy)
        let reread = try ONNXFile.read(url: copy)

        #expect(reread == original)
        #expect(tensorBytes(reread) == tensorBytes(original))
    }
}

/// Names and element bytes of every initializer and tensor attribute of the main graph.
func tensorBytes(_ model: ModelProto) -> [String: Data] {
    var bytes: [String: Data] = [:]
    for tensor in model.graph?.initializer ?? [] { bytes[tensor.name] = tensor.littleEndianBytes() }
    for node in model.graph?.node ?? [] {
        for attribute in node.attribute {
            if let tensor = attribute.t { bytes["\(node.name)/\(attribute.name)"] = tensor.littleEndianBytes() }
        }
    }
    return bytes
}
