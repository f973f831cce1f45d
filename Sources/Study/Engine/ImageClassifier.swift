import Backends
import Foundation
import Graph
import LinearAlgebra
import Runtime

/// A model that turns a batch of images into class scores on some runtime.
public protocol ImageClassifier {
    /// Model path or name for error messages.
    var modelName: String { get }
    /// Runs the model on images `[N, C, H, W]` and returns its first output.
    func scores(_ images: Tensor<Float>) throws -> (output: String, scores: Tensor<Float>)
}

/// A classifier on the built-in engine.
public struct BuiltinClassifier: ImageClassifier {
    public let session: InferenceSession
    public let modelName: String

    public init(session: InferenceSession, modelName: String) {
        self.session = session
        self.modelName = modelName
    }

    public func scores(_ images: Tensor<Float>) throws -> (output: String, scores: Tensor<Float>) {
        let name = session.outputNames[0]
        let outputs = try session.run(inputs: [dataInputName(session.model) ?? session.inputNames[0]: images])
        return (name, outputs[name] ?? Tensor(zeros: [0]))
    }
}

/// A classifier on ONNX Runtime, one helper process per batch (see `OnnxRuntimeBackend.run`).
public struct OnnxRuntimeClassifier: ImageClassifier {
    public let backend: OnnxRuntimeBackend
    public let model: URL
    public let inputName: String
    public let outputName: String
    public var modelName: String { model.path }

    /// - Throws: `GraphError` or `ONNXError` when the model file cannot be read.
    public init(backend: OnnxRuntimeBackend, model: URL) throws {
        let loaded = try Model.load(from: model)
        self.backend = backend
        self.model = model
        self.inputName = dataInputName(loaded) ?? ""
        self.outputName = loaded.graph.outputs.first?.name ?? ""
    }

    public func scores(_ images: Tensor<Float>) throws -> (output: String, scores: Tensor<Float>) {
        let outputs = try backend.run(
            model: model, inputs: [inputName: OnnxRuntimeTensor(shape: images.shape, scalars: images.scalars)])
        guard let output = outputs[outputName] else { return (outputName, Tensor(zeros: [0])) }
        return (outputName, Tensor(shape: output.shape, scalars: output.scalars))
    }
}

/// Returns the name of the model's first graph input that is not an initializer.
func dataInputName(_ model: Model) -> String? {
    model.graph.inputs.first { model.graph.initializers[$0.name] == nil }?.name
}
