import Graph
import Testing
import Zoo

@Suite(.serialized, .enabled(if: fixturesAvailable, "fixtures/torchvision is missing"))
struct FixtureStructureTests {
    @Test(arguments: allFixtureCases)
    func parameterShapesMatchExport(_ testCase: FixtureCase) throws {
        let fixture = try loadFixture(try #require(testCase.url))
        let model = try testCase.architecture.buildModel(
            weights: .random(seed: 1), options: ZooOptions(keepBatchNorm: testCase.keepBatchNorm))

        let fixtureShapes = weightInputShapes(fixture)
        let modelShapes = initializerShapes(model)
        #expect(modelShapes.count == fixtureShapes.count)
        #expect(modelShapes == fixtureShapes)
        let fixtureCount = fixtureShapes.reduce(0) { $0 + $1.reduce(1, *) }
        let modelCount = modelShapes.reduce(0) { $0 + $1.reduce(1, *) }
        #expect(modelCount == fixtureCount)
    }

    @Test(arguments: defaultFixtureCases)
    func operatorCountsMatchExport(_ testCase: FixtureCase) throws {
        let fixture = try loadFixture(try #require(testCase.url))
        let model = try testCase.architecture.buildModel(
            weights: .random(seed: 1), options: ZooOptions(keepBatchNorm: testCase.keepBatchNorm))

        for opType in ["Conv", "Gemm", "BatchNormalization", "Relu", "Add", "Concat", "MaxPool", "AveragePool", "GlobalAveragePool"] {
            let fixtureCount = fixture.graph.nodes.filter { $0.opType == opType }.count
            let modelCount = model.graph.nodes.filter { $0.opType == opType }.count
            #expect(modelCount == fixtureCount, "\(opType) count")
        }
    }

    @Test(arguments: defaultFixtureCases)
    func namedWeightsMatchStateDictKeys(_ testCase: FixtureCase) throws {
        let fixture = try loadFixture(try #require(testCase.url))
        let model = try testCase.architecture.buildModel(
            weights: .random(seed: 1), options: ZooOptions(keepBatchNorm: testCase.keepBatchNorm))

        let (weights, mismatches) = fixtureWeights(fixture: fixture, model: model)
        #expect(mismatches.isEmpty)
        #expect(weights.count == fixture.graph.inputs.count - 1)
    }
}
