/// A model or graph that cannot be converted, validated, inferred or rewritten.
/// Each case names the offending node (name and op type) or value.
public enum GraphError: Error, Equatable, CustomStringConvertible {
    /// The ModelProto has no graph field.
    case missingGraph
    /// A tensor whose element type or storage the IR does not hold (strings, external data, short data).
    case unsupportedTensor(name: String, reason: String)
    /// An attribute that cannot be converted from or to its protobuf form.
    case unsupportedAttribute(node: String, opType: String, attribute: String, reason: String)
    /// A node consumes a value that no node, input or initializer defines.
    case undefinedInput(node: String, opType: String, input: String)
    /// Two producers (nodes, inputs or initializers) define the same value.
    case duplicateOutput(node: String, opType: String, output: String)
    /// A node lacks an attribute its operator requires.
    case missingAttribute(node: String, opType: String, attribute: String)
    /// An attribute value is out of range or inconsistent with the inputs.
    case invalidAttribute(node: String, opType: String, attribute: String, reason: String)
    /// A node has fewer or more inputs than its operator accepts.
    case wrongInputCount(node: String, opType: String, count: Int, expected: ClosedRange<Int>)
    /// The nodes form a cycle through this node.
    case cycle(node: String, opType: String)
    /// Input shapes or element types the operator does not accept.
    case shapeMismatch(node: String, opType: String, detail: String)
    /// An input that must be a constant (a shape, axes, pads) is computed at run time.
    case nonConstantInput(node: String, opType: String, input: String)
    /// An operator that shape inference, folding or the statistics do not cover.
    case unsupportedOperator(node: String, opType: String, domain: String)
    /// An `inputShapes` entry names no graph input or has the wrong rank.
    case invalidInputShape(input: String, reason: String)
    /// A graph input whose shape is not fully known and was not given in `inputShapes`.
    case unknownInputShape(input: String)

    public var description: String {
        switch self {
        case .missingGraph:
            return "the model has no graph; the file is not an ONNX model or is truncated"
        case let .unsupportedTensor(name, reason):
            return "tensor '\(name)' is not supported: \(reason)"
        case let .unsupportedAttribute(node, opType, attribute, reason):
            return "attribute '\(attribute)' of node '\(node)' (\(opType)) is not supported: \(reason)"
        case let .undefinedInput(node, opType, input):
            return "node '\(node)' (\(opType)) reads value '\(input)', which no node, graph input or initializer defines"
        case let .duplicateOutput(node, opType, output):
            return "node '\(node)' (\(opType)) defines value '\(output)', which is already defined elsewhere; value names must be unique"
        case let .missingAttribute(node, opType, attribute):
            return "node '\(node)' (\(opType)) is missing the required attribute '\(attribute)'"
        case let .invalidAttribute(node, opType, attribute, reason):
            return "node '\(node)' (\(opType)) has an invalid attribute '\(attribute)': \(reason)"
        case let .wrongInputCount(node, opType, count, expected):
            let range = expected.lowerBound == expected.upperBound ? "\(expected.lowerBound)" : "\(expected.lowerBound) to \(expected.upperBound)"
            return "node '\(node)' (\(opType)) has \(count) inputs, expected \(range)"
        case let .cycle(node, opType):
            return "the graph contains a cycle through node '\(node)' (\(opType)); ONNX graphs must be acyclic"
        case let .shapeMismatch(node, opType, detail):
            return "node '\(node)' (\(opType)): \(detail)"
        case let .nonConstantInput(node, opType, input):
            return "node '\(node)' (\(opType)) needs input '\(input)' to be a constant; run constant folding or give concrete input shapes"
        case let .unsupportedOperator(node, opType, domain):
            let qualified = domain.isEmpty ? opType : "\(domain).\(opType)"
            return "node '\(node)' uses operator \(qualified), which factorize does not support"
        case let .invalidInputShape(input, reason):
            return "input shape for '\(input)' is invalid: \(reason)"
        case let .unknownInputShape(input):
            return "graph input '\(input)' has no concrete shape; pass one, for example --input-shape \(input)=1,3,224,224"
        }
    }
}
