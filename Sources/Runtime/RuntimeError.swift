import Graph

/// Errors raised while planning or running a model on the CPU engine.
public enum RuntimeError: Error, CustomStringConvertible, Equatable {
    /// The model uses operators this engine has no kernel for.
    /// Each entry pairs an op type with the first node (in graph order) that uses it.
    case unsupportedOperators([(opType: String, firstNode: String)])
    /// A node's attribute or input is outside what the operator (or this engine) accepts.
    case invalidNode(node: String, opType: String, reason: String)
    /// A value that a node reads is produced by no node, initializer or graph input.
    case missingValue(node: String, value: String)
    /// `run` was not given a tensor for a graph input.
    case missingInput(name: String)
    /// `run` was given a tensor whose name is not a graph input.
    case unknownInput(name: String, expected: [String])
    /// An input tensor's shape contradicts the model's declared input shape.
    case inputShapeMismatch(name: String, declared: [Dim], actual: [Int])
    /// An initializer or constant has an element type the engine cannot convert.
    case unsupportedElementType(value: String, elementType: ElementType)
    /// A value that must be known before execution (a shape, pads, axes) depends on the input.
    case dynamicValue(node: String, value: String)
    /// Input shapes disagree with each other for an operator (broadcast, concat, matmul).
    case shapeMismatch(node: String, opType: String, shapes: [[Int]])

    public var description: String {
        switch self {
        case .unsupportedOperators(let list):
            let items = list.map { "\($0.opType) (first at node '\($0.firstNode)')" }.joined(separator: ", ")
            return "unsupported operators: \(items); the built-in engine has no kernel for them, "
                + "so run the model with ONNX Runtime or rewrite these nodes"
        case .invalidNode(let node, let opType, let reason):
            return "invalid \(opType) node '\(node)': \(reason)"
        case .missingValue(let node, let value):
            return "node '\(node)' reads value '\(value)', which no node, initializer or graph input defines"
        case .missingInput(let name):
            return "missing input '\(name)': pass a tensor for every graph input"
        case .unknownInput(let name, let expected):
            return "unknown input '\(name)'; the graph inputs are \(expected)"
        case .inputShapeMismatch(let name, let declared, let actual):
            return "input '\(name)' has shape \(actual) but the model declares \(declared)"
        case .unsupportedElementType(let value, let elementType):
            return "value '\(value)' has element type \(elementType), which the engine cannot convert; "
                + "use float, double, float16 or an integer type"
        case .dynamicValue(let node, let value):
            return "node '\(node)' needs '\(value)' before execution, but it depends on a graph input; "
                + "the engine supports only constant shapes, pads and axes"
        case .shapeMismatch(let node, let opType, let shapes):
            return "\(opType) node '\(node)' got incompatible input shapes \(shapes)"
        }
    }

    public static func == (lhs: RuntimeError, rhs: RuntimeError) -> Bool {
        lhs.description == rhs.description
    }
}
