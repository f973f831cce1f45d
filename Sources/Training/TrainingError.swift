import Graph

/// Failures while compiling a model for training, running a step, or reading checkpoints and data.
public enum TrainingError: Error, CustomStringConvertible {
    /// The node uses an operator the training engine has no backward pass for.
    case unsupportedOperator(node: String, opType: String)
    /// An attribute value the engine cannot train with.
    case unsupportedAttribute(node: String, attribute: String, value: String)
    /// A node input names a value that no graph input, initializer or earlier node produces.
    case missingValue(node: String, value: String)
    /// An initializer has an element type the engine cannot use at that input.
    case unsupportedElementType(value: String, elementType: ElementType)
    /// Shapes that an operator cannot combine.
    case shapeMismatch(node: String, detail: String)
    /// A feed for a graph input was not given, or has the wrong shape.
    case invalidFeed(input: String, detail: String)
    /// A checkpoint file is truncated, has the wrong magic, or does not match the model.
    case invalidCheckpoint(path: String, detail: String)
    /// A dataset file is missing or malformed.
    case invalidDataset(path: String, detail: String)
    /// The loss became infinite or NaN, so the weights would be destroyed by the next update.
    case diverged(step: Int, loss: Float, learningRate: Double)

    public var description: String {
        switch self {
        case .unsupportedOperator(let node, let opType):
            return "node '\(node)': operator \(opType) has no training kernel; "
                + "supported: \(OperatorRegistry.supportedOperators.sorted().joined(separator: ", "))"
        case .unsupportedAttribute(let node, let attribute, let value):
            return "node '\(node)': attribute \(attribute) = \(value) is not supported for training"
        case .missingValue(let node, let value):
            return "node '\(node)': input '\(value)' is not produced by any graph input, initializer or earlier node"
        case .unsupportedElementType(let value, let elementType):
            return "value '\(value)' has element type \(elementType); training needs float32 (int64 for shapes)"
        case .shapeMismatch(let node, let detail):
            return "node '\(node)': \(detail)"
        case .invalidFeed(let input, let detail):
            return "input '\(input)': \(detail)"
        case .invalidCheckpoint(let path, let detail):
            return "checkpoint \(path): \(detail); delete it to start over"
        case .invalidDataset(let path, let detail):
            return "dataset \(path): \(detail)"
        case .diverged(let step, let loss, let learningRate):
            return "training diverged at step \(step): the loss is \(loss) at learning rate \(learningRate); "
                + "the model was not written. Lower the learning rate (--lr) and run again"
        }
    }
}
