import Foundation

extension TensorProto {
    /// Decodes a tensor, resolves its external data when the reader has a resolver, and
    /// checks that its dims are non-negative and its data matches them.
    init(from reader: inout WireReader) throws {
        self.init()
        var dataOffset = reader.messageOffset
        while let tag = try reader.nextField() {
            switch tag.number {
            case 1: try reader.appendInt64s(tag, "dims", to: &dims)
            case 2: dataType = DataType(rawValue: try reader.readInt32(tag, "data_type"))
            case 3: segment = try reader.readBytes(tag, "segment")
            case 4: try reader.appendFloats(tag, "float_data", to: &floatData)
            case 5: try reader.appendInt32s(tag, "int32_data", to: &int32Data)
            case 6: stringData.append(try reader.readBytes(tag, "string_data"))
            case 7: try reader.appendInt64s(tag, "int64_data", to: &int64Data)
            case 8: name = try reader.readString(tag, "name")
            case 9: rawData = try reader.readSharedBytes(tag, "raw_data")
            case 10: try reader.appendDoubles(tag, "double_data", to: &doubleData)
            case 11: try reader.appendUInt64s(tag, "uint64_data", to: &uint64Data)
            case 12: docString = try reader.readString(tag, "doc_string")
            case 13: externalData.append(try reader.readEntry(tag, "external_data"))
            case 14:
                let raw = try reader.readInt32(tag, "data_location")
                if let known = DataLocation(rawValue: raw) {
                    dataLocation = known
                } else {
                    reader.keepField(tag, in: &unknownFields)
                }
            case 16: metadataProps.append(try reader.readEntry(tag, "metadata_props"))
            default:
                try reader.skip(tag, into: &unknownFields)
                continue
            }
            if [4, 5, 7, 9, 10, 11].contains(tag.number) { dataOffset = tag.offset }
        }

        try checkDimensions(offset: reader.messageOffset)
        if dataLocation == .external {
            guard let resolver = reader.context.externalData else { return }
            rawData = try resolver.load(tensor: self, offset: reader.messageOffset)
            externalData = []
            dataLocation = .default
        }
        try checkDataSize(offset: dataOffset)
    }

    func checkDimensions(offset: Int) throws {
        for (index, value) in dims.enumerated() where value < 0 {
            throw ONNXError.negativeDimension(tensor: name, index: index, value: value, offset: offset)
        }
    }

    /// Number of elements the dims describe (1 for a scalar), or nil on overflow.
    var elementCount: Int? {
        var count = 1
        for dimension in dims {
            guard let extent = Int(exactly: dimension) else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// Name of the typed field that stores elements of `dataType`, and its element count.
    var typedField: (name: String, count: Int)? {
        switch dataType {
        case .float: return ("float_data", floatData.count)
        case .int32, .int16, .int8, .uint16, .uint8, .bool, .float16, .bfloat16:
            return ("int32_data", int32Data.count)
        case .int64: return ("int64_data", int64Data.count)
        case .double: return ("double_data", doubleData.count)
        case .uint32, .uint64: return ("uint64_data", uint64Data.count)
        default: return nil
        }
    }

    /// Checks that `raw_data` or the typed field contains exactly as many elements as the dims
    /// describe. Tensors with segments, unresolved external data, strings or element types
    /// without a fixed byte width are not checked.
    func checkDataSize(offset: Int) throws {
        guard segment == nil, dataLocation == .default,
            let width = dataType.byteWidth, let typed = typedField
        else { return }
        guard let count = elementCount else {
            throw ONNXError.elementCountOverflow(tensor: name, dims: dims, offset: offset)
        }
        if let rawData {
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow else {
                throw ONNXError.elementCountOverflow(tensor: name, dims: dims, offset: offset)
            }
            guard rawData.count == byteCount else {
                throw ONNXError.dataSizeMismatch(
                    tensor: name, field: "raw_data", expected: byteCount, actual: rawData.count, offset: offset)
            }
            return
        }
        guard typed.count == count else {
            throw ONNXError.dataSizeMismatch(
                tensor: name, field: typed.name, expected: count, actual: typed.count, offset: offset)
        }
    }
}
