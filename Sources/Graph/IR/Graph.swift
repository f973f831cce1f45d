import Foundation
import ONNX

/// Element type of a value in the IR. Shares ONNX's numbering.
public typealias ElementType = ONNX.DataType

/// A constant tensor: element type, shape and little-endian element bytes.
///
/// `bytes` may be a slice of a memory-mapped model file, so holding a
/// `TensorData` keeps that mapping alive without copying weights. Such a slice's
/// `startIndex` is its offset in the file, not 0: read it through
/// `withUnsafeBytes`, `floats()` or `integers()` rather than by integer subscripts.
public struct TensorData: Equatable, Sendable {
    public var elementType: ElementType
    public var shape: [Int]
    public var bytes: Data

    public init(elementType: ElementType, shape: [Int], bytes: Data) {
        self.elementType = elementType
        self.shape = shape
        self.bytes = bytes
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
}

/// An operator attribute value.
public indirect enum Attribute: Equatable, Sendable {
    case float(Float)
    case int(Int)
    case string(String)
    case tensor(TensorData)
    case graph(Graph)
    case floats([Float])
    case ints([Int])
    case strings([String])
    case tensors([TensorData])
    case graphs([Graph])
}

/// One extent of a value's shape: known, symbolic (`"batch"`), or unknown.
public enum Dim: Equatable, Hashable, Sendable {
    case known(Int)
    case symbolic(String)
    case unknown
}

/// Name, element type and (possibly partial) shape of a value.
public struct ValueInfo: Equatable, Sendable {
    public var name: String
    public var elementType: ElementType
    /// nil when the rank is unknown.
    public var shape: [Dim]?

    public init(name: String, elementType: ElementType, shape: [Dim]?) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
    }
}

/// One operator application. An empty string in `inputs` marks an omitted optional input.
public struct Node: Equatable, Sendable {
    public var name: String
    public var opType: String
    public var domain: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: Attribute]

    public init(
        name: String, opType: String, domain: String = "",
        inputs: [String], outputs: [String], attributes: [String: Attribute] = [:]
    ) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }
}

/// A computation graph: nodes over named values, constant initializers,
/// and the graph's inputs and outputs. Passes rewrite it in place.
public struct Graph: Equatable, Sendable {
    public var name: String
    public var nodes: [Node]
    /// Constant tensors by value name.
    public var initializers: [String: TensorData]
    /// Graph inputs that are not initializers, in declaration order.
    public var inputs: [ValueInfo]
    public var outputs: [ValueInfo]
    /// Known types of intermediate values.
    public var valueInfo: [String: ValueInfo]

    public init(
        name: String = "", nodes: [Node] = [], initializers: [String: TensorData] = [:],
        inputs: [ValueInfo] = [], outputs: [ValueInfo] = [], valueInfo: [String: ValueInfo] = [:]
    ) {
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
        self.valueInfo = valueInfo
    }
}

/// A model: a graph plus the operator sets it imports and model-level metadata.
public struct Model: Equatable, Sendable {
    public var graph: Graph
    /// Operator set versions by domain; "" is the default ONNX domain.
    public var opsets: [String: Int]
    /// `metadata_props` as an ordered list of key/value pairs.
    public var metadata: [(key: String, value: String)]
    public var irVersion: Int
    public var producerName: String
    public var producerVersion: String

    public init(
        graph: Graph, opsets: [String: Int] = ["": 17], metadata: [(key: String, value: String)] = [],
        irVersion: Int = 8, producerName: String = "factorize", producerVersion: String = ""
    ) {
        self.graph = graph
        self.opsets = opsets
        self.metadata = metadata
        self.irVersion = irVersion
        self.producerName = producerName
        self.producerVersion = producerVersion
    }

    /// Default-domain opset version.
    public var opsetVersion: Int { opsets[""] ?? opsets["ai.onnx"] ?? 1 }

    public static func == (lhs: Model, rhs: Model) -> Bool {
        lhs.graph == rhs.graph && lhs.opsets == rhs.opsets && lhs.irVersion == rhs.irVersion
            && lhs.producerName == rhs.producerName && lhs.producerVersion == rhs.producerVersion
            && lhs.metadata.elementsEqual(rhs.metadata, by: { $0.key == $1.key && $0.value == $1.value })
    }
}
