import Graph

/// Concrete extents of a shape, or nil when any extent is symbolic or unknown.
func knownExtents(_ dims: [Dim]?) -> [Int]? {
    guard let dims else { return nil }
    var result: [Int] = []
    for dim in dims {
        guard case .known(let value) = dim else { return nil }
        result.append(value)
    }
    return result
}
