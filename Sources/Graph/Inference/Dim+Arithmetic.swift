extension Dim {
    /// The extent when known.
    public var extent: Int? {
        if case let .known(value) = self { return value }
        return nil
    }

    /// Broadcast of two extents along one axis (numpy rules), or nil when two known
    /// extents differ and neither is 1. Unknown extents broadcast to whatever the other side is
    /// when it is known and not 1, and to `.unknown` otherwise.
    static func broadcast(_ lhs: Dim, _ rhs: Dim) -> Dim? {
        switch (lhs, rhs) {
        case let (.known(a), .known(b)):
            if a == b || b == 1 { return lhs }
            if a == 1 { return rhs }
            return nil
        case (.known(1), _): return rhs
        case (_, .known(1)): return lhs
        case (.known, _): return lhs
        case (_, .known): return rhs
        default: return lhs == rhs ? lhs : .unknown
        }
    }

    /// Sum of extents; unknown when either is not known.
    static func + (lhs: Dim, rhs: Dim) -> Dim {
        guard let a = lhs.extent, let b = rhs.extent else { return .unknown }
        return .known(a + b)
    }
}

extension Array where Element == Dim {
    /// Shape from concrete extents.
    init(extents: [Int]) { self = extents.map(Dim.known) }

    /// Product of the extents when all are known.
    var knownProduct: Int? { knownExtents?.reduce(1, *) }
}
