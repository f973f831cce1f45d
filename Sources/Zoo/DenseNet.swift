/// DenseNet-BC (Huang, Liu, van der Maaten and Weinberger, "Densely Connected Convolutional Networks",
/// CVPR 2017) as torchvision defines it, with pre-activation BatchNorm → ReLU → Conv in every layer.
struct DenseNetConfiguration {
    /// Number of dense layers in each of the four dense blocks.
    var blockLayers: [Int]
    var growthRate = 32
    /// Bottleneck width factor: each layer's 1×1 convolution produces `bottleneckFactor · growthRate` channels.
    var bottleneckFactor = 4
    var initialFeatures = 64

    /// Appends the network from the image `input` to the logits and returns the logits' value name.
    func build(into builder: inout NetworkBuilder, input: String, classes: Int) -> String {
        var x = builder.conv(input, module: "features.conv0", inChannels: 3, outChannels: initialFeatures, kernel: 7, stride: 2, padding: 3)
        x = builder.batchNorm(x, module: "features.norm0", channels: initialFeatures)
        x = builder.relu(x, name: "features.relu0")
        x = builder.maxPool(x, name: "features.pool0", kernel: 3, stride: 2, padding: 1)

        var channels = initialFeatures
        for (index, layers) in blockLayers.enumerated() {
            let block = "features.denseblock\(index + 1)"
            x = denseBlock(x, module: block, inChannels: channels, layers: layers, into: &builder)
            channels += layers * growthRate
            if index < blockLayers.count - 1 {
                x = transition(x, module: "features.transition\(index + 1)", inChannels: channels, into: &builder)
                channels /= 2
            }
        }

        x = builder.batchNorm(x, module: "features.norm5", channels: channels)
        x = builder.relu(x, name: "relu")
        x = builder.globalAveragePool(x, name: "avgpool")
        x = builder.flatten(x, name: "flatten")
        return builder.linear(x, module: "classifier", inFeatures: channels, outFeatures: classes)
    }

    /// Appends a dense block: each layer reads the concatenation of the block input and every earlier layer's
    /// output, and the block returns the concatenation of all of them. torchvision concatenates anew in
    /// each layer (a one-input Concat for the first), and so does this graph.
    private func denseBlock(_ input: String, module: String, inChannels: Int, layers: Int, into builder: inout NetworkBuilder) -> String {
        var features = [input]
        for layerIndex in 0..<layers {
            let layer = "\(module).denselayer\(layerIndex + 1)"
            let layerChannels = inChannels + layerIndex * growthRate
            let bottleneckChannels = bottleneckFactor * growthRate

            var x = builder.concat(features, name: "\(layer).concat")
            x = builder.batchNorm(x, module: "\(layer).norm1", channels: layerChannels)
            x = builder.relu(x, name: "\(layer).relu1")
            x = builder.conv(x, module: "\(layer).conv1", inChannels: layerChannels, outChannels: bottleneckChannels, kernel: 1)
            x = builder.batchNorm(x, module: "\(layer).norm2", channels: bottleneckChannels)
            x = builder.relu(x, name: "\(layer).relu2")
            x = builder.conv(x, module: "\(layer).conv2", inChannels: bottleneckChannels, outChannels: growthRate, kernel: 3, padding: 1)
            features.append(x)
        }
        return builder.concat(features, name: "\(module).concat")
    }

    /// Appends a transition: BatchNorm → ReLU → 1×1 convolution halving the channels → 2×2 average pooling.
    private func transition(_ input: String, module: String, inChannels: Int, into builder: inout NetworkBuilder) -> String {
        var x = builder.batchNorm(input, module: "\(module).norm", channels: inChannels)
        x = builder.relu(x, name: "\(module).relu")
        x = builder.conv(x, module: "\(module).conv", inChannels: inChannels, outChannels: inChannels / 2, kernel: 1)
        return builder.averagePool(x, name: "\(module).pool", kernel: [2, 2], stride: [2, 2])
    }
}
