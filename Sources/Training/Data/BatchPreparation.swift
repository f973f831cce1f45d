import Graph
import LinearAlgebra

/// Per-channel input normalization: x = (pixel · scale − mean) / std.
public struct InputNormalization: Sendable, Equatable {
    /// Multiplier applied to raw 0–255 pixels first (1/255 maps them to [0, 1]).
    public var scale: Float
    public var mean: [Float]
    public var std: [Float]

    public init(scale: Float = 1 / 255, mean: [Float], std: [Float]) {
        self.scale = scale
        self.mean = mean
        self.std = std
    }

    /// Fashion-MNIST training-set statistics of pixel/255: mean 0.2860, std 0.3530.
    public static let fashionMNIST = InputNormalization(mean: [0.2860], std: [0.3530])

    /// Model metadata entries that record this normalization for evaluation:
    /// `factorize.input.scale`, `factorize.input.mean`, `factorize.input.std` (comma-separated per channel).
    public var metadata: [(key: String, value: String)] {
        [
            ("factorize.input.scale", "\(scale)"),
            ("factorize.input.mean", mean.map { "\($0)" }.joined(separator: ",")),
            ("factorize.input.std", std.map { "\($0)" }.joined(separator: ",")),
            ("factorize.input.layout", "NCHW"),
        ]
    }
}

/// Random crop after zero padding plus horizontal flip, the standard augmentation for
/// 28×28 and 32×32 image sets.
public struct Augmentation: Sendable, Equatable {
    /// Zero padding on every side before the random crop back to the original size; 0 disables cropping.
    public var cropPadding: Int
    public var horizontalFlip: Bool

    public init(cropPadding: Int = 4, horizontalFlip: Bool = true) {
        self.cropPadding = cropPadding
        self.horizontalFlip = horizontalFlip
    }

    public static let none = Augmentation(cropPadding: 0, horizontalFlip: false)
}

extension ImageDataset {
    /// Builds one normalized NCHW float batch from the images at `indices`, augmenting
    /// each image with draws from `generator` unless `augmentation` is `.none`.
    func batch(
        _ indices: ArraySlice<Int>, normalization: InputNormalization, augmentation: Augmentation,
        generator: inout SplitMix64
    ) -> (input: Tensor<Float>, labels: [Int]) {
        let size = imageSize
        let plane = height * width
        var scalars = [Float](repeating: 0, count: indices.count * size)
        var labels: [Int] = []
        labels.reserveCapacity(indices.count)
        let pad = augmentation.cropPadding
        for (slot, index) in indices.enumerated() {
            labels.append(self.labels[index])
            let dy = pad > 0 ? Int(generator.next() % UInt64(2 * pad + 1)) - pad : 0
            let dx = pad > 0 ? Int(generator.next() % UInt64(2 * pad + 1)) - pad : 0
            let flip = augmentation.horizontalFlip && generator.next() & 1 == 1
            for channel in 0..<channels {
                let mean = normalization.mean[channel % normalization.mean.count]
                let std = normalization.std[channel % normalization.std.count]
                let zero = (0 - mean) / std
                let source = index * size + channel * plane
                let destination = slot * size + channel * plane
                for y in 0..<height {
                    let sy = y + dy
                    for x in 0..<width {
                        let sx0 = flip ? width - 1 - x : x
                        let sx = sx0 + dx
                        let value: Float
                        if sy < 0 || sy >= height || sx < 0 || sx >= width {
                            value = zero
                        } else {
                            value = (Float(pixels[source + sy * width + sx]) * normalization.scale - mean) / std
                        }
                        scalars[destination + y * width + x] = value
                    }
                }
            }
        }
        return (Tensor(shape: [indices.count, channels, height, width], scalars: scalars), labels)
    }
}
