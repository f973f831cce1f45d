/// Lifetime of one arena buffer: written by step `first`, last read by step `last`
/// (graph inputs have `first == -1`; graph outputs live to the end).
struct BufferLifetime {
    var count: Int
    var first: Int
    var last: Int
}

/// Assigns arena offsets so that buffers whose lifetimes overlap never share memory.
///
/// Greedy by size: buffers are placed largest first, each at the lowest offset that does
/// not overlap a placed buffer alive at the same time (the "greedy by size" strategy of
/// Pisarchyk and Lee, "Efficient Memory Management for Deep Neural Net Inference", 2020).
/// Offsets are aligned to 16 floats (64 bytes, one cache line). Returns the offsets in
/// floats and the arena size in floats.
func planArena(_ buffers: [BufferLifetime]) -> (offsets: [Int], size: Int) {
    let alignment = 16
    let order = buffers.indices.sorted { buffers[$0].count > buffers[$1].count }
    var offsets = [Int](repeating: 0, count: buffers.count)
    var placed: [Int] = []
    var size = 0

    for index in order {
        let buffer = buffers[index]
        let length = (buffer.count + alignment - 1) / alignment * alignment
        let conflicts = placed
            .filter { buffers[$0].first <= buffer.last && buffer.first <= buffers[$0].last }
            .map { (start: offsets[$0], end: offsets[$0] + buffers[$0].count) }
            .sorted { $0.start < $1.start }
        var candidate = 0
        for conflict in conflicts {
            if candidate + length <= conflict.start { break }
            candidate = max(candidate, (conflict.end + alignment - 1) / alignment * alignment)
        }
        offsets[index] = candidate
        placed.append(index)
        size = max(size, candidate + length)
    }
    return (offsets, size)
}
