/// Weights of a convolution prepared once per plan: OIHW Float32 (the GEMM's A matrix per
/// group, `[outputChannels / groups, inputChannels / groups * kernelHeight * kernelWidth]`),
/// an optional bias per output channel, and the activation fused into the store.
struct ConvolutionWeights {
    var weights: [Float]
    var bias: [Float]?
    var activation: Activation
}

/// Chooses the kernel for one convolution. Grouped convolutions with at most
/// `directChannelLimit` input channels per group (depthwise, and the k×1 / 1×k depthwise
/// factors of CP-decomposed layers) run the direct kernel, because a GEMM with so short
/// an inner dimension reuses almost nothing. Wide 3×3 stride-1 convolutions run Winograd
/// F(2×2, 3×3); every other convolution runs through im2col (or nothing, for 1×1) and GEMM.
enum ConvolutionAlgorithm {
    case gemm
    case direct
    case winograd

    static let directChannelLimit = 8

    init(_ geometry: ConvolutionGeometry) {
        let channelsPerGroup = geometry.inputChannels / geometry.groups
        if geometry.groups > 1 && channelsPerGroup <= Self.directChannelLimit {
            self = .direct
        } else if Winograd.applies(geometry) {
            self = .winograd
        } else {
            self = .gemm
        }
    }

    /// Scratch floats the GEMM path needs for its im2col columns, capped at `cap`.
    static func scratchCount(_ geometry: ConvolutionGeometry, cap: Int) -> Int {
        if geometry.isPointwise { return 0 }
        let rows = geometry.inputChannels / geometry.groups * geometry.kernelHeight * geometry.kernelWidth
        return min(rows * geometry.outputPlane, max(cap, rows * geometry.outputWidth))
    }
}

/// Convolution through `cblas_sgemm`, one batch element and group at a time.
///
/// A pointwise convolution multiplies the weights by the input planes in place. Otherwise
/// im2col writes at most `scratchCount` floats of columns at a time (a tile of output
/// pixels), so the scratch buffer stays bounded for large images. Bias and activation are
/// applied in one pass after the GEMMs, parallel over channels.
func convolveGEMM(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, parameters: ConvolutionWeights,
    output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, scratchCount: Int, threads: Int
) {
    let groupInputs = g.inputChannels / g.groups
    let groupOutputs = g.outputChannels / g.groups
    let rows = groupInputs * g.kernelHeight * g.kernelWidth
    let plane = g.outputPlane

    parameters.weights.withUnsafeBufferPointer { weights in
        for n in 0..<g.batch {
            for group in 0..<g.groups {
                let a = weights.baseAddress! + group * groupOutputs * rows
                let x = input + (n * g.inputChannels + group * groupInputs) * g.inputPlane
                let y = output + (n * g.outputChannels + group * groupOutputs) * plane
                if g.isPointwise {
                    parallelGemm(
                        transposeA: false, transposeB: false, m: groupOutputs, n: plane, k: rows, alpha: 1,
                        a: a, lda: rows, b: x, ldb: plane, beta: 0, c: y, ldc: plane, threads: threads)
                    continue
                }
                let tile = max(1, min(plane, scratchCount / rows))
                var start = 0
                while start < plane {
                    let length = min(tile, plane - start)
                    im2col(g, input: x, firstPixel: start, pixelCount: length, columns: scratch, threads: threads)
                    parallelGemm(
                        transposeA: false, transposeB: false, m: groupOutputs, n: length, k: rows, alpha: 1,
                        a: a, lda: rows, b: scratch, ldb: length, beta: 0, c: y + start, ldc: plane, threads: threads)
                    start += length
                }
            }
        }
    }
    applyChannelEpilogue(
        output, batch: g.batch, channels: g.outputChannels, plane: plane,
        bias: parameters.bias, activation: parameters.activation, threads: threads)
}

/// Writes the im2col matrix of one group of one image for output pixels
/// `firstPixel..<firstPixel + pixelCount`: row `(c, kernelRow, kernelColumn)` contains the input
/// value each of those pixels multiplies by that weight, or 0 in the padding.
func im2col(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, firstPixel: Int, pixelCount: Int,
    columns: UnsafeMutablePointer<Float>, threads: Int
) {
    let kernelArea = g.kernelHeight * g.kernelWidth
    let rows = g.inputChannels / g.groups * kernelArea
    parallelFor(rows, threads: threads, minimumChunk: max(1, 16_384 / max(1, pixelCount))) { range in
        for row in range {
            let channel = row / kernelArea
            let kernelRow = row % kernelArea / g.kernelWidth
            let kernelColumn = row % g.kernelWidth
            let source = input + channel * g.inputPlane
            let destination = columns + row * pixelCount
            let (lower, upper) = g.validColumns(kernelColumn: kernelColumn)
            let columnShift = kernelColumn * g.dilationWidth - g.padLeft

            var pixel = firstPixel
            let end = firstPixel + pixelCount
            while pixel < end {
                let oh = pixel / g.outputWidth
                let first = pixel % g.outputWidth
                let last = min(g.outputWidth, first + end - pixel)
                let out = destination + (pixel - firstPixel) - first
                let ih = oh * g.strideHeight - g.padTop + kernelRow * g.dilationHeight
                if ih < 0 || ih >= g.inputHeight {
                    for ow in first..<last { out[ow] = 0 }
                } else {
                    let line = source + ih * g.inputWidth + columnShift
                    let inner = max(first, lower)..<max(max(first, lower), min(last, upper))
                    for ow in first..<inner.lowerBound { out[ow] = 0 }
                    if g.strideWidth == 1 {
                        for ow in inner { out[ow] = line[ow] }
                    } else {
                        for ow in inner { out[ow] = line[ow * g.strideWidth] }
                    }
                    for ow in inner.upperBound..<last { out[ow] = 0 }
                }
                pixel += last - first
            }
        }
    }
}

/// Adds a per-channel bias and applies an activation to NCHW data, parallel over planes.
func applyChannelEpilogue(
    _ data: UnsafeMutablePointer<Float>, batch: Int, channels: Int, plane: Int,
    bias: [Float]?, activation: Activation, threads: Int
) {
    if bias == nil && activation == .none { return }
    parallelFor(batch * channels, threads: threads, minimumChunk: max(1, 8192 / max(1, plane))) { range in
        for index in range {
            let values = data + index * plane
            if let bias {
                activation.applyWithBias(values, count: plane, bias: bias[index % channels])
            } else {
                activation.apply(values, count: plane)
            }
        }
    }
}
