import CLinearAlgebra

/// Stride-1 convolutions as a sum of `kh · kw` GEMMs, one per kernel offset, over shifted
/// views of a zero-padded copy of the input: no im2col matrix is written.
///
/// With the input padded to `Hp × Wp`, output pixel `(y, x)` reads padded pixel
/// `(y + kr·dh, x + kc·dw)` for kernel offset `(kr, kc)`. Computed on a "wide" grid of
/// `Ho × Wp` pixels, that is a fixed shift of `kr·dh·Wp + kc·dw` in the flattened padded plane,
/// so each offset's GEMM reads its B matrix in place (rows are channels, `ldb` is the padded
/// plane). The last `Wp − Wo` columns of each wide row mix in neighbouring rows and are dropped
/// when the tile is stored. Each thread owns tiles of whole wide rows and a `[O, tile]`
/// accumulator, to which bias and activation are applied as the valid columns are copied out.
///
/// Against im2col + GEMM this skips writing and re-reading `kh · kw` copies of the input. That
/// copy dominates when few output channels share it, as in DenseNet's 3×3 layers with 32
/// outputs. The price is `kh · kw` GEMMs with an inner dimension of only `C`.
enum ShiftedConvolution {
    /// Layers with more output channels stay on im2col + GEMM, whose single long inner
    /// dimension suits OpenBLAS better once the im2col cost is amortised.
    // NOTE: the limits and the tile size come from timing DenseNet-121 and ResNet-18 with
    // OpenBLAS 0.3.21 on a 2-core AMD EPYC. DenseNet-121 took 24 % less time at 1 thread. A
    // limit of 512 outputs made ResNet-18's 14×14 and 7×7 layers slower. Tiles of 128 to 256
    // wide pixels ran 5 % faster than 384 or more.
    static let maximumOutputChannels = 64
    /// Fewer input channels make each offset's GEMM too short to run well (a first layer on
    /// RGB input would multiply with an inner dimension of 3).
    static let minimumInputChannels = 16

    static func applies(_ g: ConvolutionGeometry) -> Bool {
        let padded = PaddedPlane(g)
        return g.strideHeight == 1 && g.strideWidth == 1 && g.groups == 1 && !g.isPointwise
            && g.kernelHeight * g.kernelWidth > 1 && g.outputChannels <= maximumOutputChannels
            && g.inputChannels >= minimumInputChannels && padded.padBottom >= 0 && padded.padRight >= 0
    }

    /// Repacks OIHW weights to `[kh · kw][O][C]`: one GEMM A matrix per kernel offset.
    static func packWeights(_ weights: [Float], _ g: ConvolutionGeometry) -> [Float] {
        let (o, c, area) = (g.outputChannels, g.inputChannels, g.kernelHeight * g.kernelWidth)
        var packed = [Float](repeating: 0, count: weights.count)
        for m in 0..<o {
            for k in 0..<c {
                for offset in 0..<area { packed[(offset * o + m) * c + k] = weights[(m * c + k) * area + offset] }
            }
        }
        return packed
    }

    /// Wide output rows per tile: about 192 wide pixels, at least one row.
    static func rowsPerTile(_ g: ConvolutionGeometry) -> Int {
        min(g.outputHeight, max(1, 192 / PaddedPlane(g).width))
    }

    /// Scratch floats: the padded input of one image plus one accumulator tile per thread.
    static func scratchCount(_ g: ConvolutionGeometry, threads: Int) -> Int {
        let padded = PaddedPlane(g)
        return padded.totalCount(channels: g.inputChannels)
            + threads * g.outputChannels * rowsPerTile(g) * padded.width
    }
}

/// The zero-padded input plane of a stride-1 convolution.
struct PaddedPlane {
    var height: Int
    var width: Int
    var padBottom: Int
    var padRight: Int
    /// Floats read past the last plane by the dropped columns of the last wide row.
    var tail: Int

    init(_ g: ConvolutionGeometry) {
        height = g.outputHeight + (g.kernelHeight - 1) * g.dilationHeight
        width = g.outputWidth + (g.kernelWidth - 1) * g.dilationWidth
        padBottom = height - g.inputHeight - g.padTop
        padRight = width - g.inputWidth - g.padLeft
        tail = (g.kernelWidth - 1) * g.dilationWidth
    }

    var plane: Int { height * width }

    func totalCount(channels: Int) -> Int { channels * plane + tail }
}

/// Computes a convolution for which `ShiftedConvolution.applies` holds.
func convolveShifted(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, packedWeights: [Float], parameters: ConvolutionWeights,
    output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int
) {
    let padded = PaddedPlane(g)
    let rowsPerTile = ShiftedConvolution.rowsPerTile(g)
    let tiles = (g.outputHeight + rowsPerTile - 1) / rowsPerTile
    let chunks = min(threads, tiles)
    let paddedInput = scratch
    let accumulators = scratch + padded.totalCount(channels: g.inputChannels)
    packedWeights.withUnsafeBufferPointer { weights in
        withOptionalPointer(parameters.bias) { bias in
            let weights = weights.baseAddress!
            for image in 0..<g.batch {
                padInput(
                    g, padded: padded, input: input + image * g.inputChannels * g.inputPlane, into: paddedInput,
                    threads: threads)
                let y = output + image * g.outputChannels * g.outputPlane
                parallelFor(chunks, threads: threads) { workers in
                    for worker in workers {
                        let tile = ShiftedTile(
                            geometry: g, padded: padded, rowsPerTile: rowsPerTile, weights: weights, bias: bias,
                            activation: parameters.activation,
                            accumulator: accumulators + worker * g.outputChannels * rowsPerTile * padded.width)
                        for index in (tiles * worker / chunks)..<(tiles * (worker + 1) / chunks) {
                            tile.compute(firstRow: index * rowsPerTile, input: UnsafePointer(paddedInput), output: y)
                        }
                    }
                }
            }
        }
    }
}

/// One thread's work on a run of wide output rows.
private struct ShiftedTile {
    let geometry: ConvolutionGeometry
    let padded: PaddedPlane
    let rowsPerTile: Int
    let weights: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let activation: Activation
    let accumulator: UnsafeMutablePointer<Float>

    func compute(firstRow: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let g = geometry
        let rows = min(rowsPerTile, g.outputHeight - firstRow)
        let length = rows * padded.width
        let (o, c) = (g.outputChannels, g.inputChannels)
        for kernelRow in 0..<g.kernelHeight {
            for kernelColumn in 0..<g.kernelWidth {
                let offset = kernelRow * g.kernelWidth + kernelColumn
                let shift = (firstRow + kernelRow * g.dilationHeight) * padded.width + kernelColumn * g.dilationWidth
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(o), Int32(length), Int32(c), 1,
                    weights + offset * o * c, Int32(c), input + shift, Int32(padded.plane), offset == 0 ? 0 : 1,
                    accumulator, Int32(length))
            }
        }
        store(rows: rows, firstRow: firstRow, length: length, output: output)
    }

    /// Copies the valid columns of each wide row to the output, adding bias and activation.
    private func store(rows: Int, firstRow: Int, length: Int, output: UnsafeMutablePointer<Float>) {
        let g = geometry
        for channel in 0..<g.outputChannels {
            let biasValue = bias?[channel] ?? 0
            for row in 0..<rows {
                let source = accumulator + channel * length + row * padded.width
                let destination = output + channel * g.outputPlane + (firstRow + row) * g.outputWidth
                for x in 0..<g.outputWidth { destination[x] = activation.applied(to: source[x] + biasValue) }
            }
        }
    }
}

/// Writes one image's input into the padded planes, zeros around it and in the tail.
private func padInput(
    _ g: ConvolutionGeometry, padded: PaddedPlane, input: UnsafePointer<Float>,
    into destination: UnsafeMutablePointer<Float>, threads: Int
) {
    parallelFor(g.inputChannels, threads: threads, minimumChunk: max(1, 16_384 / padded.plane)) { channels in
        for channel in channels {
            let plane = destination + channel * padded.plane
            plane.update(repeating: 0, count: g.padTop * padded.width)
            for row in 0..<g.inputHeight {
                let line = plane + (g.padTop + row) * padded.width
                line.update(repeating: 0, count: g.padLeft)
                (line + g.padLeft).update(from: input + (channel * g.inputHeight + row) * g.inputWidth, count: g.inputWidth)
                (line + g.padLeft + g.inputWidth).update(repeating: 0, count: padded.padRight)
            }
            (plane + (g.padTop + g.inputHeight) * padded.width).update(repeating: 0, count: padded.padBottom * padded.width)
        }
    }
    (destination + g.inputChannels * padded.plane).update(repeating: 0, count: padded.tail)
}
