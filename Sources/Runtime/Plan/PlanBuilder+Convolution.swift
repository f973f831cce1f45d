import Graph

extension PlanBuilder {
    /// Conv, with BatchNormalization and then Relu/Clip fused into it when optimizing.
    mutating func planConvolution(_ node: Node, index: Int) throws {
        let x = try activation(node, 0)
        let w = try requireConstant(node, 1)
        let bias = node.input(2) == nil ? nil : try requireConstant(node, 2).floats
        let rank = x.shape.count
        guard rank == 3 || rank == 4, w.shape.count == rank else {
            throw node.invalid("only 1-D and 2-D convolutions are supported; input \(x.shape), weights \(w.shape)")
        }
        let groups = try node.intAttribute("group", default: 1)
        let channels = x.shape[1]
        let outputChannels = w.shape[0]
        guard groups > 0, w.shape[1] * groups == channels, outputChannels % groups == 0 else {
            throw node.invalid("weights \(w.shape) with group \(groups) do not fit input \(x.shape)")
        }
        let kernel = Array(w.shape[2...])
        if let declared = try node.intsAttribute("kernel_shape"), declared != kernel {
            throw node.invalid("kernel_shape \(declared) differs from weights \(w.shape)")
        }
        if let bias, bias.count != outputChannels {
            throw node.invalid("bias has \(bias.count) values for \(outputChannels) output channels")
        }
        let spatial = Array(x.shape[2...])
        let window = try Window(node, input: spatial, kernel: kernel, extraPads: foldedPads[index])
        let geometry = window.geometry(
            batch: x.shape[0], inputChannels: channels, outputChannels: outputChannels, input: spatial,
            kernel: kernel, groups: groups)

        var parameters = ConvolutionWeights(weights: w.floats, bias: bias, activation: .none)
        var outputName = node.outputs[0]
        if optimize, let next = soleConsumer(outputName), graph.nodes[next].opType == "BatchNormalization",
            graph.nodes[next].inputs.first == outputName, let affine = try batchNormAffine(graph.nodes[next])
        {
            parameters = Self.fold(affine, into: parameters, outputChannels: outputChannels)
            finished.insert(next)
            outputName = graph.nodes[next].outputs[0]
        }
        (parameters.activation, outputName) = try fuseActivation(after: outputName)

        let y = output(outputName, shape: [x.shape[0], outputChannels] + window.output)
        let threads = self.threads
        let scratch = scratchBuffer
        switch ConvolutionAlgorithm(geometry) {
        case .direct:
            addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
                convolveDirect(geometry, input: table[x.buffer], parameters: parameters, output: table[y.buffer], threads: threads)
            }
        case .winograd:
            let transformed = Winograd.transformWeights(
                parameters.weights, outputChannels: outputChannels, inputChannels: channels)
            let scratchCount = Winograd.scratchCount(geometry, cap: Self.scratchCap)
            requestScratch(scratchCount)
            addStep(node, reads: [x.buffer, scratch], writes: [y.buffer]) { table in
                convolveWinograd(
                    geometry, input: table[x.buffer], transformed: transformed, parameters: parameters,
                    output: table[y.buffer], scratch: table[scratch], scratchCount: scratchCount, threads: threads)
            }
        case .shifted:
            let packed = ShiftedConvolution.packWeights(parameters.weights, geometry)
            requestScratch(ShiftedConvolution.scratchCount(geometry, threads: threads))
            addStep(node, reads: [x.buffer, scratch], writes: [y.buffer]) { table in
                convolveShifted(
                    geometry, input: table[x.buffer], packedWeights: packed, parameters: parameters,
                    output: table[y.buffer], scratch: table[scratch], threads: threads)
            }
        case .gemm:
            let tiling = ConvolutionTiling(geometry, threads: threads)
            requestScratch(tiling.scratchCount)
            addStep(node, reads: [x.buffer, scratch], writes: [y.buffer]) { table in
                convolveGEMM(
                    geometry, input: table[x.buffer], parameters: parameters, output: table[y.buffer],
                    scratch: table[scratch], tiling: tiling, threads: threads)
            }
        }
    }

    /// Folds `y = conv(x) * scale + shift` into the convolution's weights and bias.
    static func fold(_ affine: ChannelAffine, into parameters: ConvolutionWeights, outputChannels: Int)
        -> ConvolutionWeights
    {
        var folded = parameters
        let perChannel = parameters.weights.count / outputChannels
        for m in 0..<outputChannels {
            for i in 0..<perChannel { folded.weights[m * perChannel + i] *= affine.scale[m] }
        }
        folded.bias = (0..<outputChannels).map { m in (parameters.bias?[m] ?? 0) * affine.scale[m] + affine.shift[m] }
        return folded
    }

    /// Returns the inference-mode affine map of a BatchNormalization, or nil when its parameters are not constant.
    mutating func batchNormAffine(_ node: Node) throws -> ChannelAffine? {
        var parameters: [[Float]] = []
        for position in 1...4 {
            guard let name = node.input(position), let value = try constant(name) else { return nil }
            parameters.append(value.floats)
        }
        let count = parameters[0].count
        guard parameters.allSatisfy({ $0.count == count }) else {
            throw node.invalid("scale, bias, mean and variance differ in length")
        }
        return ChannelAffine(
            gamma: parameters[0], beta: parameters[1], mean: parameters[2], variance: parameters[3],
            epsilon: try node.floatAttribute("epsilon", default: 1e-5))
    }

    /// MaxPool and AveragePool over 1-D or 2-D windows.
    mutating func planPooling(_ node: Node) throws {
        let x = try activation(node, 0)
        guard x.shape.count == 3 || x.shape.count == 4 else {
            throw node.invalid("only 1-D and 2-D pooling is supported; input \(x.shape)")
        }
        guard let kernel = try node.intsAttribute("kernel_shape"), kernel.count == x.shape.count - 2 else {
            throw node.invalid("kernel_shape is missing or does not match input \(x.shape)")
        }
        if node.outputs.count > 1 && !node.outputs[1].isEmpty {
            throw node.invalid("the Indices output of MaxPool is not supported")
        }
        let spatial = Array(x.shape[2...])
        let ceilMode = try node.intAttribute("ceil_mode", default: 0) != 0
        let window = try Window(node, input: spatial, kernel: kernel, ceilMode: ceilMode)
        let geometry = window.geometry(
            batch: x.shape[0], inputChannels: x.shape[1], outputChannels: x.shape[1], input: spatial,
            kernel: kernel, groups: x.shape[1])
        let y = output(node.outputs[0], shape: Array(x.shape[..<2]) + window.output)
        let threads = self.threads

        if node.opType == "MaxPool" {
            addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
                maxPool(geometry, input: table[x.buffer], output: table[y.buffer], threads: threads)
            }
            return
        }
        guard window.dilations.allSatisfy({ $0 == 1 }) else {
            throw node.invalid("AveragePool with dilations \(window.dilations) is not supported")
        }
        let includePad = try node.intAttribute("count_include_pad", default: 0) != 0
        let ends = window.padBottomRight
        addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
            averagePool(
                geometry, padBottom: ends.bottom, padRight: ends.right, countIncludePad: includePad,
                input: table[x.buffer], output: table[y.buffer], threads: threads)
        }
    }

    mutating func planGlobalAveragePool(_ node: Node) throws {
        let x = try activation(node, 0)
        guard x.shape.count >= 2 else { throw node.invalid("input \(x.shape) has no channel axis") }
        let planes = x.shape[0] * x.shape[1]
        let plane = x.shape[2...].reduce(1, *)
        let y = output(node.outputs[0], shape: Array(x.shape[..<2]) + [Int](repeating: 1, count: x.shape.count - 2))
        let threads = self.threads
        addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
            meanOfPlanes(table[x.buffer], planeCount: planes, plane: plane, output: table[y.buffer], threads: threads)
        }
    }

    /// BatchNormalization (inference) as a per-channel affine map, with Relu/Clip fused when optimizing.
    mutating func planBatchNormalization(_ node: Node) throws {
        let x = try activation(node, 0)
        guard x.shape.count >= 2 else { throw node.invalid("input \(x.shape) has no channel axis") }
        guard let affine = try batchNormAffine(node) else {
            throw RuntimeError.dynamicValue(node: node.name, value: node.inputs.dropFirst().joined(separator: ", "))
        }
        guard affine.scale.count == x.shape[1] else {
            throw node.invalid("\(affine.scale.count) scale values for \(x.shape[1]) channels of input \(x.shape)")
        }
        let (activation, name) = try fuseActivation(after: node.outputs[0])
        let y = output(name, shape: x.shape)
        let (batch, channels, plane) = (x.shape[0], x.shape[1], x.shape[2...].reduce(1, *))
        let threads = self.threads
        addStep(node, reads: [x.buffer], writes: [y.buffer]) { table in
            applyChannelAffine(
                affine, activation: activation, input: table[x.buffer], output: table[y.buffer], batch: batch,
                channels: channels, plane: plane, threads: threads)
        }
    }
}
