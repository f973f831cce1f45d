import Foundation

// Decoders for the ONNX messages, one initializer per message. Each loops over the fields of
// its message, decodes the ones Messages.swift models and keeps all others, key included, in
// `unknownFields`. Repeated scalar fields accept packed and unpacked encodings.

extension StringStringEntry {
    init(from reader: inout WireReader) throws {
        self.init()
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: key = try reader.readString(tag, "key")
            case 2: value = try reader.readString(tag, "value")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension OperatorSetID {
    init(from reader: inout WireReader) throws {
        self.init()
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: domain = try reader.readString(tag, "domain")
            case 2: version = try reader.readInt64(tag, "version")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension ShapeDimension {
    init(from reader: inout WireReader) throws {
        self.init()
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: dimension = .value(try reader.readInt64(tag, "dim_value"))
            case 2: dimension = .param(try reader.readString(tag, "dim_param"))
            case 3: denotation = try reader.readString(tag, "denotation")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension TypeProto.TensorType {
    init(from reader: inout WireReader) throws {
        self.init()
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: elementType = DataType(rawValue: try reader.readInt32(tag, "elem_type"))
            case 2: try decodeShape(tag, &reader)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// Decodes a `TensorShapeProto`. A repeated shape field merges into the earlier one,
    /// as protobuf merges repeated occurrences of a singular message field.
    private mutating func decodeShape(_ tag: FieldTag, _ reader: inout WireReader) throws {
        var dimensions = shape ?? []
        var unknown = shapeUnknownFields
        try reader.readMessage(tag, "shape", as: "TensorShapeProto") { nested in
            while let dimensionTag = try nested.nextField() {
                guard dimensionTag.number == 1 else {
                    try nested.skip(dimensionTag, into: &unknown)
                    continue
                }
                dimensions.append(
                    try nested.readMessage(dimensionTag, "dim", as: "TensorShapeProto.Dimension") {
                        try ShapeDimension(from: &$0)
                    })
            }
        }
        shape = dimensions
        shapeUnknownFields = unknown
    }
}

extension TypeProto {
    init(from reader: inout WireReader) throws {
        self.init()
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1:
                tensorType = try reader.readMessage(tag, "tensor_type", as: "TypeProto.Tensor") {
                    try TensorType(from: &$0)
                }
            case 6: denotation = try reader.readString(tag, "denotation")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension ValueInfoProto {
    init(from reader: inout WireReader) throws {
        self.init()
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: name = try reader.readString(tag, "name")
            case 2: type = try reader.readMessage(tag, "type", as: "TypeProto") { try TypeProto(from: &$0) }
            case 3: docString = try reader.readString(tag, "doc_string")
            case 4: metadataProps.append(try reader.readEntry(tag, "metadata_props"))
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension AttributeProto {
    init(from reader: inout WireReader) throws {
        self.init()
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: name = try reader.readString(tag, "name")
            case 2: f = try reader.readFloat(tag, "f")
            case 3: i = try reader.readInt64(tag, "i")
            case 4: s = try reader.readBytes(tag, "s")
            case 5: t = try reader.readTensor(tag, "t")
            case 6: g = try reader.readGraph(tag, "g")
            case 7: try reader.appendFloats(tag, "floats", to: &floats)
            case 8: try reader.appendInt64s(tag, "ints", to: &ints)
            case 9: strings.append(try reader.readBytes(tag, "strings"))
            case 10: tensors.append(try reader.readTensor(tag, "tensors"))
            case 11: graphs.append(try reader.readGraph(tag, "graphs"))
            case 13: docString = try reader.readString(tag, "doc_string")
            case 20:
                let raw = try reader.readInt32(tag, "type")
                if let known = AttributeType(rawValue: raw) {
                    type = known
                } else {
                    reader.keepField(tag, in: &unknownFields)
                }
            case 21: refAttrName = try reader.readString(tag, "ref_attr_name")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension NodeProto {
    init(from reader: inout WireReader) throws {
        self.init()
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: input.append(try reader.readString(tag, "input"))
            case 2: output.append(try reader.readString(tag, "output"))
            case 3: name = try reader.readString(tag, "name")
            case 4: opType = try reader.readString(tag, "op_type")
            case 5:
                attribute.append(
                    try reader.readMessage(tag, "attribute", as: "AttributeProto") { try AttributeProto(from: &$0) })
            case 6: docString = try reader.readString(tag, "doc_string")
            case 7: domain = try reader.readString(tag, "domain")
            case 8: overload = try reader.readString(tag, "overload")
            case 9: metadataProps.append(try reader.readEntry(tag, "metadata_props"))
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension GraphProto {
    init(from reader: inout WireReader) throws {
        self.init()
        let context = reader.context
        guard context.graphDepth < DecodingContext.maximumGraphDepth else {
            throw ONNXError.nestingTooDeep(limit: DecodingContext.maximumGraphDepth, offset: reader.messageOffset)
        }
        context.graphDepth += 1
        defer { context.graphDepth -= 1 }

        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: node.append(try reader.readMessage(tag, "node", as: "NodeProto") { try NodeProto(from: &$0) })
            case 2: name = try reader.readString(tag, "name")
            case 5: initializer.append(try reader.readTensor(tag, "initializer"))
            case 10: docString = try reader.readString(tag, "doc_string")
            case 11: input.append(try reader.readValueInfo(tag, "input"))
            case 12: output.append(try reader.readValueInfo(tag, "output"))
            case 13: valueInfo.append(try reader.readValueInfo(tag, "value_info"))
            case 16: metadataProps.append(try reader.readEntry(tag, "metadata_props"))
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension ModelProto {
    /// Decodes a model and reports through `decodedKnownField` whether any field that
    /// ModelProto defines was read, which distinguishes a corrupt model from a file of another kind.
    init(from reader: inout WireReader, decodedKnownField: inout Bool) throws {
        self.init()
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: irVersion = try reader.readInt64(tag, "ir_version")
            case 2: producerName = try reader.readString(tag, "producer_name")
            case 3: producerVersion = try reader.readString(tag, "producer_version")
            case 4: domain = try reader.readString(tag, "domain")
            case 5: modelVersion = try reader.readInt64(tag, "model_version")
            case 6: docString = try reader.readString(tag, "doc_string")
            case 7: graph = try reader.readGraph(tag, "graph")
            case 8:
                opsetImport.append(
                    try reader.readMessage(tag, "opset_import", as: "OperatorSetIdProto") {
                        try OperatorSetID(from: &$0)
                    })
            case 14: metadataProps.append(try reader.readEntry(tag, "metadata_props"))
            default:
                try reader.skip(tag, into: &unknownFields)
                continue
            }
            decodedKnownField = true
        }
    }
}

extension WireReader {
    mutating func readEntry(_ tag: FieldTag, _ field: StaticString) throws -> StringStringEntry {
        try readMessage(tag, field, as: "StringStringEntryProto") { try StringStringEntry(from: &$0) }
    }

    mutating func readValueInfo(_ tag: FieldTag, _ field: StaticString) throws -> ValueInfoProto {
        try readMessage(tag, field, as: "ValueInfoProto") { try ValueInfoProto(from: &$0) }
    }

    mutating func readGraph(_ tag: FieldTag, _ field: StaticString) throws -> GraphProto {
        try readMessage(tag, field, as: "GraphProto") { try GraphProto(from: &$0) }
    }

    mutating func readTensor(_ tag: FieldTag, _ field: StaticString) throws -> TensorProto {
        try readMessage(tag, field, as: "TensorProto") { try TensorProto(from: &$0) }
    }
}
