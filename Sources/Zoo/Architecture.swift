/// The torchvision architectures the zoo builds, named as `torchvision.models` names their constructors.
public enum Architecture: String, CaseIterable, Sendable {
    case resnet18, resnet50, resnet152, densenet121, densenet169, densenet201, vgg11_bn, vgg16_bn, vgg19_bn

    /// File names of the torchvision ImageNet checkpoints for this architecture, as `torch.hub` saves them.
    public var checkpointFileNames: [String] {
        switch self {
        case .resnet18: return ["resnet18-f37072fd.pth"]
        case .resnet50: return ["resnet50-0676ba61.pth", "resnet50-11ad3fa6.pth"]
        case .resnet152: return ["resnet152-394f9c45.pth"]
        case .densenet121: return ["densenet121-a639ec97.pth"]
        case .densenet169: return ["densenet169-b2777c0a.pth"]
        case .densenet201: return ["densenet201-c1103571.pth"]
        case .vgg11_bn: return ["vgg11_bn-6002323d.pth"]
        case .vgg16_bn: return ["vgg16_bn-6c64b313.pth"]
        case .vgg19_bn: return ["vgg19_bn-c79401a0.pth"]
        }
    }

    /// State dict key of the last layer's bias, whose length is the number of classes.
    public var classifierBiasKey: String {
        switch self {
        case .resnet18, .resnet50, .resnet152: return "fc.bias"
        case .densenet121, .densenet169, .densenet201: return "classifier.bias"
        case .vgg11_bn, .vgg16_bn, .vgg19_bn: return "classifier.6.bias"
        }
    }

    var isDenseNet: Bool {
        switch self {
        case .densenet121, .densenet169, .densenet201: return true
        default: return false
        }
    }

    var isVGG: Bool {
        switch self {
        case .vgg11_bn, .vgg16_bn, .vgg19_bn: return true
        default: return false
        }
    }

    var resNet: ResNetConfiguration? {
        switch self {
        case .resnet18: return ResNetConfiguration(block: .basic, layers: [2, 2, 2, 2])
        case .resnet50: return ResNetConfiguration(block: .bottleneck, layers: [3, 4, 6, 3])
        case .resnet152: return ResNetConfiguration(block: .bottleneck, layers: [3, 8, 36, 3])
        default: return nil
        }
    }

    var denseNet: DenseNetConfiguration? {
        switch self {
        case .densenet121: return DenseNetConfiguration(blockLayers: [6, 12, 24, 16])
        case .densenet169: return DenseNetConfiguration(blockLayers: [6, 12, 32, 32])
        case .densenet201: return DenseNetConfiguration(blockLayers: [6, 12, 48, 32])
        default: return nil
        }
    }

    /// Configurations A, D and E of the VGG paper; nil marks a 2×2 max pool.
    var vgg: VGGConfiguration? {
        switch self {
        case .vgg11_bn:
            return VGGConfiguration(layers: VGGConfiguration.layers([64, nil, 128, nil, 256, 256, nil, 512, 512, nil, 512, 512, nil]))
        case .vgg16_bn:
            return VGGConfiguration(layers: VGGConfiguration.layers([
                64, 64, nil, 128, 128, nil, 256, 256, 256, nil, 512, 512, 512, nil, 512, 512, 512, nil,
            ]))
        case .vgg19_bn:
            return VGGConfiguration(layers: VGGConfiguration.layers([
                64, 64, nil, 128, 128, nil, 256, 256, 256, 256, nil, 512, 512, 512, 512, nil, 512, 512, 512, 512, nil,
            ]))
        default: return nil
        }
    }
}
