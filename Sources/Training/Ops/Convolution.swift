import CLinearAlgebra
import Graph

/// Geometry of a 2-D convolution or pooling window over an NCHW input.
struct WindowGeometry {
    var kernel: (h: Int, w: Int)
    var strides: (h: Int, w: Int)
    var dilations: (h: Int, w: Int)
    /// ONNX order: top, left, bottom, right.
    var pads: (top: Int, left: Int, bottom: Int, right: Int)
    var ceilMode: Bool

    init(node: Node, kernel: (Int, Int)) throws {
        self.kernel = kernel
        let strides = node.intsAttribute("strides") ?? [1, 1]
        let dilations = node.intsAttribute("dilations") ?? [1, 1]
        let pads = node.intsAttribute("pads") ?? [0, 0, 0, 0]
        guard strides.count == 2, dilations.count == 2, pads.count == 4 else {
            throw TrainingError.unsupportedAttribute(
                node: node.name, attribute: "strides/dilations/pads",
                value: "\(strides)/\(dilations)/\(pads) (only 2-D windows are supported)")
        }
        if let autoPad = node.stringAttribute("auto_pad"), autoPad != "NOTSET" {
            throw TrainingError.unsupportedAttribute(
                node: node.name, attribute: "auto_pad", value: "\(autoPad) (give explicit pads)")
        }
        self.strides = (strides[0], strides[1])
        self.dilations = (dilations[0], dilations[1])
        self.pads = (pads[0], pads[1], pads[2], pads[3])
        self.ceilMode = node.intAttribute("ceil_mode", default: 0) != 0
    }

    /// Output extent along one axis, following the ONNX rule for `ceil_mode`: a window
    /// that would start inside the end padding is dropped.
    static func outputExtent(input: Int, kernel: Int, stride: Int, dilation: Int, padBegin: Int, padEnd: Int, ceil: Bool) -> Int {
        let span = (kernel - 1) * dilation + 1
        let room = input + padBegin + padEnd - span
        guard room >= 0 else { return 0 }
        var extent = (ceil ? (room + stride - 1) / stride : room / stride) + 1
        if ceil && (extent - 1) * stride >= input + padBegin { extent -= 1 }
        return extent
    }

    func outputSize(height: Int, width: Int) -> (h: Int, w: Int) {
        let h = Self.outputExtent(
            input: height, kernel: kernel.h, stride: strides.h, dilation: dilations.h,
            padBegin: pads.top, padEnd: pads.bottom, ceil: ceilMode)
        let w = Self.outputExtent(
            input: width, kernel: kernel.w, stride: strides.w, dilation: dilations.w,
            padBegin: pads.left, padEnd: pads.right, ceil: ceilMode)
        return (h, w)
    }
}

/// ONNX Conv over NCHW input with OIHW weights: groups, strides, dilations and explicit pads.
///
/// The batch is processed in blocks of images. Forward lowers a block to a column matrix
/// (im2col) of shape [C/group · kH · kW, images · outH · outW] and multiplies each group's
/// weights with its block of rows through `cblas_sgemm`. Backward rebuilds the block's columns
/// for the weight gradient, multiplies by the transposed weights and scatters the result
/// back (col2im). A block holds about 1 MiB of columns (at least 256 of them), so im2col and
/// col2im stay in cache instead of streaming a whole batch's columns through memory.
final class ConvolutionKernel: Kernel {
    /// Column floats per image block, 256 Ki (1 MiB).
    static let blockBudget = 1 << 18
    /// Lower bound on the columns of a block, so that the GEMMs stay efficient on small planes.
    static let minimumColumns = 256

    private var geometry: WindowGeometry!
    private let groups: Int
    /// im2col of the current image block.
    private var columns: [Float] = []
    /// GEMM output or gradient of the current block in [outChannels, images · outH · outW] layout.
    private var product: [Float] = []
    private var inputShape: [Int] = []
    private var outputSize = (h: 0, w: 0)

    override init(node: Node, inputs: [ValueSlot?], outputs: [ValueSlot]) {
        groups = node.intAttribute("group", default: 1)
        super.init(node: node, inputs: inputs, outputs: outputs)
    }

    /// Images per block for `rows` column rows and `spatial` output pixels per image.
    private static func blockSize(images n: Int, rows: Int, spatial: Int) -> Int {
        let byBudget = blockBudget / max(1, rows * spatial)
        let byWidth = (minimumColumns + spatial - 1) / max(1, spatial)
        return max(1, min(n, max(byBudget, byWidth)))
    }

    override func forward(_ context: ForwardContext) throws {
        let weight = inputs[1]!
        guard x.shape.count == 4, weight.shape.count == 4 else {
            throw shapeError("Conv needs 4-D input and weight, got \(x.shape) and \(weight.shape)")
        }
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let m = weight.shape[0]
        guard c % groups == 0, m % groups == 0, weight.shape[1] * groups == c else {
            throw shapeError("input channels \(c) and weight \(weight.shape) do not match group \(groups)")
        }
        if geometry == nil {
            geometry = try WindowGeometry(node: node, kernel: (weight.shape[2], weight.shape[3]))
        }
        outputSize = geometry.outputSize(height: h, width: w)
        inputShape = x.shape
        let spatial = outputSize.h * outputSize.w
        let rows = c * geometry.kernel.h * geometry.kernel.w
        let block = Self.blockSize(images: n, rows: rows, spatial: spatial)
        reserveBuffers(rows: rows, outputs: m, width: block * spatial)
        y.assign(shape: [n, m, outputSize.h, outputSize.w], count: n * m * spatial)

        for first in stride(from: 0, to: n, by: block) {
            let images = first..<min(n, first + block)
            x.data.withUnsafeBufferPointer { input in
                columns.withUnsafeMutableBufferPointer { col in
                    im2col(input: input.baseAddress!, images: images, c: c, h: h, w: w, columns: col.baseAddress!)
                }
            }
            multiplyWeights(weight, rows: rows, outputs: m, width: images.count * spatial)
            storeOutput(images: images, outputs: m, spatial: spatial)
        }
    }

    private func reserveBuffers(rows: Int, outputs m: Int, width: Int) {
        if columns.count < rows * width { columns = [Float](repeating: 0, count: rows * width) }
        if product.count < m * width { product = [Float](repeating: 0, count: m * width) }
    }

    /// product[group block] = W[group] · columns[group block], `width` columns.
    private func multiplyWeights(_ weight: ValueSlot, rows: Int, outputs m: Int, width: Int) {
        let (groupRows, groupOut) = (rows / groups, m / groups)
        weight.data.withUnsafeBufferPointer { wt in
            columns.withUnsafeBufferPointer { col in
                product.withUnsafeMutableBufferPointer { out in
                    for g in 0..<groups {
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans,
                            Int32(groupOut), Int32(width), Int32(groupRows), 1,
                            wt.baseAddress! + g * groupOut * groupRows, Int32(groupRows),
                            col.baseAddress! + g * groupRows * width, Int32(width), 0,
                            out.baseAddress! + g * groupOut * width, Int32(width))
                    }
                }
            }
        }
    }

    /// Copies the block's product into NCHW `y`, adding the bias.
    private func storeOutput(images: Range<Int>, outputs m: Int, spatial: Int) {
        let width = images.count * spatial
        let bias = inputs.count > 2 ? inputs[2] : nil
        product.withUnsafeBufferPointer { out in
            y.data.withUnsafeMutableBufferPointer { result in
                for image in images {
                    for channel in 0..<m {
                        let b = bias?.data[channel] ?? 0
                        let source = out.baseAddress! + channel * width + (image - images.lowerBound) * spatial
                        let destination = result.baseAddress! + (image * m + channel) * spatial
                        for i in 0..<spatial { destination[i] = source[i] + b }
                    }
                }
            }
        }
    }

    override func backward() {
        let weight = inputs[1]!
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let m = weight.shape[0]
        let spatial = outputSize.h * outputSize.w
        let rows = c * geometry.kernel.h * geometry.kernel.w
        let block = Self.blockSize(images: n, rows: rows, spatial: spatial)
        reserveBuffers(rows: rows, outputs: m, width: block * spatial)

        for first in stride(from: 0, to: n, by: block) {
            let images = first..<min(n, first + block)
            let width = images.count * spatial
            gatherOutputGradient(images: images, outputs: m, spatial: spatial)
            if needsGradient(2), let bias = inputs[2] {
                product.withUnsafeBufferPointer { grad in
                    for channel in 0..<m {
                        var sum: Float = 0
                        let row = grad.baseAddress! + channel * width
                        for i in 0..<width { sum += row[i] }
                        bias.grad[channel] += sum
                    }
                }
            }
            if needsGradient(1) {
                x.data.withUnsafeBufferPointer { input in
                    columns.withUnsafeMutableBufferPointer { col in
                        im2col(input: input.baseAddress!, images: images, c: c, h: h, w: w, columns: col.baseAddress!)
                    }
                }
                accumulateWeightGradient(weight, rows: rows, outputs: m, width: width)
            }
            if needsGradient(0) {
                propagateToColumns(weight, rows: rows, outputs: m, width: width)
                columns.withUnsafeBufferPointer { col in
                    x.grad.withUnsafeMutableBufferPointer { dx in
                        col2im(columns: col.baseAddress!, images: images, c: c, h: h, w: w, input: dx.baseAddress!)
                    }
                }
            }
        }
    }

    /// Gathers dY of the block from NCHW into [M, images · spatial], the layout of the forward product.
    private func gatherOutputGradient(images: Range<Int>, outputs m: Int, spatial: Int) {
        let width = images.count * spatial
        y.grad.withUnsafeBufferPointer { dy in
            product.withUnsafeMutableBufferPointer { grad in
                for image in images {
                    for channel in 0..<m {
                        let source = dy.baseAddress! + (image * m + channel) * spatial
                        let destination = grad.baseAddress! + channel * width + (image - images.lowerBound) * spatial
                        destination.update(from: source, count: spatial)
                    }
                }
            }
        }
    }

    /// dW[group] += dY[group block] · columns[group block]ᵀ.
    private func accumulateWeightGradient(_ weight: ValueSlot, rows: Int, outputs m: Int, width: Int) {
        let (groupRows, groupOut) = (rows / groups, m / groups)
        product.withUnsafeBufferPointer { grad in
            columns.withUnsafeBufferPointer { col in
                weight.grad.withUnsafeMutableBufferPointer { dw in
                    for g in 0..<groups {
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans,
                            Int32(groupOut), Int32(groupRows), Int32(width), 1,
                            grad.baseAddress! + g * groupOut * width, Int32(width),
                            col.baseAddress! + g * groupRows * width, Int32(width), 1,
                            dw.baseAddress! + g * groupOut * groupRows, Int32(groupRows))
                    }
                }
            }
        }
    }

    /// columns[group block] = W[group]ᵀ · dY[group block], the gradient of the block's columns.
    private func propagateToColumns(_ weight: ValueSlot, rows: Int, outputs m: Int, width: Int) {
        let (groupRows, groupOut) = (rows / groups, m / groups)
        weight.data.withUnsafeBufferPointer { wt in
            product.withUnsafeBufferPointer { grad in
                columns.withUnsafeMutableBufferPointer { col in
                    for g in 0..<groups {
                        cblas_sgemm(
                            CblasRowMajor, CblasTrans, CblasNoTrans,
                            Int32(groupRows), Int32(width), Int32(groupOut), 1,
                            wt.baseAddress! + g * groupOut * groupRows, Int32(groupRows),
                            grad.baseAddress! + g * groupOut * width, Int32(width), 0,
                            col.baseAddress! + g * groupRows * width, Int32(width))
                    }
                }
            }
        }
    }

    /// Writes column row (channel, ky, kx), column (image, oy, ox) = x[image, channel, iy, ix], zero in the padding,
    /// for the images of `images` (columns counted from the first of them).
    private func im2col(input: UnsafePointer<Float>, images: Range<Int>, c: Int, h: Int, w: Int, columns: UnsafeMutablePointer<Float>) {
        let g = geometry!
        let (outH, outW) = outputSize
        let spatial = outH * outW
        let columnWidth = images.count * spatial
        var row = 0
        for channel in 0..<c {
            for ky in 0..<g.kernel.h {
                for kx in 0..<g.kernel.w {
                    let destinationRow = columns + row * columnWidth
                    for image in images {
                        let plane = input + (image * c + channel) * h * w
                        let destination = destinationRow + (image - images.lowerBound) * spatial
                        for oy in 0..<outH {
                            let iy = oy * g.strides.h - g.pads.top + ky * g.dilations.h
                            let line = destination + oy * outW
                            if iy < 0 || iy >= h {
                                line.update(repeating: 0, count: outW)
                                continue
                            }
                            let source = plane + iy * w
                            let offset = kx * g.dilations.w - g.pads.left
                            let (first, end) = validRange(offset: offset, count: outW, width: w)
                            if first > 0 { line.update(repeating: 0, count: first) }
                            if end < outW { (line + end).update(repeating: 0, count: outW - end) }
                            if g.strides.w == 1 {
                                if end > first { (line + first).update(from: source + first + offset, count: end - first) }
                            } else {
                                for ox in first..<max(end, first) { line[ox] = source[ox * g.strides.w + offset] }
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// Adds every column entry of the images of `images` back into the input position it was copied from.
    private func col2im(columns: UnsafePointer<Float>, images: Range<Int>, c: Int, h: Int, w: Int, input: UnsafeMutablePointer<Float>) {
        let g = geometry!
        let (outH, outW) = outputSize
        let spatial = outH * outW
        let columnWidth = images.count * spatial
        var row = 0
        for channel in 0..<c {
            for ky in 0..<g.kernel.h {
                for kx in 0..<g.kernel.w {
                    let sourceRow = columns + row * columnWidth
                    for image in images {
                        let plane = input + (image * c + channel) * h * w
                        let source = sourceRow + (image - images.lowerBound) * spatial
                        for oy in 0..<outH {
                            let iy = oy * g.strides.h - g.pads.top + ky * g.dilations.h
                            if iy < 0 || iy >= h { continue }
                            let line = source + oy * outW
                            let destination = plane + iy * w
                            let offset = kx * g.dilations.w - g.pads.left
                            let (first, end) = validRange(offset: offset, count: outW, width: w)
                            if g.strides.w == 1 {
                                // Contiguous on both sides, so the loop vectorizes.
                                let shifted = destination + offset
                                for ox in first..<max(end, first) { shifted[ox] += line[ox] }
                            } else {
                                for ox in first..<max(end, first) { destination[ox * g.strides.w + offset] += line[ox] }
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// Range [first, end) of output columns whose input column ox · stride + offset lies in 0..<width.
    private func validRange(offset: Int, count: Int, width: Int) -> (Int, Int) {
        let stride = geometry.strides.w
        // Smallest ox with ox · stride + offset >= 0.
        let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        // Largest ox with ox · stride + offset <= width − 1, plus one.
        let last = width - 1 - offset
        let end = last < 0 ? 0 : min(count, last / stride + 1)
        return (min(first, count), end)
    }
}
