/// The torchvision architectures the zoo builds.
public enum Architecture: String, CaseIterable, Sendable {
    case resnet18, resnet50, resnet152, densenet121, densenet169, densenet201, vgg11_bn, vgg16_bn, vgg19_bn
}
