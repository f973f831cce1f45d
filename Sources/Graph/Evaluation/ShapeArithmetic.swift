/// Axis and index arithmetic shared by shape inference and constant evaluation.
enum ShapeArithmetic {
    /// Resolves a possibly negative axis against `rank`, or returns nil when out of range.
    static func normalizeAxis(_ axis: Int, rank: Int) -> Int? {
        let resolved = axis < 0 ? axis + rank : axis
        return (0..<rank).contains(resolved) ? resolved : nil
    }

    /// Numpy-style broadcast of two extents, or nil when they are incompatible.
    static func broadcast(_ lhs: [Int], _ rhs: [Int]) -> [Int]? {
        let rank = max(lhs.count, rhs.count)
        var result: [Int] = []
        for axis in 0..<rank {
            let a = axis - (rank - lhs.count) >= 0 ? lhs[axis - (rank - lhs.count)] : 1
            let b = axis - (rank - rhs.count) >= 0 ? rhs[axis - (rank - rhs.count)] : 1
            if a == b || b == 1 { result.append(a) } else if a == 1 { result.append(b) } else { return nil }
        }
        return result
    }

    /// Start index, step and element count that ONNX Slice selects along an axis of `extent`.
    /// Starts and ends are clamped as the operator specifies (INT64_MAX means "to the end").
    static func sliceRange(start: Int64, end: Int64, step: Int64, extent: Int) -> (start: Int, step: Int, count: Int) {
        let extent64 = Int64(extent)
        var first = start < 0 ? start &+ extent64 : start
        var last = end < 0 ? end &+ extent64 : end
        if step > 0 {
            first = min(max(first, 0), extent64)
            last = min(max(last, 0), extent64)
        } else {
            first = min(max(first, -1), extent64 - 1)
            last = min(max(last, -1), extent64 - 1)
        }
        let span = last - first
        let count = step > 0 ? (span + step - 1) / step : (span + step + 1) / step
        return (Int(first), Int(step), Int(max(0, count)))
    }

    /// Output shape of Reshape: 0 copies the input extent unless `allowZero`, -1 is inferred.
    /// Returns nil when the request is inconsistent with the element count.
    static func reshape(_ input: [Int], to requested: [Int64], allowZero: Bool) -> [Int]? {
        var shape: [Int] = []
        var inferredAxis: Int? = nil
        for (axis, extent) in requested.enumerated() {
            if extent == 0 && !allowZero {
                guard axis < input.count else { return nil }
                shape.append(input[axis])
            } else if extent == -1 {
                guard inferredAxis == nil else { return nil }
                inferredAxis = axis
                shape.append(1)
            } else {
                guard extent >= 0 else { return nil }
                shape.append(Int(extent))
            }
        }
        let total = input.reduce(1, *)
        let known = shape.reduce(1, *)
        if let inferredAxis {
            guard known > 0, total % known == 0 else { return nil }
            shape[inferredAxis] = total / known
        } else if known != total {
            return nil
        }
        return shape
    }
}
