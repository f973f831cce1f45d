import Foundation
import Graph
import LinearAlgebra
import Runtime
import TestSupport

/// ONNX Runtime (CPU execution provider) through the oracle Python interpreter.
enum Oracle {
    static var available: Bool { TestEnvironment.pythonHasModules(["onnx", "onnxruntime", "numpy"]) }

    /// Python code that loads the model file and the `.npy` inputs, runs ONNX Runtime, and
    /// saves every output as `.npy` beside the inputs.
    private static let script = """
        import sys, json, numpy as np, onnxruntime as ort
        model, folder, names = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        feeds = {name: np.load(f"{folder}/input{i}.npy") for i, name in enumerate(names)}
        outputs = session.run(None, feeds)
        for i, value in enumerate(outputs):
            np.save(f"{folder}/output{i}.npy", np.ascontiguousarray(value, dtype=np.float32))
        print(json.dumps([o.name for o in session.get_outputs()]))
        """

    /// Runs ONNX Runtime on the model file with `inputs`, returning outputs by name.
    static func run(modelFile: URL, inputs: [String: Tensor<Float>]) throws -> [String: Tensor<Float>] {
        let folder = try TestEnvironment.makeTemporaryDirectory("runtime-oracle")
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = inputs.keys.sorted()
        for (i, name) in names.enumerated() {
            try NumpyFile.write(inputs[name]!, to: folder.appendingPathComponent("input\(i).npy"))
        }
        let namesJSON = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        let output = try TestEnvironment.runPython(["-c", script, modelFile.path, folder.path, namesJSON])
        let outputNames = try JSONDecoder().decode([String].self, from: output)
        var results: [String: Tensor<Float>] = [:]
        for (i, name) in outputNames.enumerated() {
            results[name] = try NumpyFile.read(folder.appendingPathComponent("output\(i).npy"))
        }
        return results
    }

    /// Saves `model` to a temporary file and runs ONNX Runtime on it.
    static func run(model: Model, inputs: [String: Tensor<Float>]) throws -> [String: Tensor<Float>] {
        let folder = try TestEnvironment.makeTemporaryDirectory("runtime-model")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("model.onnx")
        try model.save(to: file)
        return try run(modelFile: file, inputs: inputs)
    }
}

/// Largest absolute difference divided by the largest absolute reference value
/// (1 when the shapes differ).
func relativeError(_ actual: Tensor<Float>, _ expected: Tensor<Float>) -> Float {
    guard actual.shape == expected.shape else { return 1 }
    var difference: Float = 0
    var scale: Float = 0
    for (a, e) in zip(actual.scalars, expected.scalars) {
        difference = max(difference, abs(a - e))
        scale = max(scale, abs(e))
    }
    if difference.isNaN { return .infinity }
    return scale > 0 ? difference / scale : difference
}

/// Seeded uniform values in [-1, 1).
func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor<Float> {
    var generator = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { _ in Float(generator.nextUniform(-1, 1)) })
}

extension TensorData {
    /// Seeded uniform float32 constant in [-1, 1).
    static func random(_ shape: [Int], seed: UInt64) -> TensorData {
        TensorData(floats: randomTensor(shape, seed: seed).scalars, shape: shape)
    }
}
