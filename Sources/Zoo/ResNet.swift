/// ResNet (He, Zhang, Ren and Sun, "Deep Residual Learning for Image Recognition", CVPR 2016) as
/// torchvision defines it: the v1.5 variant, whose Bottleneck puts the stride on the 3×3 convolution.
struct ResNetConfiguration {
    enum Block { case basic, bottleneck }

    var block: Block
    /// Number of blocks in layer1 … layer4.
    var layers: [Int]

    /// Output channels of a block are `planes · expansion`.
    var expansion: Int { block == .basic ? 1 : 4 }

    /// Appends the network from the image `input` to the logits and returns the logits' value name.
    func build(into builder: inout NetworkBuilder, input: String, classes: Int) -> String {
        var x = builder.conv(input, module: "conv1", inChannels: 3, outChannels: 64, kernel: 7, stride: 2, padding: 3)
        x = builder.batchNorm(x, module: "bn1", channels: 64)
        x = builder.relu(x, name: "relu")
        x = builder.maxPool(x, name: "maxpool", kernel: 3, stride: 2, padding: 1)

        var inChannels = 64
        for (index, blocks) in layers.enumerated() {
            let planes = 64 << index
            for blockIndex in 0..<blocks {
                let stride = index > 0 && blockIndex == 0 ? 2 : 1
                let module = "layer\(index + 1).\(blockIndex)"
                x = residualBlock(x, module: module, inChannels: inChannels, planes: planes, stride: stride, into: &builder)
                inChannels = planes * expansion
            }
        }

        x = builder.globalAveragePool(x, name: "avgpool")
        x = builder.flatten(x, name: "flatten")
        return builder.linear(x, module: "fc", inFeatures: inChannels, outFeatures: classes)
    }

    /// Appends one BasicBlock or Bottleneck. The shortcut is a 1×1 convolution plus BatchNorm (`downsample`)
    /// when the stride or the channel count changes, and it comes after the main path, in the order of
    /// torchvision's forward pass.
    private func residualBlock(
        _ input: String, module: String, inChannels: Int, planes: Int, stride: Int, into builder: inout NetworkBuilder
    ) -> String {
        let outChannels = planes * expansion
        var x: String
        switch block {
        case .basic:
            x = builder.conv(input, module: "\(module).conv1", inChannels: inChannels, outChannels: planes, kernel: 3, stride: stride, padding: 1)
            x = builder.batchNorm(x, module: "\(module).bn1", channels: planes)
            x = builder.relu(x, name: "\(module).relu")
            x = builder.conv(x, module: "\(module).conv2", inChannels: planes, outChannels: planes, kernel: 3, padding: 1)
            x = builder.batchNorm(x, module: "\(module).bn2", channels: planes)
        case .bottleneck:
            x = builder.conv(input, module: "\(module).conv1", inChannels: inChannels, outChannels: planes, kernel: 1)
            x = builder.batchNorm(x, module: "\(module).bn1", channels: planes)
            x = builder.relu(x, name: "\(module).relu")
            x = builder.conv(x, module: "\(module).conv2", inChannels: planes, outChannels: planes, kernel: 3, stride: stride, padding: 1)
            x = builder.batchNorm(x, module: "\(module).bn2", channels: planes)
            x = builder.relu(x, name: "\(module).relu")
            x = builder.conv(x, module: "\(module).conv3", inChannels: planes, outChannels: outChannels, kernel: 1)
            x = builder.batchNorm(x, module: "\(module).bn3", channels: outChannels)
        }

        var shortcut = input
        if stride != 1 || inChannels != outChannels {
            shortcut = builder.conv(input, module: "\(module).downsample.0", inChannels: inChannels, outChannels: outChannels, kernel: 1, stride: stride)
            shortcut = builder.batchNorm(shortcut, module: "\(module).downsample.1", channels: outChannels)
        }
        x = builder.add(x, shortcut, name: "\(module).add")
        return builder.relu(x, name: "\(module).relu")
    }
}
