/// A known extent encodes as a number, a symbolic one as its name, an unknown one as null.
extension Dim: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .unknown
        } else if let extent = try? container.decode(Int.self) {
            self = .known(extent)
        } else {
            self = .symbolic(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .known(extent): try container.encode(extent)
        case let .symbolic(name): try container.encode(name)
        case .unknown: try container.encodeNil()
        }
    }
}
