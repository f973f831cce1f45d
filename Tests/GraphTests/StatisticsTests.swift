import Foundation
import Graph
import Testing

@Suite("Model statistics")
struct StatisticsTests {
    @Test("resnet18 MACs and layers", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func resnet18() throws {
        let model = try initializeWeights(try FixtureModels.loadTorchvision("resnet18"), seed: 1)
        let statistics = try layerStatistics(model)
        // torchvision lists 1.81 GFLOPS (multiply-adds) for resnet18 at 224×224.
        #expect(abs(Double(statistics.totalMACs) / 1e9 - 1.81) < 0.01)
        let stem = try #require(statistics.layers.first { $0.opType == "Conv" })
        #expect(stem.outputShape == [.known(1), .known(64), .known(112), .known(112)])
        #expect(stem.parameters == 64 * 3 * 7 * 7 + 64)
        #expect(stem.macs == 64 * 112 * 112 * 3 * 7 * 7)
        #expect(statistics.layers.first { $0.opType == "Relu" }?.macs == nil)
        #expect(statistics.operatorCounts["Conv"] == 20)
        #expect(statistics.opset == 17)
        #expect(statistics.inputs.map(\.name) == ["input"])
        #expect(statistics.outputs.first?.shape == [.known(1), .known(1000)])
        #expect(statistics.initializerBytes == 4 * 11_684_712)
    }

    @Test("EfficientNet-Lite0 parameters", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func efficientNet() throws {
        let statistics = try layerStatistics(try optimize(try FixtureModels.load(FixtureModels.efficientNet)))
        // The sum of the file's float initializers; its BatchNorms were folded at export.
        #expect(statistics.totalParameters == 4_631_000)
    }

    @Test("batch size scales MACs", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func batchScaling() throws {
        let model = try initializeWeights(try FixtureModels.loadTorchvision("resnet50"), seed: 1)
        let single = try layerStatistics(model)
        let batch = try layerStatistics(model, inputShapes: ["input": [4, 3, 224, 224]])
        #expect(batch.totalMACs == 4 * single.totalMACs)
        #expect(batch.totalParameters == single.totalParameters)
        // torchvision lists 4.09 GFLOPS (multiply-adds) for resnet50 at 224×224.
        #expect(abs(Double(single.totalMACs) / 1e9 - 4.09) < 0.02)
    }

    @Test("statistics encode as JSON", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func codable() throws {
        let statistics = try layerStatistics(try initializeWeights(try FixtureModels.loadTorchvision("vgg11_bn"), seed: 1))
        let data = try JSONEncoder().encode(statistics)
        #expect(try JSONDecoder().decode(ModelStatistics.self, from: data) == statistics)
    }
}
