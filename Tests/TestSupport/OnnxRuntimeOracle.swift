import Datasets
import Foundation
import LinearAlgebra

/// ONNX Runtime (CPU execution provider) and `onnx.checker` through the oracle
/// Python interpreter, exchanging tensors as .npy files.
public enum OnnxRuntimeOracle {
    /// True when the interpreter has numpy, onnx and onnxruntime.
    public static var available: Bool { TestEnvironment.pythonHasModules(["onnx", "onnxruntime", "numpy"]) }

    private static let runScript = """
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

    /// Runs ONNX Runtime on a model file and returns its outputs by name.
    public static func run(modelFile: URL, inputs: [String: Tensor<Float>]) throws -> [String: Tensor<Float>] {
        let folder = try TestEnvironment.makeTemporaryDirectory("ort-oracle")
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = inputs.keys.sorted()
        for (i, name) in names.enumerated() {
            try NpyFile.write(inputs[name]!, to: folder.appendingPathComponent("input\(i).npy"))
        }
        let namesJSON = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        let output = try TestEnvironment.runPython(["-c", runScript, modelFile.path, folder.path, namesJSON])
        let outputNames = try JSONDecoder().decode([String].self, from: output)
        var results: [String: Tensor<Float>] = [:]
        for (i, name) in outputNames.enumerated() {
            results[name] = try NpyFile.readFloatTensor(folder.appendingPathComponent("output\(i).npy"))
        }
        return results
    }

    /// Runs `onnx.checker.check_model` (full check) on a model file; throws `PythonFailure`
    /// with the checker's message when the model is invalid.
    public static func check(modelFile: URL) throws {
        let script = "import sys, onnx; onnx.checker.check_model(sys.argv[1], full_check=True)"
        try TestEnvironment.runPython(["-c", script, modelFile.path])
    }
}

/// Largest absolute difference divided by the largest absolute reference value,
/// or infinity when the shapes differ or a NaN appears.
public func maxNormRelativeError(_ actual: Tensor<Float>, _ expected: Tensor<Float>) -> Double {
    guard actual.shape == expected.shape else { return .infinity }
    var difference: Float = 0
    var scale: Float = 0
    for (a, e) in zip(actual.scalars, expected.scalars) {
        difference = max(difference, abs(a - e))
        scale = max(scale, abs(e))
    }
    if difference.isNaN { return .infinity }
    return Double(scale > 0 ? difference / scale : difference)
}
