/// Direct convolution for groups with few input channels each (depthwise, and the
/// k×1 / 1×k depthwise factors of CP-decomposed layers), parallel over output planes.
///
/// Each input plane is first copied into a zero-padded plane covering every position the
/// window reads, so the tap loops need no bounds checks. For stride 2 each padded row is
/// stored as its even columns followed by its odd columns, so every tap reads a contiguous run. Each output row then starts at its
/// bias and every (input channel, kernel row, kernel column) tap adds `weight * input row`
/// to it, so the row stays in L1 cache while all taps accumulate.
func convolveDirect(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, parameters: ConvolutionWeights,
    output: UnsafeMutablePointer<Float>, threads: Int
) {
    let groupInputs = g.inputChannels / g.groups
    let groupOutputs = g.outputChannels / g.groups
    let kernelArea = g.kernelHeight * g.kernelWidth
    let planes = g.batch * g.outputChannels
    let paddedHeight = (g.outputHeight - 1) * g.strideHeight + (g.kernelHeight - 1) * g.dilationHeight + 1
    let paddedWidth = (g.outputWidth - 1) * g.strideWidth + (g.kernelWidth - 1) * g.dilationWidth + 1
    let paddedPlane = paddedHeight * paddedWidth

    parameters.weights.withUnsafeBufferPointer { weights in
        parallelFor(planes, threads: threads, minimumChunk: max(1, 4096 / max(1, g.outputPlane * kernelArea))) { range in
            let padded = UnsafeMutablePointer<Float>.allocate(capacity: groupInputs * paddedPlane)
            let row = UnsafeMutablePointer<Float>.allocate(capacity: paddedWidth)
            defer {
                padded.deallocate()
                row.deallocate()
            }
            for index in range {
                let n = index / g.outputChannels
                let m = index % g.outputChannels
                let group = m / groupOutputs
                let firstInput = input + (n * g.inputChannels + group * groupInputs) * g.inputPlane
                for c in 0..<groupInputs {
                    copyPadded(
                        g, source: firstInput + c * g.inputPlane, height: paddedHeight, width: paddedWidth,
                        destination: padded + c * paddedPlane, row: row)
                }
                let out = output + index * g.outputPlane
                out.initialize(repeating: parameters.bias?[m] ?? 0, count: g.outputPlane)
                for c in 0..<groupInputs {
                    accumulateTaps(
                        g, padded: padded + c * paddedPlane, width: paddedWidth,
                        taps: weights.baseAddress! + (m * groupInputs + c) * kernelArea, output: out)
                }
                parameters.activation.apply(out, count: g.outputPlane)
            }
        }
    }
}

/// Copies one input plane into a `height × width` plane with `padTop` zero rows and `padLeft`
/// zero columns before it and zeros after it (or crops where the window never reaches).
/// With stride 2 each row is split into even then odd columns; `row` is scratch for that.
@inline(__always)
private func copyPadded(
    _ g: ConvolutionGeometry, source: UnsafePointer<Float>, height: Int, width: Int,
    destination: UnsafeMutablePointer<Float>, row: UnsafeMutablePointer<Float>
) {
    let firstColumn = min(g.padLeft, width)
    let columnCount = max(0, min(g.inputWidth, width - g.padLeft))
    let split = g.strideWidth == 2
    for r in 0..<height {
        let line = split ? row : destination + r * width
        let ih = r - g.padTop
        if ih < 0 || ih >= g.inputHeight || columnCount == 0 {
            line.update(repeating: 0, count: width)
        } else {
            line.update(repeating: 0, count: firstColumn)
            (line + firstColumn).update(from: source + ih * g.inputWidth, count: columnCount)
            let rest = width - firstColumn - columnCount
            if rest > 0 { (line + firstColumn + columnCount).update(repeating: 0, count: rest) }
        }
        if split {
            let target = destination + r * width
            let evenCount = (width + 1) / 2
            for i in 0..<evenCount { target[i] = line[2 * i] }
            for i in 0..<(width / 2) { target[evenCount + i] = line[2 * i + 1] }
        }
    }
}

/// Adds one padded input plane convolved with one kernel to an output plane.
@inline(__always)
private func accumulateTaps(
    _ g: ConvolutionGeometry, padded: UnsafePointer<Float>, width: Int, taps: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>
) {
    let outputWidth = g.outputWidth
    let stride = g.strideWidth
    for oh in 0..<g.outputHeight {
        let y = output + oh * outputWidth
        for kernelRow in 0..<g.kernelHeight {
            let line = padded + (oh * g.strideHeight + kernelRow * g.dilationHeight) * width
            for kernelColumn in 0..<g.kernelWidth {
                let weight = taps[kernelRow * g.kernelWidth + kernelColumn]
                let column = kernelColumn * g.dilationWidth
                if stride == 1 {
                    let x = line + column
                    for ow in 0..<outputWidth { y[ow] += weight * x[ow] }
                } else if stride == 2 {
                    // Rows are split: column 2k lives at k, column 2k + 1 at evenCount + k.
                    let x = line + (column % 2 == 0 ? column / 2 : (width + 1) / 2 + column / 2)
                    for ow in 0..<outputWidth { y[ow] += weight * x[ow] }
                } else {
                    let x = line + column
                    for ow in 0..<outputWidth { y[ow] += weight * x[ow * stride] }
                }
            }
        }
    }
}
