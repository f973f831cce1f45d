/// Failures of accuracy evaluation and of the study engine's own checks.
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    /// The images file and the labels file hold different numbers of samples.
    case labelCountMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// The model's input does not accept the data set's images.
    case inputShapeMismatch(model: String, input: String, expected: String, actual: String)
    /// The model's first output is not a [N, classes] score tensor for the batch.
    case unexpectedOutput(model: String, output: String, shape: [Int], batch: Int)
    /// The model and the reference model score different numbers of classes.
    case classCountMismatch(model: Int, reference: Int)
    /// A `factorize.input.*` metadata value that is not a list of numbers.
    case invalidMetadata(model: String, key: String, value: String)
    /// A runtime that accuracy evaluation cannot run on.
    case unsupportedRuntime(String)
    /// A data set kind the engine has no reader for.
    case unsupportedDataset(kind: String, path: String)

    public var description: String {
        switch self {
        case .labelCountMismatch(let images, let imageCount, let labels, let labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels; give one label per image"
        case .inputShapeMismatch(let model, let input, let expected, let actual):
            return "model \(model) input '\(input)' has shape \(actual), but the data set needs \(expected)"
        case .unexpectedOutput(let model, let output, let shape, let batch):
            return "model \(model) output '\(output)' has shape \(shape); expected [\(batch), classes] class scores"
        case .classCountMismatch(let model, let reference):
            return "the model scores \(model) classes but the reference model scores \(reference)"
        case .invalidMetadata(let model, let key, let value):
            return "model \(model) metadata \(key) = '\(value)': expected a number or comma-separated numbers"
        case .unsupportedRuntime(let runtime):
            return "accuracy evaluation cannot run on '\(runtime)'; use builtin or onnxruntime"
        case .unsupportedDataset(let kind, let path):
            return "no reader for data set kind '\(kind)' (\(path)); use fashion-mnist, mnist, image-folder or npy"
        }
    }
}
