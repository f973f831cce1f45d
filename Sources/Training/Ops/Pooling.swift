import Graph

/// MaxPool over NCHW input: kernel_shape, strides, pads, dilations and ceil_mode.
/// Backward routes each output gradient to the input element that won the window.
final class MaxPoolKernel: Kernel {
    private var geometry: WindowGeometry!
    /// Flat input index of each output's maximum, or −1 when the window covered only padding.
    private var argmax: [Int] = []

    override func forward(_ context: ForwardContext) throws {
        guard x.shape.count == 4 else { throw shapeError("MaxPool needs 4-D input, got \(x.shape)") }
        if geometry == nil {
            guard let kernel = node.intsAttribute("kernel_shape"), kernel.count == 2 else {
                throw TrainingError.unsupportedAttribute(
                    node: node.name, attribute: "kernel_shape", value: "\(node.intsAttribute("kernel_shape") ?? [])")
            }
            geometry = try WindowGeometry(node: node, kernel: (kernel[0], kernel[1]))
        }
        let g = geometry!
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let out = g.outputSize(height: h, width: w)
        let count = n * c * out.h * out.w
        y.assign(shape: [n, c, out.h, out.w], count: count)
        if argmax.count != count { argmax = [Int](repeating: -1, count: count) }
        var o = 0
        for plane in 0..<(n * c) {
            let base = plane * h * w
            for oy in 0..<out.h {
                for ox in 0..<out.w {
                    var best = -Float.infinity
                    var bestIndex = -1
                    for ky in 0..<g.kernel.h {
                        let iy = oy * g.strides.h - g.pads.top + ky * g.dilations.h
                        guard iy >= 0 && iy < h else { continue }
                        for kx in 0..<g.kernel.w {
                            let ix = ox * g.strides.w - g.pads.left + kx * g.dilations.w
                            guard ix >= 0 && ix < w else { continue }
                            let value = x.data[base + iy * w + ix]
                            if value > best || bestIndex < 0 {
                                best = value
                                bestIndex = base + iy * w + ix
                            }
                        }
                    }
                    y.data[o] = bestIndex < 0 ? 0 : best
                    argmax[o] = bestIndex
                    o += 1
                }
            }
        }
    }

    override func backward() {
        guard needsGradient(0) else { return }
        for o in 0..<y.count where argmax[o] >= 0 {
            x.grad[argmax[o]] += y.grad[o]
        }
    }
}

/// AveragePool over NCHW input. With count_include_pad = 1 the divisor counts padded
/// positions inside the explicit pads (not the extra ceil_mode overhang); with 0 it counts
/// only input elements.
final class AveragePoolKernel: Kernel {
    private var geometry: WindowGeometry!
    private var countIncludePad = false
    private var outputSize = (h: 0, w: 0)

    override func forward(_ context: ForwardContext) throws {
        guard x.shape.count == 4 else { throw shapeError("AveragePool needs 4-D input, got \(x.shape)") }
        if geometry == nil {
            guard let kernel = node.intsAttribute("kernel_shape"), kernel.count == 2 else {
                throw TrainingError.unsupportedAttribute(
                    node: node.name, attribute: "kernel_shape", value: "\(node.intsAttribute("kernel_shape") ?? [])")
            }
            geometry = try WindowGeometry(node: node, kernel: (kernel[0], kernel[1]))
            countIncludePad = node.intAttribute("count_include_pad", default: 0) != 0
        }
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        outputSize = geometry.outputSize(height: h, width: w)
        y.assign(shape: [n, c, outputSize.h, outputSize.w], count: n * c * outputSize.h * outputSize.w)
        visitWindows(h: h, w: w, planes: n * c) { o, inputIndex, weight in
            if inputIndex == nil { self.y.data[o] = 0 }
            if let inputIndex { self.y.data[o] += self.x.data[inputIndex] * weight }
        }
    }

    override func backward() {
        guard needsGradient(0) else { return }
        let (h, w) = (x.shape[2], x.shape[3])
        visitWindows(h: h, w: w, planes: x.shape[0] * x.shape[1]) { o, inputIndex, weight in
            if let inputIndex { self.x.grad[inputIndex] += self.y.grad[o] * weight }
        }
    }

    /// Calls `body(output, nil, 0)` once per output to start it, then `body(output, input, 1/divisor)`
    /// for each input element in its window.
    private func visitWindows(h: Int, w: Int, planes: Int, _ body: (Int, Int?, Float) -> Void) {
        let g = geometry!
        var o = 0
        for plane in 0..<planes {
            let base = plane * h * w
            for oy in 0..<outputSize.h {
                let y0 = oy * g.strides.h - g.pads.top
                for ox in 0..<outputSize.w {
                    let x0 = ox * g.strides.w - g.pads.left
                    var taps: [Int] = []
                    var padded = 0
                    for ky in 0..<g.kernel.h {
                        let iy = y0 + ky * g.dilations.h
                        for kx in 0..<g.kernel.w {
                            let ix = x0 + kx * g.dilations.w
                            if iy >= 0 && iy < h && ix >= 0 && ix < w {
                                taps.append(base + iy * w + ix)
                            } else if iy >= -g.pads.top && iy < h + g.pads.bottom
                                && ix >= -g.pads.left && ix < w + g.pads.right
                            {
                                padded += 1
                            }
                        }
                    }
                    let divisor = countIncludePad ? taps.count + padded : taps.count
                    body(o, nil, 0)
                    let weight = divisor > 0 ? 1 / Float(divisor) : 0
                    for tap in taps { body(o, tap, weight) }
                    o += 1
                }
            }
        }
    }
}

/// GlobalAveragePool: mean over all spatial positions of each (image, channel) plane.
final class GlobalAveragePoolKernel: Kernel {
    override func forward(_ context: ForwardContext) throws {
        guard x.shape.count >= 3 else { throw shapeError("GlobalAveragePool needs rank >= 3, got \(x.shape)") }
        let planes = x.shape[0] * x.shape[1]
        let spatial = x.shape.dropFirst(2).reduce(1, *)
        y.assign(shape: [x.shape[0], x.shape[1]] + Array(repeating: 1, count: x.shape.count - 2), count: planes)
        x.data.withUnsafeBufferPointer { input in
            for plane in 0..<planes {
                var sum: Float = 0
                for i in 0..<spatial { sum += input[plane * spatial + i] }
                y.data[plane] = sum / Float(spatial)
            }
        }
    }

    override func backward() {
        guard needsGradient(0) else { return }
        let planes = x.shape[0] * x.shape[1]
        let spatial = x.shape.dropFirst(2).reduce(1, *)
        x.grad.withUnsafeMutableBufferPointer { dx in
            for plane in 0..<planes {
                let share = y.grad[plane] / Float(spatial)
                for i in 0..<spatial { dx[plane * spatial + i] += share }
            }
        }
    }
}
