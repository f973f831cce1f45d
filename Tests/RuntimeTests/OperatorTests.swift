import Graph
import LinearAlgebra
import Runtime
import Testing

@Suite(.enabled(if: Oracle.available, "needs the oracle Python with onnx, onnxruntime and numpy (set FACTORIZE_PYTHON)"))
struct OperatorTests {
    @Test(arguments: OperatorCases.all)
    func operatorMatchesORT(_ testCase: OperatorCase) throws {
        try expectMatchesORT(testCase, optimize: true)
        try expectMatchesORT(testCase, optimize: false)
    }

    @Test(arguments: FusionCases.all)
    func fusionMatchesORT(_ testCase: OperatorCase) throws {
        try expectMatchesORT(testCase, optimize: true)
        try expectMatchesORT(testCase, optimize: false)
    }

    private func expectMatchesORT(_ testCase: OperatorCase, optimize: Bool) throws {
        let model = testCase.model
        let feeds = testCase.feeds
        let expected = try #require(try Oracle.run(model: model, inputs: feeds)["y"])
        let session = try InferenceSession(model: model, options: InferenceOptions(optimize: optimize, threads: 2))
        let actual = try #require(try session.run(inputs: feeds)["y"])
        #expect(actual.shape == expected.shape, "\(testCase.label) optimize \(optimize)")
        #expect(relativeError(actual, expected) <= 1e-4, "\(testCase.label) optimize \(optimize)")
    }
}
