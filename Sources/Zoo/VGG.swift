/// VGG with BatchNorm (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
/// Recognition", ICLR 2015) as torchvision's `vgg*_bn` defines it.
struct VGGConfiguration {
    enum Layer { case conv(Int), maxPool }

    /// Feature layers in order: 3×3 convolutions with their output channels, and 2×2 max pools.
    var layers: [Layer]

    /// Feature layers from a list of output channels, with nil for a max pool.
    static func layers(_ channels: [Int?]) -> [Layer] {
        channels.map { $0.map(Layer.conv) ?? .maxPool }
    }

    /// Appends the network from the image `input` to the logits and returns the logits' value name.
    /// `poolKernel` is the AveragePool kernel (height, width) that replaces the 7×7 adaptive pooling.
    func build(into builder: inout NetworkBuilder, input: String, classes: Int, poolKernel: [Int]) -> String {
        var x = input
        var channels = 3
        var index = 0
        for layer in layers {
            switch layer {
            case .conv(let outChannels):
                x = builder.conv(x, module: "features.\(index)", inChannels: channels, outChannels: outChannels, kernel: 3, padding: 1, bias: true)
                x = builder.batchNorm(x, module: "features.\(index + 1)", channels: outChannels)
                x = builder.relu(x, name: "features.\(index + 2)")
                channels = outChannels
                index += 3
            case .maxPool:
                x = builder.maxPool(x, name: "features.\(index)", kernel: 2, stride: 2, padding: 0)
                index += 1
            }
        }

        x = builder.averagePool(x, name: "avgpool", kernel: poolKernel, stride: poolKernel)
        x = builder.flatten(x, name: "flatten")
        // Dropout at indices 2 and 5 is the identity in eval mode, so it gets no node.
        x = builder.linear(x, module: "classifier.0", inFeatures: channels * 7 * 7, outFeatures: 4096)
        x = builder.relu(x, name: "classifier.1")
        x = builder.linear(x, module: "classifier.3", inFeatures: 4096, outFeatures: 4096)
        x = builder.relu(x, name: "classifier.4")
        return builder.linear(x, module: "classifier.6", inFeatures: 4096, outFeatures: classes)
    }
}
