import Foundation
import LinearAlgebra

/// The evaluation transform of torchvision's ImageNet models: resize the shorter side,
/// centre crop, scale bytes to [0, 1], normalise per channel, and lay out as NCHW Float32.
///
/// With the defaults it equals `Resize(256)`, `CenterCrop(224)`, `ToTensor()`,
/// `Normalize(ImageNet mean, std)` applied to a Pillow RGB image.
public struct ImagePreprocessor: Sendable, Equatable {
    /// Length in pixels of the shorter side after resizing; nil skips resizing.
    public var resizeShorterSide: Int?
    /// Height and width of the centre crop; nil keeps the resized image whole.
    public var cropSize: (height: Int, width: Int)?
    public var normalization: Normalization

    public init(resizeShorterSide: Int? = 256, cropSize: Int? = 224, normalization: Normalization = .imageNet) {
        self.resizeShorterSide = resizeShorterSide
        self.cropSize = cropSize.map { ($0, $0) }
        self.normalization = normalization
    }

    public static func == (lhs: ImagePreprocessor, rhs: ImagePreprocessor) -> Bool {
        lhs.resizeShorterSide == rhs.resizeShorterSide && lhs.cropSize?.height == rhs.cropSize?.height
            && lhs.cropSize?.width == rhs.cropSize?.width && lhs.normalization == rhs.normalization
    }

    /// Decodes, resizes and crops an image file, returning the bytes before scaling.
    public func preparedImage(contentsOf url: URL) throws -> RGBImage {
        try prepare(ImageDecoder.decode(contentsOf: url))
    }

    /// Resizes and crops an image.
    /// - Throws: `DatasetError.invalidArgument` when the crop exceeds the resized image.
    public func prepare(_ image: RGBImage) throws -> RGBImage {
        var current = image
        if let side = resizeShorterSide {
            let size = Self.resizedSize(width: image.width, height: image.height, shorterSide: side)
            current = Resampling.resizeBilinear(image, width: size.width, height: size.height)
        }
        if let crop = cropSize {
            guard crop.height <= current.height, crop.width <= current.width else {
                throw DatasetError.invalidArgument(
                    name: "cropSize", value: "\(crop.height)x\(crop.width)",
                    reason: "exceeds the resized image \(current.height)x\(current.width); lower the crop or raise the resize")
            }
            let offsets = Self.centerCropOffsets(width: current.width, height: current.height, cropWidth: crop.width, cropHeight: crop.height)
            current = current.cropped(left: offsets.left, top: offsets.top, width: crop.width, height: crop.height)
        }
        return current
    }

    /// Decodes and preprocesses an image file to a `[1, 3, H, W]` tensor.
    public func tensor(contentsOf url: URL) throws -> Tensor<Float> {
        try tensor(from: ImageDecoder.decode(contentsOf: url))
    }

    /// Preprocesses an image to a `[1, 3, H, W]` tensor.
    public func tensor(from image: RGBImage) throws -> Tensor<Float> {
        let prepared = try prepare(image)
        return Tensor(shape: [1, 3, prepared.height, prepared.width], scalars: try normalizedPlanes(prepared))
    }

    /// Preprocesses several images into one `[N, 3, H, W]` batch; all must end up the same size.
    public func batch(_ images: [RGBImage]) throws -> Tensor<Float> {
        var scalars = [Float]()
        var size: (Int, Int)?
        for image in images {
            let prepared = try prepare(image)
            if let size, size != (prepared.height, prepared.width) {
                throw DatasetError.shapeMismatch(
                    field: "batch image", expected: [3, size.0, size.1], actual: [3, prepared.height, prepared.width])
            }
            size = (prepared.height, prepared.width)
            scalars += try normalizedPlanes(prepared)
        }
        return Tensor(shape: [images.count, 3, size?.0 ?? 0, size?.1 ?? 0], scalars: scalars)
    }

    /// Scales bytes by 1/255, normalises and converts HWC to CHW.
    func normalizedPlanes(_ image: RGBImage) throws -> [Float] {
        try normalization.validate(channels: 3)
        let plane = image.width * image.height
        var output = [Float](repeating: 0, count: plane * 3)
        for channel in 0..<3 {
            let mean = normalization.mean[channel]
            let inverseStd = 1 / normalization.std[channel]
            for pixel in 0..<plane {
                let value = Float(image.pixels[pixel * 3 + channel]) / 255
                output[channel * plane + pixel] = (value - mean) * inverseStd
            }
        }
        return output
    }

    /// Output size of torchvision's `Resize(side)`: the shorter side becomes `side` and the
    /// longer one `floor(side * long / short)`.
    public static func resizedSize(width: Int, height: Int, shorterSide: Int) -> (width: Int, height: Int) {
        let short = min(width, height)
        let long = max(width, height)
        let newLong = Int(Double(shorterSide * long) / Double(short))
        return width <= height ? (shorterSide, newLong) : (newLong, shorterSide)
    }

    /// Top-left corner of torchvision's `CenterCrop`: `round((size - crop) / 2)` with
    /// Python's round-half-to-even.
    public static func centerCropOffsets(width: Int, height: Int, cropWidth: Int, cropHeight: Int) -> (left: Int, top: Int) {
        let left = (Double(width - cropWidth) / 2).rounded(.toNearestOrEven)
        let top = (Double(height - cropHeight) / 2).rounded(.toNearestOrEven)
        return (Int(left), Int(top))
    }
}
