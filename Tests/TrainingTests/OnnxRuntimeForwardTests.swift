import Foundation
import Graph
import Testing
import TestSupport
import Training

/// Compares the training kernels' forward pass (evaluation mode) with ONNX Runtime on one-node
/// models, so that the attribute semantics (ceil_mode, count_include_pad, asymmetric pads,
/// groups) are ONNX's and not just self-consistent with the gradients.
@Suite(.enabled(if: TestEnvironment.pythonHasModules(["onnxruntime", "numpy"]), "needs the oracle Python with onnxruntime and numpy (set FACTORIZE_PYTHON)"))
struct OnnxRuntimeForwardTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var opType: String
        var input: [Int]
        var weight: [Int]?
        var attributes: [String: Attribute]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "Conv stride (2,1) asymmetric pads", opType: "Conv", input: [2, 3, 7, 6], weight: [4, 3, 3, 3],
             attributes: ["strides": .ints([2, 1]), "pads": .ints([0, 1, 2, 0])]),
        Case(label: "Conv dilation groups", opType: "Conv", input: [1, 4, 9, 9], weight: [6, 2, 3, 3],
             attributes: ["dilations": .ints([2, 2]), "group": .int(2), "pads": .ints([1, 1, 1, 1])]),
        Case(label: "Conv depthwise stride 2", opType: "Conv", input: [2, 3, 8, 8], weight: [3, 1, 3, 3],
             attributes: ["group": .int(3), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])]),
        Case(label: "MaxPool ceil_mode", opType: "MaxPool", input: [1, 2, 7, 7], weight: nil,
             attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "ceil_mode": .int(1)]),
        Case(label: "MaxPool dilation pads", opType: "MaxPool", input: [1, 2, 8, 7], weight: nil,
             attributes: ["kernel_shape": .ints([2, 2]), "dilations": .ints([2, 1]), "pads": .ints([1, 0, 0, 1])]),
        Case(label: "AveragePool count_include_pad", opType: "AveragePool", input: [1, 2, 7, 7], weight: nil,
             attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(1)]),
        Case(label: "AveragePool ceil_mode", opType: "AveragePool", input: [1, 2, 6, 7], weight: nil,
             attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([0, 1, 1, 0]), "ceil_mode": .int(1)]),
        Case(label: "AveragePool ceil_mode count_include_pad", opType: "AveragePool", input: [1, 1, 6, 6], weight: nil,
             attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]),
                          "ceil_mode": .int(1), "count_include_pad": .int(1)]),
    ]

    static let script = """
        import sys, numpy as np, onnxruntime as ort
        path, shape = sys.argv[1], [int(v) for v in sys.argv[2].split(",")]
        x = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float32).reshape(shape)
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        y = session.run(None, {"x": x})[0]
        sys.stdout.buffer.write(np.ascontiguousarray(y, dtype=np.float32).tobytes())
        """

    @Test(arguments: cases)
    func forwardMatchesOnnxRuntime(_ testCase: Case) throws {
        var initializers: [String: TensorData] = [:]
        var inputs = ["x"]
        if let weight = testCase.weight {
            initializers["w"] = GradientCheck.randomTensor(weight, seed: 2)
            initializers["b"] = GradientCheck.randomTensor([weight[0]], seed: 3)
            inputs += ["w", "b"]
        }
        let node = Node(name: "node", opType: testCase.opType, inputs: inputs, outputs: ["y"], attributes: testCase.attributes)
        let model = Model(graph: Graph(
            name: "oracle", nodes: [node], initializers: initializers,
            inputs: [ValueInfo(name: "x", elementType: .float, shape: testCase.input.map { .known($0) })],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: nil)]))
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("node.onnx")
        try model.save(to: url)

        var generator = SplitMix64(seed: 1)
        let x = LinearAlgebraTensor(
            shape: testCase.input, scalars: (0..<testCase.input.reduce(1, *)).map { _ in Float(generator.nextNormal()) })
        let session = try TrainingSession(model: model)
        session.isTraining = false
        let ours = try #require(try session.forward(["x": x])["y"])
        let output = try TestEnvironment.runPython(
            ["-c", Self.script, url.path, testCase.input.map(String.init).joined(separator: ",")],
            input: x.scalars.withUnsafeBytes { Data($0) })
        let reference = output.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }

        #expect(reference.count == ours.count, "ONNX Runtime returned \(reference.count) elements, ours \(ours.shape)")
        let error = zip(reference, ours.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(error < 1e-4, "max abs difference \(error)")
    }
}
