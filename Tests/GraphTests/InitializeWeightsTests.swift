import Graph
import Testing

@Suite("Weight initialization")
struct InitializeWeightsTests {
    /// Learnable parameters of the exported graphs. With every BatchNorm kept they equal
    /// torchvision's count (resnet18-preserve-bn: 11,689,512). The exporter folds a
    /// BatchNorm that follows a Conv into it, replacing 2 parameters per channel by one
    /// bias: resnet18 loses its 4,800 and resnet50 its 26,560 BatchNorm channels from
    /// 11,689,512 and 25,557,032, and densenet121 the 7,488 channels of norm0 and of each
    /// dense layer's norm2 from 7,978,856. VGG convolutions already have biases, so vgg16_bn loses
    /// 2 · 4,224 from 138,365,992, and 4,096 more because the exporter turned the all-zero
    /// classifier.3.bias into an Identity of classifier.0.bias.
    static let parameterCounts: [(String, Int)] = [
        ("resnet18-preserve-bn", 11_689_512), ("densenet121", 7_971_368),
        ("resnet18", 11_684_712), ("resnet50", 25_530_472), ("vgg16_bn", 138_353_448),
    ]

    @Test("weights move to initializers", .enabled(if: FixtureModels.available, "fixtures folder is missing"),
          arguments: FixtureModels.torchvision)
    func movesWeights(name: String) throws {
        let model = try FixtureModels.loadTorchvision(name)
        let initialized = try initializeWeights(model, seed: 1)
        #expect(initialized.graph.inputs.map(\.name) == ["input"])
        #expect(initialized.graph.initializers.count == model.graph.inputs.count - 1)
        try initialized.validate()
    }

    @Test("parameter counts match torchvision", .enabled(if: FixtureModels.available, "fixtures folder is missing"),
          arguments: parameterCounts)
    func parameterCount(name: String, expected: Int) throws {
        let initialized = try initializeWeights(try FixtureModels.loadTorchvision(name), seed: 1)
        #expect(try layerStatistics(initialized).totalParameters == expected)
    }

    @Test("same seed gives same weights", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func reproducible() throws {
        let model = try FixtureModels.loadTorchvision("resnet18-preserve-bn")
        #expect(try initializeWeights(model, seed: 7) == initializeWeights(model, seed: 7))
        #expect(try initializeWeights(model, seed: 7) != initializeWeights(model, seed: 8))
    }

    @Test("roles follow the consuming operator", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func roles() throws {
        let model = try initializeWeights(try FixtureModels.loadTorchvision("resnet18-preserve-bn"), seed: 3)
        let weights = try #require(model.graph.initializers["conv1.weight"]).floats()
        let standardDeviation = (weights.map { $0 * $0 }.reduce(0, +) / Float(weights.count)).squareRoot()
        // He-normal for a 3×7×7 fan-in: sqrt(2 / 147) ≈ 0.1166.
        #expect(abs(standardDeviation - 0.1166) < 0.01)
        #expect(try #require(model.graph.initializers["fc.bias"]).floats().allSatisfy { $0 == 0 })
        let variance = try #require(model.graph.initializers["bn1.running_var"]).floats()
        #expect(variance.allSatisfy { (0.5..<1.5).contains($0) })
        let scale = try #require(model.graph.initializers["bn1.weight"]).floats()
        #expect(scale.allSatisfy { abs($0 - 1) < 0.2 })
    }

    @Test("dynamo head constants are chosen", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func dynamoConstants() throws {
        let model = try initializeWeights(try FixtureModels.loadTorchvision("resnet18-dynamo"), seed: 1)
        #expect(model.graph.initializers["val_226"]?.integers() == [2, 3])
        #expect(model.graph.initializers["val_230"]?.integers() == [-1, 512])
        #expect(try inferShapes(model)["logits"]?.shape == [.known(1), .known(1000)])
    }

    @Test("generator sequence is fixed")
    func generatorSequence() {
        var generator = SplitMix64(seed: 0)
        // Reference outputs of SplitMix64 seeded with 0.
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}
