import Foundation
import Graph

/// Builder of ResNet-18 (He, Zhang, Ren and Sun, 2016) in the BasicBlock [2, 2, 2, 2] topology
/// for small grayscale images. The stem is a 3×3 stride-1 Conv without max-pool. Four stages of
/// width base, 2·base, 4·base and 8·base follow, and stages 2–4 halve the resolution.
/// GlobalAveragePool and a Gemm classifier end the network.
public enum ResNetBuilder {
    /// Returns the network as an IR model with Conv (no bias) → BatchNormalization → Relu units.
    ///
    /// Conv weights are He-initialised (normal, std sqrt(2 / fan_out)) from `seed`, and the
    /// classifier is uniform in ±1/sqrt(fan_in). Each block's last BatchNormalization scale starts
    /// at zero, so every residual block starts as the identity (Goyal et al., 2017).
    ///
    /// - Parameters:
    ///   - inputShape: [channels, height, width] of one image, e.g. [1, 28, 28].
    ///   - baseWidth: channels of the stem and the first stage.
    public static func resNet18(
        inputShape: [Int] = [1, 28, 28], classes: Int = 10, baseWidth: Int = 16, seed: UInt64 = 0
    ) -> Model {
        var builder = GraphBuilder(seed: seed)
        var current = "input"
        current = builder.convUnit(current, name: "conv1", inputChannels: inputShape[0], outputChannels: baseWidth, kernel: 3, stride: 1)
        var channels = baseWidth
        for stage in 0..<4 {
            let width = baseWidth << stage
            for block in 0..<2 {
                let stride = (stage > 0 && block == 0) ? 2 : 1
                current = builder.basicBlock(
                    current, name: "layer\(stage + 1).\(block)", inputChannels: channels, outputChannels: width, stride: stride)
                channels = width
            }
        }
        current = builder.add("GlobalAveragePool", name: "avgpool", inputs: [current])
        current = builder.add("Flatten", name: "flatten", inputs: [current], attributes: ["axis": .int(1)])
        let logits = builder.linear(current, name: "fc", inputFeatures: channels, outputFeatures: classes)

        let graph = Graph(
            name: "resnet18",
            nodes: builder.nodes,
            initializers: builder.initializers,
            inputs: [ValueInfo(name: "input", elementType: .float, shape: [.symbolic("batch")] + inputShape.map { .known($0) })],
            outputs: [ValueInfo(name: logits, elementType: .float, shape: [.symbolic("batch"), .known(classes)])])
        return Model(graph: graph, opsets: ["": 17])
    }
}

/// Accumulates nodes and initializers with He-initialised weights.
struct GraphBuilder {
    var nodes: [Node] = []
    var initializers: [String: TensorData] = [:]
    var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: mixSeed(seed, 0x5245_534E))
    }

    /// Appends a node whose single output is named after it, and returns that output name.
    mutating func add(_ opType: String, name: String, inputs: [String], attributes: [String: Attribute] = [:]) -> String {
        nodes.append(Node(name: name, opType: opType, inputs: inputs, outputs: [name], attributes: attributes))
        return name
    }

    mutating func convolution(_ input: String, name: String, inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int) -> String {
        let fanOut = Double(outputChannels * kernel * kernel)
        let deviation = Float((2 / fanOut).squareRoot())
        let count = outputChannels * inputChannels * kernel * kernel
        let weights = (0..<count).map { _ in Float(generator.nextNormal()) * deviation }
        initializers["\(name).weight"] = TensorData(floats: weights, shape: [outputChannels, inputChannels, kernel, kernel])
        let pad = kernel / 2
        return add(
            "Conv", name: name, inputs: [input, "\(name).weight"],
            attributes: [
                "kernel_shape": .ints([kernel, kernel]), "strides": .ints([stride, stride]),
                "pads": .ints([pad, pad, pad, pad]), "dilations": .ints([1, 1]), "group": .int(1),
            ])
    }

    mutating func batchNormalization(_ input: String, name: String, channels: Int, initialScale: Float = 1) -> String {
        initializers["\(name).weight"] = TensorData(floats: [Float](repeating: initialScale, count: channels), shape: [channels])
        initializers["\(name).bias"] = TensorData(floats: [Float](repeating: 0, count: channels), shape: [channels])
        initializers["\(name).running_mean"] = TensorData(floats: [Float](repeating: 0, count: channels), shape: [channels])
        initializers["\(name).running_var"] = TensorData(floats: [Float](repeating: 1, count: channels), shape: [channels])
        return add(
            "BatchNormalization", name: name,
            inputs: [input, "\(name).weight", "\(name).bias", "\(name).running_mean", "\(name).running_var"],
            attributes: ["epsilon": .float(1e-5), "momentum": .float(0.9)])
    }

    /// Conv → BatchNormalization → Relu, with the BatchNormalization named after the Conv.
    mutating func convUnit(_ input: String, name: String, inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int) -> String {
        let conv = convolution(input, name: name, inputChannels: inputChannels, outputChannels: outputChannels, kernel: kernel, stride: stride)
        let bn = batchNormalization(conv, name: name.replacingOccurrences(of: "conv", with: "bn"), channels: outputChannels)
        return add("Relu", name: "\(name)/relu", inputs: [bn])
    }

    /// BasicBlock: two 3×3 units with a residual connection; a 1×1 strided projection
    /// shortcut when the shape changes.
    mutating func basicBlock(_ input: String, name: String, inputChannels: Int, outputChannels: Int, stride: Int) -> String {
        let first = convUnit(input, name: "\(name).conv1", inputChannels: inputChannels, outputChannels: outputChannels, kernel: 3, stride: stride)
        let conv2 = convolution(first, name: "\(name).conv2", inputChannels: outputChannels, outputChannels: outputChannels, kernel: 3, stride: 1)
        let bn2 = batchNormalization(conv2, name: "\(name).bn2", channels: outputChannels, initialScale: 0)
        var shortcut = input
        if stride != 1 || inputChannels != outputChannels {
            let projection = convolution(
                input, name: "\(name).downsample.0", inputChannels: inputChannels, outputChannels: outputChannels, kernel: 1, stride: stride)
            shortcut = batchNormalization(projection, name: "\(name).downsample.1", channels: outputChannels)
        }
        let sum = add("Add", name: "\(name)/add", inputs: [bn2, shortcut])
        return add("Relu", name: "\(name)/relu", inputs: [sum])
    }

    /// Gemm with transB = 1, weight [out, in] and bias [out], both uniform in ±1/sqrt(in).
    mutating func linear(_ input: String, name: String, inputFeatures: Int, outputFeatures: Int) -> String {
        let bound = 1 / Float(inputFeatures).squareRoot()
        let weights = (0..<(outputFeatures * inputFeatures)).map { _ in (generator.nextUnitFloat() * 2 - 1) * bound }
        let bias = (0..<outputFeatures).map { _ in (generator.nextUnitFloat() * 2 - 1) * bound }
        initializers["\(name).weight"] = TensorData(floats: weights, shape: [outputFeatures, inputFeatures])
        initializers["\(name).bias"] = TensorData(floats: bias, shape: [outputFeatures])
        return add("Gemm", name: name, inputs: [input, "\(name).weight", "\(name).bias"], attributes: ["transB": .int(1)])
    }
}
