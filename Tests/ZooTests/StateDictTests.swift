import Graph
import LinearAlgebra
import Testing
import Zoo

/// Builds a seeded random model with its BatchNorms kept and returns its weights by state dict key.
func randomStateDict(_ architecture: Architecture, options: ZooOptions = ZooOptions(), seed: UInt64 = 5) throws -> [String: Tensor<Float>] {
    var unfolded = options
    unfolded.keepBatchNorm = true
    let model = try architecture.buildModel(weights: .random(seed: seed), options: unfolded)
    return model.graph.initializers.mapValues { Tensor(shape: $0.shape, scalars: $0.floats()) }
}

@Test func stateDictRoundTripKeepsWeights() throws {
    let stateDict = try randomStateDict(.resnet18)
    let model = try Architecture.resnet18.buildModel(weights: .stateDict(stateDict), options: ZooOptions(keepBatchNorm: true))
    let random = try Architecture.resnet18.buildModel(weights: .random(seed: 5), options: ZooOptions(keepBatchNorm: true))

    #expect(model.graph.initializers == random.graph.initializers)
    #expect(model.graph.inputs.map(\.name) == ["input"])
}

@Test func stateDictKeysFollowTorchvision() throws {
    let keys = Set(try Architecture.resnet18.parameterSpecs().map(\.name))
    #expect(keys.contains("layer1.0.conv1.weight"))
    #expect(keys.contains("layer2.0.downsample.0.weight"))
    #expect(keys.contains("layer2.0.downsample.1.running_var"))
    #expect(keys.contains("fc.bias"))

    let denseKeys = Set(try Architecture.densenet121.parameterSpecs().map(\.name))
    #expect(denseKeys.contains("features.denseblock1.denselayer1.norm1.running_mean"))
    #expect(denseKeys.contains("features.transition3.conv.weight"))
    #expect(denseKeys.contains("features.norm5.weight"))

    let vggKeys = Set(try Architecture.vgg16_bn.parameterSpecs().map(\.name))
    #expect(vggKeys.contains("features.0.weight"))
    #expect(vggKeys.contains("features.41.running_mean"))
    #expect(vggKeys.contains("classifier.6.bias"))
}

@Test func missingKeyIsListed() throws {
    var stateDict = try randomStateDict(.resnet18)
    stateDict["layer1.0.bn1.running_var"] = nil

    #expect(throws: ZooError.keyMismatch(architecture: .resnet18, missing: ["layer1.0.bn1.running_var"], unexpected: [])) {
        try Architecture.resnet18.buildModel(weights: .stateDict(stateDict))
    }
}

@Test func unexpectedKeyIsListed() throws {
    var stateDict = try randomStateDict(.resnet18)
    stateDict["fc2.weight"] = Tensor(zeros: [10, 512])

    #expect(throws: ZooError.keyMismatch(architecture: .resnet18, missing: [], unexpected: ["fc2.weight"])) {
        try Architecture.resnet18.buildModel(weights: .stateDict(stateDict))
    }
}

@Test func batchCounterKeysAreIgnored() throws {
    var stateDict = try randomStateDict(.resnet18)
    stateDict["bn1.num_batches_tracked"] = Tensor(zeros: [])
    stateDict["layer4.1.bn2.num_batches_tracked"] = Tensor(zeros: [])

    let model = try Architecture.resnet18.buildModel(weights: .stateDict(stateDict), options: ZooOptions(keepBatchNorm: true))
    #expect(model.graph.initializers["bn1.num_batches_tracked"] == nil)
    #expect(model.graph.initializers.count == stateDict.count - 2)
}

@Test func shapeMismatchNamesKeyAndShapes() throws {
    var stateDict = try randomStateDict(.resnet18)
    stateDict["layer3.1.conv2.weight"] = Tensor(zeros: [256, 256, 1, 1])

    #expect(throws: ZooError.shapeMismatch(key: "layer3.1.conv2.weight", expected: [256, 256, 3, 3], actual: [256, 256, 1, 1])) {
        try Architecture.resnet18.buildModel(weights: .stateDict(stateDict))
    }
}

@Test func keyMismatchMessageListsKeys() {
    let error = ZooError.keyMismatch(architecture: .vgg11_bn, missing: ["classifier.6.bias"], unexpected: ["fc.bias"])
    #expect(error.description.contains("1 missing keys: classifier.6.bias"))
    #expect(error.description.contains("1 unexpected keys: fc.bias"))
    #expect(error.description.contains("vgg11_bn-6002323d.pth"))
}

@Test func legacyDenseNetKeysAreRemapped() throws {
    let stateDict = try randomStateDict(.densenet121)
    var legacy: [String: Tensor<Float>] = [:]
    for (key, value) in stateDict {
        let legacyKey = key
            .replacingOccurrences(of: ".norm1.", with: ".norm.1.").replacingOccurrences(of: ".norm2.", with: ".norm.2.")
            .replacingOccurrences(of: ".conv1.", with: ".conv.1.").replacingOccurrences(of: ".conv2.", with: ".conv.2.")
        legacy[legacyKey] = value
    }
    #expect(legacy["features.denseblock1.denselayer1.norm.1.weight"] != nil)
    #expect(legacy["features.denseblock4.denselayer16.conv.2.weight"] != nil)

    let fromLegacy = try Architecture.densenet121.buildModel(weights: .stateDict(legacy), options: ZooOptions(keepBatchNorm: true))
    let fromCurrent = try Architecture.densenet121.buildModel(weights: .stateDict(stateDict), options: ZooOptions(keepBatchNorm: true))
    #expect(fromLegacy.graph.initializers == fromCurrent.graph.initializers)
}

@Test func legacyRemapFollowsTorchvisionPattern() {
    let remapped = remapLegacyDenseNetKeys([
        "features.denseblock2.denselayer10.norm.2.running_var": 1,
        "features.denseblock1.denselayer1.conv.1.weight": 2,
        "features.transition1.norm.weight": 3,
        "features.denseblock1.denselayer1.conv.3.weight": 4,
    ])
    #expect(remapped["features.denseblock2.denselayer10.norm2.running_var"] == 1)
    #expect(remapped["features.denseblock1.denselayer1.conv1.weight"] == 2)
    #expect(remapped["features.transition1.norm.weight"] == 3)
    #expect(remapped["features.denseblock1.denselayer1.conv.3.weight"] == 4)
}
