import Factorization
import Foundation
import Graph
import TestSupport
import Testing

@testable import FactorizeCLI

@Test func inspectCountsParametersAndMACsOfEveryLayer() throws {
    let model = try savedModel(tinyClassifier())
    let (status, out, _) = runCapturing(["inspect", model.path, "--json"])
    #expect(status == 0)
    let object = try jsonObject(out)
    #expect(object["parameters"] as? Int == 754)
    #expect(object["macs"] as? Int == 127_088)
    let layers = try #require(object["layers"] as? [[String: Any]])
    #expect(layers.map { $0["name"] as? String } == ["conv1", "relu1", "conv2", "relu2", "pool", "flatten", "fc"])
    #expect(layers[2]["macs"] as? Int == 8 * 14 * 14 * 72)
    #expect(layers[2]["output_shape"] as? [Int] == [1, 8, 14, 14])
}

@Test func inspectScalesMACsWithTheGivenInputShape() throws {
    let model = try savedModel(tinyClassifier())
    let (status, out, _) = runCapturing(["inspect", model.path, "--json", "--input-shape", "x=4,1,28,28"])
    #expect(status == 0)
    #expect(try jsonObject(out)["macs"] as? Int == 4 * 127_088)
}

@Test func inspectRejectsMalformedInputShapeNamingIt() throws {
    let model = try savedModel(tinyClassifier())
    let (status, _, err) = runCapturing(["inspect", model.path, "--input-shape", "x=1,a,28"])
    #expect(status == 64)
    #expect(err.contains("x=1,a,28"))
}

@Test func inspectRejectsUnknownInputName() throws {
    let model = try savedModel(tinyClassifier())
    let (status, _, err) = runCapturing(["inspect", model.path, "--input-shape", "image=1,1,28,28"])
    #expect(status == 64)
    #expect(err.contains("'image'"))
}

@Test(.enabled(if: TestEnvironment.fixture("real/efficientnet-lite0.onnx") != nil, "EfficientNet-Lite0 fixture missing"))
func inspectEfficientNetMatchesGraphStatistics() throws {
    let url = try #require(TestEnvironment.fixture("real/efficientnet-lite0.onnx"))
    let (status, out, _) = runCapturing(["inspect", url.path, "--json"])
    #expect(status == 0)
    let object = try jsonObject(out)
    let model = try Model.load(from: url)
    let statistics = try layerStatistics(model)
    #expect(object["macs"] as? Int == statistics.totalMACs)
    #expect(object["parameters"] as? Int == statistics.totalParameters)
    #expect((object["layers"] as? [Any])?.count == model.graph.nodes.count)
}

@Test(.enabled(if: TestEnvironment.fixture("real/efficientnet-lite0.onnx") != nil && TestEnvironment.pythonHasModules(["onnx"]), "EfficientNet-Lite0 fixture or Python onnx missing"))
func inspectEfficientNetParametersMatchONNX() throws {
    let url = try #require(TestEnvironment.fixture("real/efficientnet-lite0.onnx"))
    let (_, out, _) = runCapturing(["inspect", url.path, "--json"])
    let script = """
        import onnx, sys
        from onnx import numpy_helper
        m = onnx.load(sys.argv[1])
        print(sum(numpy_helper.to_array(t).size for t in m.graph.initializer if t.data_type == onnx.TensorProto.FLOAT))
        """
    let expected = String(decoding: try TestEnvironment.runPython(["-c", script, url.path]), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(try jsonObject(out)["parameters"] as? Int == Int(expected))
}
