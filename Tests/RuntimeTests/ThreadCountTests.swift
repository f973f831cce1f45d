import Graph
import LinearAlgebra
import Runtime
import Testing

/// Checks of the GEMM convolution's split across threads: tiles per thread, or, for small
/// planes, each GEMM split by output channels. Every thread count gives the single-threaded
/// result up to rounding, because the GEMM may sum in a different order.
struct ThreadCountTests {
    static let cases: [OperatorCase] = [
        // 2 × 61 × 47 output pixels: uneven tiles, two images, two groups, stride (2, 1).
        convolution(
            "conv 3x3 stride (2,1) groups 2", x: [2, 24, 121, 47], weights: [16, 12, 3, 3],
            ["group": .int(2), "strides": ints([2, 1]), "pads": ints([1, 1, 1, 1])]),
        // A 7×7 plane: too small to tile, so each GEMM is split by output channels.
        convolution("conv 3x3 on 7x7", x: [1, 64, 7, 7], weights: [96, 64, 3, 3], ["pads": ints([1, 1, 1, 1])]),
        // Stride 1 with 32 outputs: one GEMM per kernel offset, tiles of wide rows, fused ReLU.
        OperatorCase(
            "conv 3x3 shifted + relu",
            nodes: [
                Node(
                    name: "conv", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["c"],
                    attributes: ["pads": ints([1, 1, 1, 1])]),
                Node(name: "relu", opType: "Relu", inputs: ["c"], outputs: ["y"]),
            ],
            inputs: [("x", [2, 48, 60, 45])],
            initializers: ["w": TensorData.random([32, 48, 3, 3], seed: 2), "b": TensorData.random([32], seed: 3)]),
        // Pointwise with ReLU: the tiles read the input planes in place and fuse the activation.
        OperatorCase(
            "conv 1x1 + relu",
            nodes: [
                Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"]),
                Node(name: "relu", opType: "Relu", inputs: ["c"], outputs: ["y"]),
            ],
            inputs: [("x", [1, 40, 50, 50])], initializers: ["w": TensorData.random([24, 40, 1, 1], seed: 1)]),
    ]

    @Test(arguments: cases)
    func threadCountsAgree(_ testCase: OperatorCase) throws {
        let reference = try output(testCase, threads: 1)
        for threads in [2, 3, 5] {
            let actual = try output(testCase, threads: threads)
            #expect(actual.shape == reference.shape)
            #expect(relativeError(actual, reference) <= 1e-5, "\(testCase.label), \(threads) threads")
        }
    }

    private func output(_ testCase: OperatorCase, threads: Int) throws -> Tensor<Float> {
        let session = try InferenceSession(model: testCase.model, options: InferenceOptions(threads: threads))
        return try #require(try session.run(inputs: testCase.feeds)["y"])
    }
}
