/// Shape arithmetic shared by planning and kernels. All shapes are row-major (C order).
enum Shapes {
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// Numpy broadcast of two shapes, or nil when an axis pair is neither equal nor 1.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let x = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let y = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            if x == y || y == 1 {
                result[axis] = x
            } else if x == 1 {
                result[axis] = y
            } else {
                return nil
            }
        }
        return result
    }

    /// Strides of `shape` read as if broadcast to `target`: 0 on broadcast axes.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        return (0..<target.count).map { axis in
            axis < offset || shape[axis - offset] == 1 ? 0 : own[axis - offset]
        }
    }

    /// Maps a possibly negative axis into `0..<rank`, or nil when out of range.
    static func normalize(axis: Int, rank: Int) -> Int? {
        let value = axis < 0 ? axis + rank : axis
        return (0..<rank).contains(value) ? value : nil
    }

    /// Source element of every destination element of a strided view: destination `i`
    /// (row-major in `shape`) reads `base + sum(index[axis] * sourceStrides[axis])`.
    static func stridedIndices(shape: [Int], sourceStrides: [Int], base: Int = 0) -> [Int] {
        let total = count(shape)
        var result = [Int](repeating: 0, count: total)
        if total == 0 { return result }
        var index = [Int](repeating: 0, count: shape.count)
        var offset = base
        for i in 0..<total {
            result[i] = offset
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += sourceStrides[axis]
                if index[axis] < shape[axis] { break }
                offset -= sourceStrides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}
