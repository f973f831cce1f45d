/// Training-time augmentation of NCHW images: random crop after zero padding and
/// random horizontal flip, as used for CIFAR-style training (He et al., "Deep Residual
/// Learning for Image Recognition", 2016).
public struct Augmentation: Sendable, Equatable {
    /// Pixels of zeros added on each side before a crop of the original size is taken at
    /// a random offset; 0 disables the crop. Zeros are in the stored value domain, so on
    /// normalised images the border equals the channel mean.
    public var cropPadding: Int
    /// Mirror each image left to right with probability 1/2.
    public var horizontalFlip: Bool

    public static let none = Augmentation(cropPadding: 0, horizontalFlip: false)

    public init(cropPadding: Int = 0, horizontalFlip: Bool = false) {
        precondition(cropPadding >= 0, "cropPadding must be non-negative, got \(cropPadding)")
        self.cropPadding = cropPadding
        self.horizontalFlip = horizontalFlip
    }

    /// True when the augmentation leaves images unchanged.
    public var isIdentity: Bool { cropPadding == 0 && !horizontalFlip }

    /// Augments one CHW image of `channels * height * width` values in place.
    public func apply<G: RandomNumberGenerator>(
        to image: inout [Float], channels: Int, height: Int, width: Int, using generator: inout G
    ) {
        if cropPadding > 0 {
            let top = Int.random(in: 0...(2 * cropPadding), using: &generator) - cropPadding
            let left = Int.random(in: 0...(2 * cropPadding), using: &generator) - cropPadding
            image = Self.shifted(image, channels: channels, height: height, width: width, top: top, left: left)
        }
        if horizontalFlip, Bool.random(using: &generator) {
            Self.flipHorizontally(&image, rows: channels * height, width: width)
        }
    }

    /// Crops the zero-padded image at offset (`top`, `left`) relative to the original corner:
    /// output pixel (y, x) takes input (y + top, x + left), or 0 outside the image.
    static func shifted(_ image: [Float], channels: Int, height: Int, width: Int, top: Int, left: Int) -> [Float] {
        var output = [Float](repeating: 0, count: image.count)
        let columnStart = max(0, -left)
        let columnEnd = min(width, width - left)
        guard columnStart < columnEnd else { return output }
        image.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for channel in 0..<channels {
                    for y in max(0, -top)..<min(height, height - top) {
                        let outputRow = (channel * height + y) * width
                        let inputRow = (channel * height + y + top) * width
                        for x in columnStart..<columnEnd {
                            destination[outputRow + x] = source[inputRow + x + left]
                        }
                    }
                }
            }
        }
        return output
    }

    static func flipHorizontally(_ image: inout [Float], rows: Int, width: Int) {
        image.withUnsafeMutableBufferPointer { pixels in
            for row in 0..<rows {
                let start = row * width
                var left = start
                var right = start + width - 1
                while left < right {
                    pixels.swapAt(left, right)
                    left += 1
                    right -= 1
                }
            }
        }
    }
}
