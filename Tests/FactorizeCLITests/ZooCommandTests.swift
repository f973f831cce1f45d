import Foundation
import Graph
import LinearAlgebra
import TestSupport
import Testing
import Zoo

@testable import FactorizeCLI

/// Writes tensors as a safetensors file: an 8-byte little-endian header length, a JSON header with each
/// tensor's dtype, shape and byte range, then the float32 data.
private func writeSafetensors(_ tensors: [String: Tensor<Float>], to url: URL) throws {
    var header: [String: Any] = [:]
    var data = Data()
    for name in tensors.keys.sorted() {
        let tensor = tensors[name]!
        let start = data.count
        for value in tensor.scalars { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [start, data.count]]
    }
    let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    var file = Data()
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
    file.append(json)
    file.append(data)
    try file.write(to: url)
}

/// Builds a seeded random ResNet-18 with its BatchNorms kept and returns its weights by state dict key.
private func resnet18StateDict(classes: Int = 1000, seed: UInt64 = 5) throws -> [String: Tensor<Float>] {
    let model = try Architecture.resnet18.buildModel(
        weights: .random(seed: seed), options: ZooOptions(classes: classes, keepBatchNorm: true))
    return model.graph.initializers.mapValues { Tensor(shape: $0.shape, scalars: $0.floats()) }
}

@Suite final class ZooCommandTests {
    let folder: URL

    init() throws {
        folder = try TestEnvironment.makeTemporaryDirectory("zoo-cli")
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func listPrintsEveryArchitecture() {
        let (status, out, _) = runCapturing(["zoo", "list"])
        #expect(status == 0)
        for architecture in Architecture.allCases {
            #expect(out.contains(architecture.rawValue))
        }
        #expect(out.contains("11689512"))
        #expect(out.contains("resnet50-11ad3fa6.pth"))
    }

    @Test func listPrintsJSON() throws {
        let (status, out, _) = runCapturing(["zoo", "list", "--json"])
        #expect(status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
        #expect(entries.count == 9)
        #expect(entries.first?["architecture"] as? String == "resnet18")
        #expect(entries.first?["parameters"] as? Int == 11_689_512)
    }

    @Test func groupNameAloneIsUsageError() {
        let (status, _, err) = runCapturing(["zoo"])
        #expect(status == 64)
        #expect(err.contains("zoo build"))
    }

    @Test func buildWithoutWeightsIsUsageError() {
        let (status, _, err) = runCapturing(["zoo", "build", "resnet18", "-o", folder.appendingPathComponent("m.onnx").path])
        #expect(status == 64)
        #expect(err.contains("--weights FILE"))
        #expect(err.contains("--random"))
    }

    @Test(arguments: [
        (["zoo", "build", "resnet19", "--random"], "resnet19"),
        (["zoo", "build", "resnet18", "--random", "--input-size", "12x"], "12x"),
        (["zoo", "build", "resnet18", "--random", "--input-size", "16"], "16x16"),
        (["zoo", "build", "vgg11_bn", "--random", "--input-size", "320"], "320x320"),
        (["zoo", "build", "resnet18", "--random", "--classes", "0"], "'0'"),
        (["zoo", "build", "resnet18", "--random", "--seed", "-1"], "'-1'"),
        (["zoo", "build", "resnet18", "--random", "--weights", "a.pth"], "--weights and --random"),
    ])
    func invalidValueIsUsageError(_ arguments: [String], _ named: String) {
        let (status, _, err) = runCapturing(arguments + ["-o", folder.appendingPathComponent("m.onnx").path])
        #expect(status == 64)
        #expect(err.contains(named))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.onnx").path))
    }

    @Test func missingCheckpointFails() {
        let path = folder.appendingPathComponent("absent.pth").path
        let (status, _, err) = runCapturing(["zoo", "build", "resnet18", "--weights", path, "-o", folder.appendingPathComponent("m.onnx").path])
        #expect(status == 1)
        #expect(err.contains(path))
    }

    @Test func randomBuildWritesModel() throws {
        let output = folder.appendingPathComponent("resnet18.onnx")
        let (status, out, err) = runCapturing([
            "zoo", "build", "resnet18", "--random", "--seed", "3", "--classes", "10", "--input-size", "64x96", "-o", output.path, "--json",
        ])
        #expect(status == 0, "\(err)")

        let model = try Model.load(from: output)
        #expect(model.graph.initializers["fc.weight"]?.shape == [10, 512])
        #expect(model.graph.inputs.first?.shape == [.symbolic("batch"), .known(3), .known(64), .known(96)])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(summary["classes"] as? Int == 10)
        #expect(summary["parameters"] as? Int == 11_181_642)
    }

    @Test func keepBatchNormKeepsNodes() throws {
        let output = folder.appendingPathComponent("resnet18.onnx")
        let (status, _, _) = runCapturing(["zoo", "build", "resnet18", "--random", "--keep-batchnorm", "-o", output.path])
        #expect(status == 0)

        let model = try Model.load(from: output)
        #expect(model.graph.nodes.filter { $0.opType == "BatchNormalization" }.count == 20)
    }

    @Test func checkpointBuildMatchesRandomBuild() throws {
        let checkpoint = folder.appendingPathComponent("resnet18.safetensors")
        try writeSafetensors(try resnet18StateDict(seed: 5), to: checkpoint)
        let fromCheckpoint = folder.appendingPathComponent("checkpoint.onnx")
        let fromRandom = folder.appendingPathComponent("random.onnx")

        let (status, _, err) = runCapturing(["zoo", "build", "resnet18", "--weights", checkpoint.path, "-o", fromCheckpoint.path])
        #expect(status == 0, "\(err)")
        #expect(runCapturing(["zoo", "build", "resnet18", "--random", "--seed", "5", "-o", fromRandom.path]).0 == 0)

        let loaded = try Model.load(from: fromCheckpoint)
        let random = try Model.load(from: fromRandom)
        #expect(loaded.graph.initializers.keys.sorted() == random.graph.initializers.keys.sorted())
        for (name, tensor) in random.graph.initializers {
            #expect(loaded.graph.initializers[name]?.floats() == tensor.floats(), "\(name)")
        }
    }

    @Test func checkpointClassCountIsInferred() throws {
        let checkpoint = folder.appendingPathComponent("resnet18-10.safetensors")
        try writeSafetensors(try resnet18StateDict(classes: 10), to: checkpoint)
        let output = folder.appendingPathComponent("m.onnx")

        let (status, _, err) = runCapturing(["zoo", "build", "resnet18", "--weights", checkpoint.path, "-o", output.path])
        #expect(status == 0, "\(err)")
        #expect(try Model.load(from: output).graph.outputs.first?.shape == [.symbolic("batch"), .known(10)])
    }

    @Test func checkpointMissingKeyFails() throws {
        var stateDict = try resnet18StateDict()
        stateDict["layer2.1.bn2.running_mean"] = nil
        let checkpoint = folder.appendingPathComponent("broken.safetensors")
        try writeSafetensors(stateDict, to: checkpoint)
        let output = folder.appendingPathComponent("m.onnx")

        let (status, _, err) = runCapturing(["zoo", "build", "resnet18", "--weights", checkpoint.path, "-o", output.path])
        #expect(status == 1)
        #expect(err.contains("layer2.1.bn2.running_mean"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func checkpointClassMismatchNamesShapes() throws {
        let checkpoint = folder.appendingPathComponent("resnet18.safetensors")
        try writeSafetensors(try resnet18StateDict(), to: checkpoint)

        let (status, _, err) = runCapturing([
            "zoo", "build", "resnet18", "--weights", checkpoint.path, "--classes", "10", "-o", folder.appendingPathComponent("m.onnx").path,
        ])
        #expect(status == 1)
        #expect(err.contains("fc.weight"))
        #expect(err.contains("[1000, 512]"))
        #expect(err.contains("[10, 512]"))
    }
}
