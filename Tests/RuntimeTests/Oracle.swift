import Foundation
import Graph
import LinearAlgebra
import Runtime
import TestSupport

/// ONNX Runtime (CPU execution provider) through the oracle Python interpreter.
enum Oracle {
    static var available: Bool { OnnxRuntimeOracle.available }

    /// Runs ONNX Runtime on the model file with `inputs`, returning outputs by name.
    static func run(modelFile: URL, inputs: [String: Tensor<Float>]) throws -> [String: Tensor<Float>] {
        try OnnxRuntimeOracle.run(modelFile: modelFile, inputs: inputs)
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
/// (infinity when the shapes differ).
func relativeError(_ actual: Tensor<Float>, _ expected: Tensor<Float>) -> Float {
    Float(maxNormRelativeError(actual, expected))
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
