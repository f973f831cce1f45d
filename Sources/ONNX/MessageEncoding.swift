import Foundation

// Encoders for the ONNX messages. Fields go out in field-number order, repeated scalars
// packed, and each message's unknown fields last, as protobuf's own serializers do.
// Singular scalars equal to their default are omitted, except the attribute value that
// `AttributeProto.type` selects, which onnx.helper always sets.

extension StringStringEntry {
    func encode(to writer: inout WireWriter) {
        writer.writeString(1, key)
        writer.writeString(2, value)
        writer.writeEncoded(unknownFields)
    }
}

extension OperatorSetID {
    func encode(to writer: inout WireWriter) {
        writer.writeString(1, domain)
        writer.writeInt64(2, version)
        writer.writeEncoded(unknownFields)
    }
}

extension TensorProto {
    func encode(to writer: inout WireWriter) {
        writer.writePackedInt64s(1, dims)
        writer.writeInt32(2, dataType.rawValue)
        if let segment { writer.writeBytes(3, segment, always: true) }
        writer.writePackedFixed(4, floatData)
        writer.writePackedInt32s(5, int32Data)
        for string in stringData { writer.writeBytes(6, string, always: true) }
        writer.writePackedInt64s(7, int64Data)
        writer.writeString(8, name)
        if let rawData { writer.writeBytes(9, rawData, always: true) }
        writer.writePackedFixed(10, doubleData)
        writer.writePackedUInt64s(11, uint64Data)
        writer.writeString(12, docString)
        for entry in externalData { writer.writeMessage(13) { entry.encode(to: &$0) } }
        writer.writeInt32(14, dataLocation.rawValue)
        for entry in metadataProps { writer.writeMessage(16) { entry.encode(to: &$0) } }
        writer.writeEncoded(unknownFields)
    }
}

extension ShapeDimension {
    func encode(to writer: inout WireWriter) {
        switch dimension {
        case .value(let value): writer.writeInt64(1, value, always: true)
        case .param(let param): writer.writeBytes(2, Data(param.utf8), always: true)
        case .unknown: break
        }
        writer.writeString(3, denotation)
        writer.writeEncoded(unknownFields)
    }
}

extension TypeProto.TensorType {
    func encode(to writer: inout WireWriter) {
        writer.writeInt32(1, elementType.rawValue)
        if let shape {
            writer.writeMessage(2) { shapeWriter in
                for dimension in shape { shapeWriter.writeMessage(1) { dimension.encode(to: &$0) } }
                shapeWriter.writeEncoded(shapeUnknownFields)
            }
        }
        writer.writeEncoded(unknownFields)
    }
}

extension TypeProto {
    func encode(to writer: inout WireWriter) {
        if let tensorType { writer.writeMessage(1) { tensorType.encode(to: &$0) } }
        writer.writeString(6, denotation)
        writer.writeEncoded(unknownFields)
    }
}

extension ValueInfoProto {
    func encode(to writer: inout WireWriter) {
        writer.writeString(1, name)
        if let type { writer.writeMessage(2) { type.encode(to: &$0) } }
        writer.writeString(3, docString)
        for entry in metadataProps { writer.writeMessage(4) { entry.encode(to: &$0) } }
        writer.writeEncoded(unknownFields)
    }
}

extension AttributeProto {
    func encode(to writer: inout WireWriter) {
        writer.writeString(1, name)
        writer.writeFloat(2, f, always: type == .float)
        writer.writeInt64(3, i, always: type == .int)
        writer.writeBytes(4, s, always: type == .string)
        if let t { writer.writeMessage(5) { t.encode(to: &$0) } }
        if let g { writer.writeMessage(6) { g.encode(to: &$0) } }
        writer.writePackedFixed(7, floats)
        writer.writePackedInt64s(8, ints)
        for string in strings { writer.writeBytes(9, string, always: true) }
        for tensor in tensors { writer.writeMessage(10) { tensor.encode(to: &$0) } }
        for graph in graphs { writer.writeMessage(11) { graph.encode(to: &$0) } }
        writer.writeString(13, docString)
        writer.writeInt32(20, type.rawValue)
        writer.writeString(21, refAttrName)
        writer.writeEncoded(unknownFields)
    }
}

extension NodeProto {
    func encode(to writer: inout WireWriter) {
        // Empty input names mark omitted optional inputs and must be kept.
        for name in input { writer.writeBytes(1, Data(name.utf8), always: true) }
        for name in output { writer.writeBytes(2, Data(name.utf8), always: true) }
        writer.writeString(3, name)
        writer.writeString(4, opType)
        for attribute in attribute { writer.writeMessage(5) { attribute.encode(to: &$0) } }
        writer.writeString(6, docString)
        writer.writeString(7, domain)
        writer.writeString(8, overload)
        for entry in metadataProps { writer.writeMessage(9) { entry.encode(to: &$0) } }
        writer.writeEncoded(unknownFields)
    }
}

extension GraphProto {
    func encode(to writer: inout WireWriter) {
        for node in node { writer.writeMessage(1) { node.encode(to: &$0) } }
        writer.writeString(2, name)
        for tensor in initializer { writer.writeMessage(5) { tensor.encode(to: &$0) } }
        writer.writeString(10, docString)
        for value in input { writer.writeMessage(11) { value.encode(to: &$0) } }
        for value in output { writer.writeMessage(12) { value.encode(to: &$0) } }
        for value in valueInfo { writer.writeMessage(13) { value.encode(to: &$0) } }
        for entry in metadataProps { writer.writeMessage(16) { entry.encode(to: &$0) } }
        writer.writeEncoded(unknownFields)
    }
}

extension ModelProto {
    func encode(to writer: inout WireWriter) {
        writer.writeInt64(1, irVersion)
        writer.writeString(2, producerName)
        writer.writeString(3, producerVersion)
        writer.writeString(4, domain)
        writer.writeInt64(5, modelVersion)
        writer.writeString(6, docString)
        if let graph { writer.writeMessage(7) { graph.encode(to: &$0) } }
        for opset in opsetImport { writer.writeMessage(8) { opset.encode(to: &$0) } }
        for entry in metadataProps { writer.writeMessage(14) { entry.encode(to: &$0) } }
        writer.writeEncoded(unknownFields)
    }
}
