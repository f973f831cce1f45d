/// Choices that change the graph a zoo builder produces.
public struct ZooOptions: Equatable, Sendable {
    /// Length of the logits, the last layer's output features.
    public var classes: Int
    /// Input image height and width in pixels. ResNet and DenseNet accept any size from 32; VGG needs a
    /// final feature map (size / 32, rounded down) that is a multiple of 7, such as 224–255 or 448–479.
    public var inputHeight: Int
    public var inputWidth: Int
    /// Keeps every BatchNormalization node instead of folding those that follow a Conv into the Conv.
    public var keepBatchNorm: Bool

    public init(classes: Int = 1000, inputHeight: Int = 224, inputWidth: Int = 224, keepBatchNorm: Bool = false) {
        self.classes = classes
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.keepBatchNorm = keepBatchNorm
    }

    /// Checks the options and throws `ZooError` when the class count or the input size does not fit `architecture`,
    /// and returns the kernel of the AveragePool that replaces VGG's adaptive pooling (nil for other architectures).
    func validated(for architecture: Architecture) throws -> [Int]? {
        guard classes >= 1 else { throw ZooError.invalidClassCount(classes) }
        guard inputHeight >= 32, inputWidth >= 32 else {
            throw ZooError.invalidInputSize(height: inputHeight, width: inputWidth, reason: "height and width must be 32 or more")
        }
        guard architecture.isVGG else { return nil }

        // Five 2×2 max pools leave a feature map of size / 32 (rounded down). Adaptive average pooling
        // from s to 7 is a plain AveragePool with kernel and stride s / 7 exactly when 7 divides s.
        let featureSize = [inputHeight / 32, inputWidth / 32]
        guard featureSize.allSatisfy({ $0 % 7 == 0 }) else {
            throw ZooError.invalidInputSize(
                height: inputHeight, width: inputWidth,
                reason: "VGG's 7x7 adaptive average pooling is supported only when height / 32 and width / 32 "
                    + "(here \(featureSize[0]) and \(featureSize[1])) are multiples of 7; use a size such as 224 or 448")
        }
        return featureSize.map { $0 / 7 }
    }
}
