import Foundation

// Swift value types for the ONNX protobuf messages (onnx.proto, IR version 10).
// Field numbers are listed next to each property because the wire codec
// encodes and decodes by them. Every message keeps the bytes of fields it does
// not model in `unknownFields`, so a read followed by a write loses nothing.

/// `TensorProto.DataType`: element type of a tensor.
public struct DataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let undefined = DataType(rawValue: 0)
    public static let float = DataType(rawValue: 1)
    public static let uint8 = DataType(rawValue: 2)
    public static let int8 = DataType(rawValue: 3)
    public static let uint16 = DataType(rawValue: 4)
    public static let int16 = DataType(rawValue: 5)
    public static let int32 = DataType(rawValue: 6)
    public static let int64 = DataType(rawValue: 7)
    public static let string = DataType(rawValue: 8)
    public static let bool = DataType(rawValue: 9)
    public static let float16 = DataType(rawValue: 10)
    public static let double = DataType(rawValue: 11)
    public static let uint32 = DataType(rawValue: 12)
    public static let uint64 = DataType(rawValue: 13)
    public static let bfloat16 = DataType(rawValue: 16)

    /// Size of one element in bytes, or nil for strings and unknown types.
    public var byteWidth: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16, .float16, .bfloat16: return 2
        case .float, .int32, .uint32: return 4
        case .int64, .double, .uint64: return 8
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .undefined: return "undefined"
        case .float: return "float"
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .uint16: return "uint16"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .string: return "string"
        case .bool: return "bool"
        case .float16: return "float16"
        case .double: return "double"
        case .uint32: return "uint32"
        case .uint64: return "uint64"
        case .bfloat16: return "bfloat16"
        default: return "data type \(rawValue)"
        }
    }
}

/// `StringStringEntryProto`: a key/value pair (metadata, external data locations).
public struct StringStringEntry: Equatable, Sendable {
    public var key: String = ""  // 1
    public var value: String = ""  // 2
    public var unknownFields = Data()
    public init(key: String = "", value: String = "") {
        self.key = key
        self.value = value
    }
}

/// `OperatorSetIdProto`: an operator set a model imports; domain "" is the default ONNX domain.
public struct OperatorSetID: Equatable, Sendable {
    public var domain: String = ""  // 1
    public var version: Int64 = 0  // 2
    public var unknownFields = Data()
    public init(domain: String = "", version: Int64 = 0) {
        self.domain = domain
        self.version = version
    }
}

/// `TensorProto`: a constant tensor. Element bytes live in `rawData` (little-endian)
/// or in one of the typed repeated fields; `externalData` points into another file.
public struct TensorProto: Equatable, Sendable {
    public enum DataLocation: Int32, Sendable { case `default` = 0, external = 1 }

    public var dims: [Int64] = []  // 1
    public var dataType: DataType = .undefined  // 2
    public var segment: Data? = nil  // 3, kept as raw message bytes
    public var floatData: [Float] = []  // 4
    public var int32Data: [Int32] = []  // 5 (also int8/16, uint8/16, bool, float16 bit patterns)
    public var stringData: [Data] = []  // 6
    public var int64Data: [Int64] = []  // 7
    public var name: String = ""  // 8
    /// Little-endian element bytes (field 9). After `ONNXFile.read` this is a slice of the
    /// mapped file, so its indices start at the field's file offset, not at zero.
    public var rawData: Data? = nil  // 9
    public var doubleData: [Double] = []  // 10
    public var uint64Data: [UInt64] = []  // 11 (also uint32)
    public var docString: String = ""  // 12
    public var externalData: [StringStringEntry] = []  // 13
    public var dataLocation: DataLocation = .default  // 14
    public var metadataProps: [StringStringEntry] = []  // 16
    public var unknownFields = Data()
    public init() {}

    /// Creates a tensor whose elements are the little-endian bytes `rawData`.
    public init(name: String, dataType: DataType, dims: [Int64], rawData: Data) {
        self.name = name
        self.dataType = dataType
        self.dims = dims
        self.rawData = rawData
    }
}

/// `TensorShapeProto.Dimension`: a fixed extent, a symbolic name, or unknown.
public enum Dimension: Equatable, Sendable {
    case value(Int64)  // 1
    case param(String)  // 2
    case unknown
}

/// `TensorShapeProto` entry plus its optional denotation (field 3).
public struct ShapeDimension: Equatable, Sendable {
    public var dimension: Dimension = .unknown
    public var denotation: String = ""
    public var unknownFields = Data()
    public init(_ dimension: Dimension = .unknown, denotation: String = "") {
        self.dimension = dimension
        self.denotation = denotation
    }
}

/// `TypeProto`. Only tensor types are modelled; sequence, map, optional and sparse types
/// are kept as raw bytes in `unknownFields` so they survive a round trip.
public struct TypeProto: Equatable, Sendable {
    /// `TypeProto.Tensor`: element type and optional shape (nil means no shape field).
    public struct TensorType: Equatable, Sendable {
        public var elementType: DataType = .undefined  // 1
        public var shape: [ShapeDimension]? = nil  // 2
        public var unknownFields = Data()
        public var shapeUnknownFields = Data()
        public init(elementType: DataType = .undefined, shape: [ShapeDimension]? = nil) {
            self.elementType = elementType
            self.shape = shape
        }
    }
    public var tensorType: TensorType? = nil  // 1
    public var denotation: String = ""  // 6
    public var unknownFields = Data()
    public init(tensorType: TensorType? = nil) { self.tensorType = tensorType }
}

/// `ValueInfoProto`: name and type of a graph input, output or intermediate value.
public struct ValueInfoProto: Equatable, Sendable {
    public var name: String = ""  // 1
    public var type: TypeProto? = nil  // 2
    public var docString: String = ""  // 3
    public var metadataProps: [StringStringEntry] = []  // 4
    public var unknownFields = Data()
    public init(name: String = "", type: TypeProto? = nil) {
        self.name = name
        self.type = type
    }
}

/// `AttributeProto.AttributeType`.
public enum AttributeType: Int32, Sendable {
    case undefined = 0, float = 1, int = 2, string = 3, tensor = 4, graph = 5
    case floats = 6, ints = 7, strings = 8, tensors = 9, graphs = 10
    case sparseTensor = 11, sparseTensors = 12, typeProto = 13, typeProtos = 14
}

/// `AttributeProto`: a named operator attribute. Exactly the field named by `type`
/// carries the value; sparse tensors and type protos stay raw in `unknownFields`.
public struct AttributeProto: Equatable, Sendable {
    public var name: String = ""  // 1
    public var refAttrName: String = ""  // 21
    public var docString: String = ""  // 13
    public var type: AttributeType = .undefined  // 20
    public var f: Float = 0  // 2
    public var i: Int64 = 0  // 3
    public var s: Data = Data()  // 4
    public var t: TensorProto? = nil  // 5
    public var g: GraphProto? = nil  // 6
    public var floats: [Float] = []  // 7
    public var ints: [Int64] = []  // 8
    public var strings: [Data] = []  // 9
    public var tensors: [TensorProto] = []  // 10
    public var graphs: [GraphProto] = []  // 11
    public var unknownFields = Data()
    public init(name: String = "", type: AttributeType = .undefined) {
        self.name = name
        self.type = type
    }
}

/// `NodeProto`: one operator application.
public struct NodeProto: Equatable, Sendable {
    public var input: [String] = []  // 1
    public var output: [String] = []  // 2
    public var name: String = ""  // 3
    public var opType: String = ""  // 4
    public var attribute: [AttributeProto] = []  // 5
    public var docString: String = ""  // 6
    public var domain: String = ""  // 7
    public var overload: String = ""  // 8
    public var metadataProps: [StringStringEntry] = []  // 9
    public var unknownFields = Data()
    public init() {}
}

/// `GraphProto`: nodes in topological order plus initializers, inputs and outputs.
public struct GraphProto: Equatable, Sendable {
    public var node: [NodeProto] = []  // 1
    public var name: String = ""  // 2
    public var initializer: [TensorProto] = []  // 5
    public var docString: String = ""  // 10
    public var input: [ValueInfoProto] = []  // 11
    public var output: [ValueInfoProto] = []  // 12
    public var valueInfo: [ValueInfoProto] = []  // 13
    public var metadataProps: [StringStringEntry] = []  // 16
    /// Fields 14 (quantization_annotation), 15 (sparse_initializer) and any others, raw.
    public var unknownFields = Data()
    public init() {}
}

/// `ModelProto`: the top-level message of an .onnx file.
public struct ModelProto: Equatable, Sendable {
    public var irVersion: Int64 = 0  // 1
    public var producerName: String = ""  // 2
    public var producerVersion: String = ""  // 3
    public var domain: String = ""  // 4
    public var modelVersion: Int64 = 0  // 5
    public var docString: String = ""  // 6
    public var graph: GraphProto? = nil  // 7
    public var opsetImport: [OperatorSetID] = []  // 8
    public var metadataProps: [StringStringEntry] = []  // 14
    /// Fields 20 (training_info), 25 (functions) and any others, raw.
    public var unknownFields = Data()
    public init() {}
}
