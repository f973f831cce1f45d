import Foundation
import ONNX
import TestSupport
import Testing

@Suite("Model files and external data", .enabled(if: TestEnvironment.fixture("real/efficientnet-lite0.onnx") != nil, "fixtures folder is missing"))
struct FileTests {
    let fixture = TestEnvironment.fixture("real/efficientnet-lite0.onnx")!

    @Test("raw_data is a slice of the file")
    func rawDataSlicesFile() throws {
        let model = try ONNXFile.read(url: fixture)
        let file = try Data(contentsOf: fixture)

        let tensor = try #require(model.graph?.initializer.max { ($0.rawData?.count ?? 0) < ($1.rawData?.count ?? 0) })
        let rawData = try #require(tensor.rawData)

        #expect(rawData.startIndex > 0)
        #expect(file[rawData.startIndex..<rawData.endIndex] == rawData)
    }

    @Test("write replaces a file and leaves no temporary")
    func writeReplacesAtomically() throws {
        let model = try ONNXFile.read(url: fixture)
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.onnx")
        try Data("old contents".utf8).write(to: url)

        try ONNXFile.write(model, to: url)

        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.onnx"])
        #expect(try ONNXFile.read(url: url) == model)
    }

    @Test("threshold keeps small tensors inline")
    func externalDataThreshold() throws {
        let model = try ONNXFile.read(url: fixture)
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.onnx")
        let threshold = 65_536

        try ONNXFile.write(model, to: url, externalData: .singleFile(location: "weights.bin", threshold: threshold))
        let layout = try ONNXFile.read(bytes: try Data(contentsOf: url))

        for tensor in layout.graph?.initializer ?? [] {
            if tensor.dataLocation == .external {
                let entries = Dictionary(uniqueKeysWithValues: tensor.externalData.map { ($0.key, $0.value) })
                #expect(entries["location"] == "weights.bin")
                #expect(Int(entries["offset"] ?? "")! % 4096 == 0, "offset of \(tensor.name)")
                #expect(Int(entries["length"] ?? "")! >= threshold, "length of \(tensor.name)")
                #expect(tensor.rawData == nil)
            } else {
                #expect((tensor.littleEndianBytes()?.count ?? 0) < threshold, "inline \(tensor.name)")
            }
        }
        #expect(layout.graph?.initializer.contains { $0.dataLocation == .external } == true)
        #expect(try ONNXFile.read(url: url) == model)
    }

    @Test("bytes without a folder keep external entries")
    func externalDataUnresolvedWithoutFolder() throws {
        let model = try ONNXFile.read(url: fixture)
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.onnx")
        try ONNXFile.write(model, to: url, externalData: .singleFile(location: "weights.bin"))
        let bytes = try Data(contentsOf: url)

        let unresolved = try ONNXFile.read(bytes: bytes)
        let resolved = try ONNXFile.read(bytes: bytes, externalDataFolder: folder)

        let external = unresolved.graph?.initializer.filter { $0.dataLocation == .external } ?? []
        #expect(!external.isEmpty)
        #expect(external.allSatisfy { $0.rawData == nil && !$0.externalData.isEmpty })
        #expect(resolved == model)
    }

    @Test("write rejects a location outside the folder")
    func invalidExternalLocation() throws {
        let model = try ONNXFile.read(url: fixture)
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.onnx")

        #expect {
            try ONNXFile.write(model, to: url, externalData: .singleFile(location: "../weights.bin"))
        } throws: { error in
            guard case ONNXError.invalidExternalData(_, let reason, _) = error else { return false }
            return reason.contains("../weights.bin")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
