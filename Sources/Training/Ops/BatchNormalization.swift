import Graph

/// ONNX BatchNormalization over NCHW (or NC) input: X, scale, B, input_mean, input_var.
///
/// Training mode normalizes with the batch mean and biased variance over N·H·W and
/// updates the running statistics (inputs 3 and 4, stored as buffers) as
/// `running = running · momentum + batch · (1 − momentum)` (PyTorch's momentum is
/// `1 − momentum` here). As in PyTorch, the running variance takes the unbiased batch
/// variance (× N·H·W / (N·H·W − 1)), so that fine-tuning a torchvision model keeps its
/// statistics on PyTorch's scale; ONNX's reference takes the biased one. Evaluation mode
/// normalizes with the running statistics.
final class BatchNormalizationKernel: Kernel {
    private let epsilon: Float
    private let momentum: Float
    /// Normalized input x̂ of the last forward pass, needed for the scale gradient.
    private var normalized: [Float] = []
    /// 1 / sqrt(variance + epsilon) per channel, from batch or running statistics.
    private var inverseDeviation: [Float] = []
    private var usedBatchStatistics = false

    override init(node: Node, inputs: [ValueSlot?], outputs: [ValueSlot]) {
        epsilon = node.floatAttribute("epsilon", default: 1e-5)
        momentum = node.floatAttribute("momentum", default: 0.9)
        super.init(node: node, inputs: inputs, outputs: outputs)
    }

    override func forward(_ context: ForwardContext) throws {
        guard x.shape.count >= 2 else { throw shapeError("BatchNormalization needs rank >= 2, got \(x.shape)") }
        let (n, c) = (x.shape[0], x.shape[1])
        let spatial = x.shape.dropFirst(2).reduce(1, *)
        for index in 1...4 where inputs[index]!.count != c {
            throw shapeError("input \(index) has \(inputs[index]!.count) elements, expected \(c) channels")
        }
        let scale = inputs[1]!.data
        let bias = inputs[2]!.data
        let runningMean = inputs[3]!
        let runningVariance = inputs[4]!
        let count = Float(n * spatial)
        usedBatchStatistics = context.training
        inverseDeviation = [Float](repeating: 0, count: c)
        if normalized.count != x.count { normalized = [Float](repeating: 0, count: x.count) }
        y.assign(shape: x.shape, count: x.count)

        x.data.withUnsafeBufferPointer { input in
            normalized.withUnsafeMutableBufferPointer { xhat in
                y.data.withUnsafeMutableBufferPointer { output in
                    for channel in 0..<c {
                        var mean: Float
                        var variance: Float
                        if context.training {
                            var sum: Double = 0
                            var squares: Double = 0
                            for image in 0..<n {
                                let plane = input.baseAddress! + (image * c + channel) * spatial
                                var s: Float = 0
                                var q: Float = 0
                                for i in 0..<spatial {
                                    s += plane[i]
                                    q += plane[i] * plane[i]
                                }
                                sum += Double(s)
                                squares += Double(q)
                            }
                            let meanDouble = sum / Double(count)
                            mean = Float(meanDouble)
                            variance = Float(max(squares / Double(count) - meanDouble * meanDouble, 0))
                            runningMean.data[channel] = runningMean.data[channel] * momentum + mean * (1 - momentum)
                            let unbiased = count > 1 ? variance * count / (count - 1) : variance
                            runningVariance.data[channel] =
                                runningVariance.data[channel] * momentum + unbiased * (1 - momentum)
                        } else {
                            mean = runningMean.data[channel]
                            variance = runningVariance.data[channel]
                        }
                        let inverse = 1 / (variance + epsilon).squareRoot()
                        inverseDeviation[channel] = inverse
                        let (gamma, beta) = (scale[channel], bias[channel])
                        for image in 0..<n {
                            let offset = (image * c + channel) * spatial
                            for i in offset..<(offset + spatial) {
                                let value = (input[i] - mean) * inverse
                                xhat[i] = value
                                output[i] = value * gamma + beta
                            }
                        }
                    }
                }
            }
        }
    }

    override func backward() {
        let (n, c) = (x.shape[0], x.shape[1])
        let spatial = x.shape.dropFirst(2).reduce(1, *)
        let count = Float(n * spatial)
        let scale = inputs[1]!.data
        let wantsInput = needsGradient(0)
        let wantsScale = needsGradient(1)
        let wantsBias = needsGradient(2)

        y.grad.withUnsafeBufferPointer { dy in
            normalized.withUnsafeBufferPointer { xhat in
                for channel in 0..<c {
                    var sumGradient: Float = 0
                    var sumGradientXhat: Float = 0
                    for image in 0..<n {
                        let offset = (image * c + channel) * spatial
                        for i in offset..<(offset + spatial) {
                            sumGradient += dy[i]
                            sumGradientXhat += dy[i] * xhat[i]
                        }
                    }
                    if wantsScale { inputs[1]!.grad[channel] += sumGradientXhat }
                    if wantsBias { inputs[2]!.grad[channel] += sumGradient }
                    guard wantsInput else { continue }

                    let factor = scale[channel] * inverseDeviation[channel]
                    let meanGradient = sumGradient / count
                    let meanGradientXhat = sumGradientXhat / count
                    x.grad.withUnsafeMutableBufferPointer { dx in
                        for image in 0..<n {
                            let offset = (image * c + channel) * spatial
                            for i in offset..<(offset + spatial) {
                                if usedBatchStatistics {
                                    // The batch mean and variance depend on x too (Ioffe and Szegedy, 2015).
                                    dx[i] += factor * (dy[i] - meanGradient - xhat[i] * meanGradientXhat)
                                } else {
                                    dx[i] += factor * dy[i]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
