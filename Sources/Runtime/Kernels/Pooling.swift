/// Max pooling over NCHW planes, parallel over planes. Padded positions never win.
/// `geometry.inputChannels` and `outputChannels` are both the channel count.
func maxPool(_ g: ConvolutionGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, threads: Int) {
    let planes = g.batch * g.inputChannels
    parallelFor(planes, threads: threads, minimumChunk: max(1, 4096 / max(1, g.outputPlane))) { range in
        for index in range {
            let source = input + index * g.inputPlane
            let out = output + index * g.outputPlane
            for i in 0..<g.outputPlane { out[i] = -.infinity }
            for kernelRow in 0..<g.kernelHeight {
                let rows = g.validRows(kernelRow: kernelRow)
                for kernelColumn in 0..<g.kernelWidth {
                    let columns = g.validColumns(kernelColumn: kernelColumn)
                    if columns.lower >= columns.upper { continue }
                    let columnShift = kernelColumn * g.dilationWidth - g.padLeft
                    for oh in rows.lower..<rows.upper {
                        let ih = oh * g.strideHeight - g.padTop + kernelRow * g.dilationHeight
                        let line = source + ih * g.inputWidth + columnShift
                        let row = out + oh * g.outputWidth
                        let step = g.strideWidth
                        for ow in columns.lower..<columns.upper { row[ow] = max(row[ow], line[ow * step]) }
                    }
                }
            }
        }
    }
}

/// Average pooling over NCHW planes (no dilation, as ONNX AveragePool before opset 19).
///
/// With `countIncludePad` the divisor counts padded positions up to the declared end pads
/// (`padBottom`, `padRight`), but not the extra positions `ceil_mode` adds beyond them;
/// ONNX Runtime divides the same way. Without it the divisor counts input positions only.
func averagePool(
    _ g: ConvolutionGeometry, padBottom: Int, padRight: Int, countIncludePad: Bool,
    input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, threads: Int
) {
    let planes = g.batch * g.inputChannels
    parallelFor(planes, threads: threads, minimumChunk: max(1, 4096 / max(1, g.outputPlane))) { range in
        for index in range {
            let source = input + index * g.inputPlane
            let out = output + index * g.outputPlane
            for oh in 0..<g.outputHeight {
                let top = oh * g.strideHeight - g.padTop
                let bottom = min(top + g.kernelHeight, g.inputHeight + padBottom)
                let rowStart = max(top, 0)
                let rowEnd = min(bottom, g.inputHeight)
                for ow in 0..<g.outputWidth {
                    let left = ow * g.strideWidth - g.padLeft
                    let right = min(left + g.kernelWidth, g.inputWidth + padRight)
                    let columnStart = max(left, 0)
                    let columnEnd = min(right, g.inputWidth)
                    var sum: Float = 0
                    if rowStart < rowEnd && columnStart < columnEnd {
                        for ih in rowStart..<rowEnd {
                            let line = source + ih * g.inputWidth
                            for iw in columnStart..<columnEnd { sum += line[iw] }
                        }
                    }
                    let divisor = countIncludePad
                        ? (bottom - top) * (right - left)
                        : max(0, rowEnd - rowStart) * max(0, columnEnd - columnStart)
                    out[oh * g.outputWidth + ow] = divisor > 0 ? sum / Float(divisor) : 0
                }
            }
        }
    }
}

/// Mean over each plane of `planeCount` contiguous planes of `plane` elements
/// (GlobalAveragePool, and ReduceMean over trailing axes).
func meanOfPlanes(
    _ input: UnsafePointer<Float>, planeCount: Int, plane: Int, output: UnsafeMutablePointer<Float>, threads: Int
) {
    parallelFor(planeCount, threads: threads, minimumChunk: max(1, 16_384 / max(1, plane))) { range in
        for index in range {
            let values = input + index * plane
            var sum: Float = 0
            for i in 0..<plane { sum += values[i] }
            output[index] = plane > 0 ? sum / Float(plane) : 0
        }
    }
}
