/// Copies elements through a precomputed gather map: `output[i] = input[sourceIndices[i]]`.
/// Transpose, Slice and Expand on activations are planned as gathers, so their index
/// arithmetic runs once per plan, not once per run.
func gather(
    input: UnsafePointer<Float>, sourceIndices: [Int], output: UnsafeMutablePointer<Float>, threads: Int
) {
    sourceIndices.withUnsafeBufferPointer { indices in
        parallelFor(indices.count, threads: threads, minimumChunk: 65_536) { range in
            for i in range { output[i] = input[indices[i]] }
        }
    }
}

/// Concatenation along an axis: `outer` blocks, each the inputs' `blockLengths` in order.
func concatenate(
    inputs: [UnsafePointer<Float>], blockLengths: [Int], outer: Int, output: UnsafeMutablePointer<Float>,
    threads: Int
) {
    let total = blockLengths.reduce(0, +)
    parallelFor(outer, threads: threads) { range in
        for block in range {
            var out = output + block * total
            for (source, length) in zip(inputs, blockLengths) {
                out.update(from: source + block * length, count: length)
                out += length
            }
        }
    }
}

/// Padding modes of ONNX Pad.
enum PadMode: String {
    case constant, reflect, edge

    /// Input index that output index `i` (in padded coordinates, `before` elements of padding
    /// first) reads, or nil for a constant-padded position. `extent` is the input's length.
    @inline(__always)
    func sourceIndex(_ i: Int, before: Int, extent: Int) -> Int? {
        var index = i - before
        if index >= 0 && index < extent { return index }
        switch self {
        case .constant:
            return nil
        case .edge:
            return min(max(index, 0), extent - 1)
        case .reflect:
            if extent == 1 { return 0 }
            let period = 2 * (extent - 1)
            index = ((index % period) + period) % period
            return index < extent ? index : period - index
        }
    }
}

/// Pad (constant, reflect or edge) of any rank. Negative pads crop. The map from output to
/// input index is computed at plan time; -1 marks a constant position.
func padSourceIndices(inputShape: [Int], before: [Int], after: [Int], mode: PadMode) -> (shape: [Int], indices: [Int]) {
    let outputShape = inputShape.indices.map { inputShape[$0] + before[$0] + after[$0] }
    let inputStrides = Shapes.strides(inputShape)
    let total = Shapes.count(outputShape)
    var indices = [Int](repeating: 0, count: total)
    var index = [Int](repeating: 0, count: outputShape.count)
    for i in 0..<total {
        var source = 0
        for axis in 0..<outputShape.count {
            guard let s = mode.sourceIndex(index[axis], before: before[axis], extent: inputShape[axis]) else {
                source = -1
                break
            }
            source += s * inputStrides[axis]
        }
        indices[i] = source
        var axis = outputShape.count - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < outputShape[axis] { break }
            index[axis] = 0
            axis -= 1
        }
    }
    return (outputShape, indices)
}

/// Gathers with a fill value where the map holds -1 (Pad).
func gatherOrFill(
    input: UnsafePointer<Float>, sourceIndices: [Int], fill: Float, output: UnsafeMutablePointer<Float>, threads: Int
) {
    sourceIndices.withUnsafeBufferPointer { indices in
        parallelFor(indices.count, threads: threads, minimumChunk: 65_536) { range in
            for i in range {
                let source = indices[i]
                output[i] = source >= 0 ? input[source] : fill
            }
        }
    }
}
