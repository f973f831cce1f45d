import Foundation

extension TensorProto {
    /// Element bytes of the tensor in little-endian order, taken from `rawData` or converted
    /// from the typed field that `dataType` selects (int8, uint8, bool, int16, uint16,
    /// float16 and bfloat16 elements are narrowed from `int32Data`, uint32 from `uint64Data`).
    /// Returns nil for strings, segmented tensors, unresolved external data and element
    /// types without a fixed byte width.
    public func littleEndianBytes() -> Data? {
        guard segment == nil, dataLocation == .default, let width = dataType.byteWidth else { return nil }
        if let rawData { return rawData }
        switch (dataType, width) {
        case (.float, _): return floatData.withUnsafeBytes { Data($0) }
        case (.double, _): return doubleData.withUnsafeBytes { Data($0) }
        case (.int64, _): return int64Data.withUnsafeBytes { Data($0) }
        case (.uint64, _): return uint64Data.withUnsafeBytes { Data($0) }
        case (.uint32, _): return Self.narrow(uint64Data, to: UInt32.self)
        case (.int32, _): return int32Data.withUnsafeBytes { Data($0) }
        case (_, 2): return Self.narrow(int32Data, to: UInt16.self)
        case (_, 1): return Self.narrow(int32Data, to: UInt8.self)
        default: return nil
        }
    }

    private static func narrow<Source: BinaryInteger, Target: FixedWidthInteger>(
        _ values: [Source], to: Target.Type
    ) -> Data {
        let narrowed = values.map { Target(truncatingIfNeeded: $0).littleEndian }
        return narrowed.withUnsafeBytes { Data($0) }
    }

    /// Replaces the element data with `externalData` entries that point at `location`.
    mutating func moveToExternalFile(location: String, offset: Int, length: Int) {
        rawData = nil
        floatData = []
        int32Data = []
        int64Data = []
        doubleData = []
        uint64Data = []
        externalData = [
            StringStringEntry(key: "location", value: location),
            StringStringEntry(key: "offset", value: String(offset)),
            StringStringEntry(key: "length", value: String(length)),
        ]
        dataLocation = .external
    }
}

extension GraphProto {
    /// Calls `body` on every tensor of the graph: initializers, tensor attributes and the
    /// tensors of subgraphs, recursively.
    mutating func updateTensors(_ body: (inout TensorProto) throws -> Void) rethrows {
        for index in initializer.indices { try body(&initializer[index]) }
        for nodeIndex in node.indices {
            for attributeIndex in node[nodeIndex].attribute.indices {
                try node[nodeIndex].attribute[attributeIndex].updateTensors(body)
            }
        }
    }
}

extension AttributeProto {
    mutating func updateTensors(_ body: (inout TensorProto) throws -> Void) rethrows {
        if t != nil { try body(&t!) }
        for index in tensors.indices { try body(&tensors[index]) }
        if g != nil { try g!.updateTensors(body) }
        for index in graphs.indices { try graphs[index].updateTensors(body) }
    }
}
