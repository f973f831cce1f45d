import ONNX

extension ValueInfo {
    /// Converts a ValueInfoProto. A value without a tensor type gets element type
    /// `.undefined` and an unknown rank.
    public init(proto: ValueInfoProto) {
        let tensorType = proto.type?.tensorType
        self.init(
            name: proto.name,
            elementType: tensorType?.elementType ?? .undefined,
            shape: tensorType?.shape.map { $0.map(Dim.init(proto:)) })
    }

    /// The value as a ValueInfoProto; `.undefined` element type with unknown rank writes no type.
    public var proto: ValueInfoProto {
        guard elementType != .undefined || shape != nil else { return ValueInfoProto(name: name) }
        let dims = shape.map { $0.map { ShapeDimension($0.proto) } }
        return ValueInfoProto(name: name, type: TypeProto(tensorType: .init(elementType: elementType, shape: dims)))
    }
}

extension Dim {
    init(proto: ShapeDimension) {
        switch proto.dimension {
        case let .value(extent): self = .known(Int(extent))
        case let .param(name): self = .symbolic(name)
        case .unknown: self = .unknown
        }
    }

    var proto: Dimension {
        switch self {
        case let .known(extent): return .value(Int64(extent))
        case let .symbolic(name): return .param(name)
        case .unknown: return .unknown
        }
    }
}
