/// Direct convolution for groups with few input channels each (depthwise, and the
/// k×1 / 1×k depthwise factors of CP-decomposed layers), parallel over output planes.
///
/// Each output plane starts at its bias; every (input channel, kernel row, kernel column)
/// tap then adds `weight * shifted input` to the rows and columns it reaches, so the
/// inner loop is a contiguous multiply-add when the stride is 1. Padding costs nothing:
/// the loops skip the output positions whose taps fall outside the input.
func convolveDirect(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, parameters: ConvolutionWeights,
    output: UnsafeMutablePointer<Float>, threads: Int
) {
    let groupInputs = g.inputChannels / g.groups
    let groupOutputs = g.outputChannels / g.groups
    let kernelArea = g.kernelHeight * g.kernelWidth
    let planes = g.batch * g.outputChannels

    parameters.weights.withUnsafeBufferPointer { weights in
        parallelFor(planes, threads: threads, minimumChunk: max(1, 4096 / max(1, g.outputPlane * kernelArea))) { range in
            for index in range {
                let n = index / g.outputChannels
                let m = index % g.outputChannels
                let group = m / groupOutputs
                let out = output + index * g.outputPlane
                let initial = parameters.bias?[m] ?? 0
                for i in 0..<g.outputPlane { out[i] = initial }

                for c in 0..<groupInputs {
                    let source = input + (n * g.inputChannels + group * groupInputs + c) * g.inputPlane
                    let taps = weights.baseAddress! + (m * groupInputs + c) * kernelArea
                    accumulateTaps(g, source: source, taps: taps, output: out)
                }
                parameters.activation.apply(out, count: g.outputPlane)
            }
        }
    }
}

/// Adds the contribution of one input plane through one kernel (`kernelHeight × kernelWidth`
/// taps) to one output plane.
@inline(__always)
private func accumulateTaps(
    _ g: ConvolutionGeometry, source: UnsafePointer<Float>, taps: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>
) {
    for kernelRow in 0..<g.kernelHeight {
        let rows = g.validRows(kernelRow: kernelRow)
        if rows.lower >= rows.upper { continue }
        for kernelColumn in 0..<g.kernelWidth {
            let weight = taps[kernelRow * g.kernelWidth + kernelColumn]
            let columns = g.validColumns(kernelColumn: kernelColumn)
            if columns.lower >= columns.upper { continue }
            let columnShift = kernelColumn * g.dilationWidth - g.padLeft
            for oh in rows.lower..<rows.upper {
                let ih = oh * g.strideHeight - g.padTop + kernelRow * g.dilationHeight
                let line = source + ih * g.inputWidth + columnShift
                let out = output + oh * g.outputWidth
                if g.strideWidth == 1 {
                    for ow in columns.lower..<columns.upper { out[ow] += weight * line[ow] }
                } else {
                    let step = g.strideWidth
                    for ow in columns.lower..<columns.upper { out[ow] += weight * line[ow * step] }
                }
            }
        }
    }
}
