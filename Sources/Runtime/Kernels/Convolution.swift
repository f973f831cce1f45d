import CLinearAlgebra

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
/// F(2×2, 3×3), narrower stride-1 ones one GEMM per kernel offset (`ShiftedConvolution`);
/// every other convolution runs through im2col (or nothing, for 1×1) and GEMM.
enum ConvolutionAlgorithm {
    case gemm
    case direct
    case winograd
    case shifted

    static let directChannelLimit = 8

    init(_ geometry: ConvolutionGeometry) {
        let channelsPerGroup = geometry.inputChannels / geometry.groups
        if geometry.groups > 1 && channelsPerGroup <= Self.directChannelLimit {
            self = .direct
        } else if Winograd.applies(geometry) {
            self = .winograd
        } else if ShiftedConvolution.applies(geometry) {
            self = .shifted
        } else {
            self = .gemm
        }
    }

}

/// The split of one GEMM convolution into work for `threads` threads.
///
/// Large output planes are cut into tiles of 64 to 256 output pixels whose im2col columns
/// (`rows × tile` floats) take at most about 1 MiB. Each thread writes the columns of its own
/// tiles into its own part of the scratch buffer and multiplies them with one single-threaded
/// GEMM, so the threads share nothing but the weights. Planes too small to give every thread
/// two tiles (the 7×7 planes of deep layers) are unrolled whole, and each GEMM is split across
/// the threads by output channels instead.
// NOTE: the tile sizes come from timing OpenBLAS 0.3.21 on a 2-core AMD EPYC with 1 MiB of L2
// per core. Tiles of 128 to 256 pixels ran up to 40 % faster than whole planes for a layer
// with 32 output channels, and as fast for layers with 512. Cores with a smaller L2, such as
// a Jetson's Cortex-A78AE, may prefer smaller tiles.
struct ConvolutionTiling: Equatable {
    /// Floats of im2col columns per tile: 256 Ki floats, 1 MiB.
    static let tileBudget = 1 << 18
    static let maximumTile = 256
    static let minimumTile = 64

    /// Output pixels per tile; equal to the plane when the plane is not tiled.
    var tile: Int
    /// True when threads work on separate tiles; false when they split each GEMM.
    var tilesInParallel: Bool
    /// Scratch floats the plan must provide.
    var scratchCount: Int

    init(_ g: ConvolutionGeometry, threads: Int) {
        let rows = g.inputChannels / g.groups * g.kernelHeight * g.kernelWidth
        let plane = g.outputPlane
        // Tiles of equal length, about `target` pixels each.
        let target = min(Self.maximumTile, max(Self.minimumTile, Self.tileBudget / max(1, rows)))
        let tilesPerPlane = (plane + target - 1) / target
        let tile = (plane + tilesPerPlane - 1) / tilesPerPlane
        let tiles = tilesPerPlane * g.batch * g.groups
        if tiles >= 2 * threads || threads == 1 {
            self.tile = tile
            tilesInParallel = true
            scratchCount = g.isPointwise ? 0 : threads * rows * tile
        } else {
            self.tile = plane
            tilesInParallel = false
            scratchCount = g.isPointwise ? 0 : rows * plane
        }
    }
}

/// Computes a convolution through `cblas_sgemm` as planned by `ConvolutionTiling`. A pointwise
/// convolution multiplies the weights by the input planes where they lie; any other
/// convolution first writes its im2col columns. Bias and activation are applied to each
/// tile right after its GEMM, while the tile is still in cache.
func convolveGEMM(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, parameters: ConvolutionWeights,
    output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, tiling: ConvolutionTiling,
    threads: Int
) {
    if tiling.tilesInParallel {
        convolveTiles(g, input: input, parameters: parameters, output: output, scratch: scratch, tiling: tiling, threads: threads)
    } else {
        convolveWholePlanes(g, input: input, parameters: parameters, output: output, scratch: scratch, threads: threads)
    }
}

/// Runs the tiles: each thread takes a contiguous run of (image, group, tile) items. The
/// threads read weights and bias through raw pointers taken before the loop, so they never
/// touch a shared reference count.
private func convolveTiles(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, parameters: ConvolutionWeights,
    output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, tiling: ConvolutionTiling,
    threads: Int
) {
    let groupInputs = g.inputChannels / g.groups
    let groupOutputs = g.outputChannels / g.groups
    let rows = groupInputs * g.kernelHeight * g.kernelWidth
    let plane = g.outputPlane
    let tilesPerPlane = (plane + tiling.tile - 1) / tiling.tile
    let items = g.batch * g.groups * tilesPerPlane
    let chunks = min(threads, items)
    let activation = parameters.activation
    parameters.weights.withUnsafeBufferPointer { weights in
        withOptionalPointer(parameters.bias) { bias in
            let weights = weights.baseAddress!
            parallelFor(chunks, threads: threads) { workers in
                for worker in workers {
                    let columns = scratch + worker * rows * tiling.tile
                    for item in (items * worker / chunks)..<(items * (worker + 1) / chunks) {
                        let image = item / (g.groups * tilesPerPlane)
                        let group = item / tilesPerPlane % g.groups
                        let start = item % tilesPerPlane * tiling.tile
                        let length = min(tiling.tile, plane - start)
                        let x = input + (image * g.inputChannels + group * groupInputs) * g.inputPlane
                        let y = output + (image * g.outputChannels + group * groupOutputs) * plane + start
                        var b = x + start
                        if !g.isPointwise {
                            im2col(g, input: x, firstPixel: start, pixelCount: length, columns: columns, threads: 1)
                            b = UnsafePointer(columns)
                        }
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(groupOutputs), Int32(length), Int32(rows),
                            1, weights + group * groupOutputs * rows, Int32(rows), b,
                            Int32(g.isPointwise ? plane : length), 0, y, Int32(plane))
                        applyTileEpilogue(
                            y, channels: groupOutputs, plane: plane, length: length,
                            bias: bias.map { $0 + group * groupOutputs }, activation: activation)
                    }
                }
            }
        }
    }
}

/// Unrolls each plane whole and splits every GEMM across the threads.
private func convolveWholePlanes(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, parameters: ConvolutionWeights,
    output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int
) {
    let groupInputs = g.inputChannels / g.groups
    let groupOutputs = g.outputChannels / g.groups
    let rows = groupInputs * g.kernelHeight * g.kernelWidth
    let plane = g.outputPlane
    parameters.weights.withUnsafeBufferPointer { weights in
        for n in 0..<g.batch {
            for group in 0..<g.groups {
                let x = input + (n * g.inputChannels + group * groupInputs) * g.inputPlane
                var b = x
                if !g.isPointwise {
                    im2col(g, input: x, firstPixel: 0, pixelCount: plane, columns: scratch, threads: threads)
                    b = UnsafePointer(scratch)
                }
                parallelGemm(
                    transposeA: false, transposeB: false, m: groupOutputs, n: plane, k: rows, alpha: 1,
                    a: weights.baseAddress! + group * groupOutputs * rows, lda: rows, b: b, ldb: plane, beta: 0,
                    c: output + (n * g.outputChannels + group * groupOutputs) * plane, ldc: plane, threads: threads)
            }
        }
    }
    applyChannelEpilogue(
        output, batch: g.batch, channels: g.outputChannels, plane: plane,
        bias: parameters.bias, activation: parameters.activation, threads: threads)
}

/// Applies bias and activation to `length` pixels of `channels` consecutive output planes.
@inline(__always)
private func applyTileEpilogue(
    _ tile: UnsafeMutablePointer<Float>, channels: Int, plane: Int, length: Int, bias: UnsafePointer<Float>?,
    activation: Activation
) {
    if bias == nil && activation == .none { return }
    for channel in 0..<channels {
        let values = tile + channel * plane
        if let bias {
            activation.applyWithBias(values, count: length, bias: bias[channel])
        } else {
            activation.apply(values, count: length)
        }
    }
}

/// Calls `body` with a pointer to the array's elements, or with nil.
@inline(__always)
func withOptionalPointer<Result>(_ array: [Float]?, _ body: (UnsafePointer<Float>?) -> Result) -> Result {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
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
