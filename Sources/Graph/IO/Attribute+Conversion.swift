import Foundation
import ONNX

extension Attribute {
    /// Converts an AttributeProto; integers become `Int`, strings are decoded as UTF-8.
    /// Throws for sparse tensors, type protos and attributes that reference a
    /// function attribute, which appear only inside ONNX functions.
    init(proto: AttributeProto, node: String, opType: String) throws {
        func unsupported(_ reason: String) -> GraphError {
            .unsupportedAttribute(node: node, opType: opType, attribute: proto.name, reason: reason)
        }
        guard proto.refAttrName.isEmpty else {
            throw unsupported("it references function attribute '\(proto.refAttrName)'")
        }
        switch proto.type {
        case .float: self = .float(proto.f)
        case .int: self = .int(Int(proto.i))
        case .string: self = .string(String(decoding: proto.s, as: UTF8.self))
        case .tensor:
            guard let tensor = proto.t else { throw unsupported("type is TENSOR but no tensor is set") }
            self = .tensor(try TensorData(proto: tensor))
        case .graph:
            guard let graph = proto.g else { throw unsupported("type is GRAPH but no graph is set") }
            self = .graph(try Graph(proto: graph))
        case .floats: self = .floats(proto.floats)
        case .ints: self = .ints(proto.ints.map { Int($0) })
        case .strings: self = .strings(proto.strings.map { String(decoding: $0, as: UTF8.self) })
        case .tensors: self = .tensors(try proto.tensors.map(TensorData.init(proto:)))
        case .graphs: self = .graphs(try proto.graphs.map(Graph.init(proto:)))
        case .undefined, .sparseTensor, .sparseTensors, .typeProto, .typeProtos:
            throw unsupported("attribute type \(proto.type) is not supported")
        }
    }

    /// Converts the attribute to an AttributeProto named `name`.
    func proto(name: String) -> AttributeProto {
        var proto = AttributeProto(name: name)
        switch self {
        case let .float(value): proto.type = .float; proto.f = value
        case let .int(value): proto.type = .int; proto.i = Int64(value)
        case let .string(value): proto.type = .string; proto.s = Data(value.utf8)
        case let .tensor(value): proto.type = .tensor; proto.t = value.proto(name: "")
        case let .graph(value): proto.type = .graph; proto.g = value.proto
        case let .floats(values): proto.type = .floats; proto.floats = values
        case let .ints(values): proto.type = .ints; proto.ints = values.map { Int64($0) }
        case let .strings(values): proto.type = .strings; proto.strings = values.map { Data($0.utf8) }
        case let .tensors(values): proto.type = .tensors; proto.tensors = values.map { $0.proto(name: "") }
        case let .graphs(values): proto.type = .graphs; proto.graphs = values.map(\.proto)
        }
        return proto
    }
}
