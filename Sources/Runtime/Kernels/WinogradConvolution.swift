import CLinearAlgebra

/// Winograd minimal filtering F(2×2, 3×3) for 3×3, stride-1, undilated, ungrouped
/// convolutions (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks",
/// CVPR 2016). Each 2×2 output tile needs 16 multiplications per channel pair instead of
/// 36; the 16 element-wise products over channels become 16 GEMMs through `cblas_sgemm`.
///
/// Transforms: `U = G g Gᵀ` (weights, once per plan), `V = Bᵀ d B` (each 4×4 input patch),
/// `Y = Aᵀ M A` (each tile's 4×4 product back to 2×2 outputs).
enum Winograd {
    /// Returns whether the convolution qualifies. Narrow layers, and small planes where the 16
    /// transformed weight matrices (16/9 the size of the weights) dominate the memory
    /// traffic, stay on im2col + GEMM.
    // NOTE: the thresholds come from timing VGG-11 and ResNet-18 layers on one shared 2-core
    // AMD EPYC machine with OpenBLAS 0.3.21; other machines may prefer other limits.
    static func applies(_ g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideHeight == 1 && g.strideWidth == 1
            && g.dilationHeight == 1 && g.dilationWidth == 1 && g.groups == 1
            && g.inputChannels >= minimumInputChannels && g.outputChannels >= minimumOutputChannels
            && g.outputPlane >= minimumOutputPlane
    }

    static let minimumInputChannels = 64
    static let minimumOutputChannels = 128
    static let minimumOutputPlane = 28 * 28

    /// Transforms OIHW 3×3 weights to `U`, laid out `[16][outputChannels][inputChannels]`.
    static func transformWeights(_ weights: [Float], outputChannels: Int, inputChannels: Int) -> [Float] {
        var result = [Float](repeating: 0, count: 16 * outputChannels * inputChannels)
        let pairs = outputChannels * inputChannels
        for pair in 0..<pairs {
            let g = Array(weights[(pair * 9)..<(pair * 9 + 9)])
            // Rows of G g: g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2, each a 3-vector.
            var rows = [[Float]](repeating: [0, 0, 0], count: 4)
            for j in 0..<3 {
                let (a, b, c) = (g[j], g[3 + j], g[6 + j])
                rows[0][j] = a
                rows[1][j] = (a + b + c) / 2
                rows[2][j] = (a - b + c) / 2
                rows[3][j] = c
            }
            for i in 0..<4 {
                let (a, b, c) = (rows[i][0], rows[i][1], rows[i][2])
                let transformed: [Float] = [a, (a + b + c) / 2, (a - b + c) / 2, c]
                for j in 0..<4 { result[(4 * i + j) * pairs + pair] = transformed[j] }
            }
        }
        return result
    }

    /// Tiles per GEMM block so that `V` and `M` together fit in `scratchCount` floats.
    static func tileBlock(_ g: ConvolutionGeometry, scratchCount: Int) -> Int {
        let tiles = tileRows(g) * tileColumns(g)
        return max(1, min(tiles, scratchCount / (16 * (g.inputChannels + g.outputChannels))))
    }

    static func scratchCount(_ g: ConvolutionGeometry, cap: Int) -> Int {
        let tiles = tileRows(g) * tileColumns(g)
        let perTile = 16 * (g.inputChannels + g.outputChannels)
        return min(tiles, max(1, cap / perTile)) * perTile
    }

    static func tileRows(_ g: ConvolutionGeometry) -> Int { (g.outputHeight + 1) / 2 }
    static func tileColumns(_ g: ConvolutionGeometry) -> Int { (g.outputWidth + 1) / 2 }
}

/// Runs a convolution that `Winograd.applies` to, with `transformed` the weights from
/// `Winograd.transformWeights`. Scratch contains `V` (`16 × C × block`) then `M` (`16 × M × block`).
func convolveWinograd(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, transformed: [Float], parameters: ConvolutionWeights,
    output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, scratchCount: Int, threads: Int
) {
    let tileColumns = Winograd.tileColumns(g)
    let tiles = Winograd.tileRows(g) * tileColumns
    let block = Winograd.tileBlock(g, scratchCount: scratchCount)
    let channels = g.inputChannels
    let outputs = g.outputChannels

    transformed.withUnsafeBufferPointer { u in
        for n in 0..<g.batch {
            let image = input + n * channels * g.inputPlane
            let result = output + n * outputs * g.outputPlane
            var first = 0
            while first < tiles {
                let count = min(block, tiles - first)
                let v = scratch
                let m = scratch + 16 * channels * count
                transformInput(g, image: image, firstTile: first, tileCount: count, tileColumns: tileColumns, v: v, threads: threads)
                // The 16 GEMMs are independent: each thread takes whole GEMMs.
                parallelFor(16, threads: threads) { elements in
                    for element in elements {
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputs), Int32(count), Int32(channels), 1,
                            u.baseAddress! + element * outputs * channels, Int32(channels),
                            v + element * channels * count, Int32(count), 0,
                            m + element * outputs * count, Int32(count))
                    }
                }
                transformOutput(
                    g, m: m, firstTile: first, tileCount: count, tileColumns: tileColumns, parameters: parameters,
                    output: result, threads: threads)
                first += count
            }
        }
    }
}

/// Writes `V = Bᵀ d B` of every 4×4 input patch (zero outside the image) for tiles
/// `firstTile..<firstTile + tileCount`, as `v[element][channel][tile]`. Parallel over channels.
private func transformInput(
    _ g: ConvolutionGeometry, image: UnsafePointer<Float>, firstTile: Int, tileCount: Int, tileColumns: Int,
    v: UnsafeMutablePointer<Float>, threads: Int
) {
    let elementStride = g.inputChannels * tileCount
    parallelFor(g.inputChannels, threads: threads) { range in
        for c in range {
            let plane = image + c * g.inputPlane
            for t in 0..<tileCount {
                let tile = firstTile + t
                let top = (tile / tileColumns) * 2 - g.padTop
                let left = (tile % tileColumns) * 2 - g.padLeft
                var d = SIMD16<Float>()
                loadPatch(g, plane: plane, top: top, left: left, into: &d)
                // Bᵀ d: rows d0 - d2, d1 + d2, d2 - d1, d1 - d3; then the same on columns.
                var r = SIMD16<Float>()
                for j in 0..<4 {
                    r[j] = d[j] - d[8 + j]
                    r[4 + j] = d[4 + j] + d[8 + j]
                    r[8 + j] = d[8 + j] - d[4 + j]
                    r[12 + j] = d[4 + j] - d[12 + j]
                }
                let out = v + c * tileCount + t
                for i in 0..<4 {
                    let row = 4 * i
                    out[(row + 0) * elementStride] = r[row] - r[row + 2]
                    out[(row + 1) * elementStride] = r[row + 1] + r[row + 2]
                    out[(row + 2) * elementStride] = r[row + 2] - r[row + 1]
                    out[(row + 3) * elementStride] = r[row + 1] - r[row + 3]
                }
            }
        }
    }
}

@inline(__always)
private func loadPatch(_ g: ConvolutionGeometry, plane: UnsafePointer<Float>, top: Int, left: Int, into d: inout SIMD16<Float>) {
    if top >= 0 && left >= 0 && top + 4 <= g.inputHeight && left + 4 <= g.inputWidth {
        for i in 0..<4 {
            let line = plane + (top + i) * g.inputWidth + left
            for j in 0..<4 { d[4 * i + j] = line[j] }
        }
        return
    }
    for i in 0..<4 {
        let row = top + i
        for j in 0..<4 {
            let column = left + j
            let inside = row >= 0 && row < g.inputHeight && column >= 0 && column < g.inputWidth
            d[4 * i + j] = inside ? plane[row * g.inputWidth + column] : 0
        }
    }
}

/// Writes `Y = Aᵀ M A` of every tile to the output (dropping positions past its edge), adds
/// the bias and applies the activation. Parallel over output channels.
private func transformOutput(
    _ g: ConvolutionGeometry, m: UnsafePointer<Float>, firstTile: Int, tileCount: Int, tileColumns: Int,
    parameters: ConvolutionWeights, output: UnsafeMutablePointer<Float>, threads: Int
) {
    let elementStride = g.outputChannels * tileCount
    parallelFor(g.outputChannels, threads: threads) { range in
        for channel in range {
            let bias = parameters.bias?[channel] ?? 0
            let plane = output + channel * g.outputPlane
            for t in 0..<tileCount {
                let source = m + channel * tileCount + t
                var s = SIMD8<Float>()
                // Aᵀ M: rows m0 + m1 + m2 and m1 - m2 - m3.
                for j in 0..<4 {
                    let (m0, m1, m2, m3) = (
                        source[j * elementStride], source[(4 + j) * elementStride],
                        source[(8 + j) * elementStride], source[(12 + j) * elementStride]
                    )
                    s[j] = m0 + m1 + m2
                    s[4 + j] = m1 - m2 - m3
                }
                let tile = firstTile + t
                let top = (tile / tileColumns) * 2
                let left = (tile % tileColumns) * 2
                for i in 0..<2 where top + i < g.outputHeight {
                    let row = 4 * i
                    let values = (s[row] + s[row + 1] + s[row + 2] + bias, s[row + 1] - s[row + 2] - s[row + 3] + bias)
                    let line = plane + (top + i) * g.outputWidth + left
                    line[0] = parameters.activation.applied(to: values.0)
                    if left + 1 < g.outputWidth { line[1] = parameters.activation.applied(to: values.1) }
                }
            }
        }
    }
}
