import LinearAlgebra

/// A labelled image data set held in memory: Float32 images in NCHW layout plus one
/// class index per image.
public struct ImageDataset: Sendable {
    /// Images, shape `[count, channels, height, width]`.
    public private(set) var images: Tensor<Float>
    /// Class index of each image, in `0..<classNames.count`.
    public let labels: [Int]
    /// Class names indexed by label.
    public let classNames: [String]

    /// Creates a data set after checking that images and labels agree.
    /// - Throws: `DatasetError.shapeMismatch` when `images` is not rank 4 or its first
    ///   extent differs from `labels.count`; `DatasetError.invalidArgument` for a label
    ///   outside `0..<classNames.count`.
    public init(images: Tensor<Float>, labels: [Int], classNames: [String]) throws {
        guard images.rank == 4 else {
            throw DatasetError.shapeMismatch(field: "images (NCHW)", expected: [labels.count, -1, -1, -1], actual: images.shape)
        }
        guard images.shape[0] == labels.count else {
            throw DatasetError.shapeMismatch(field: "labels", expected: [images.shape[0]], actual: [labels.count])
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classNames.count }) {
            throw DatasetError.invalidArgument(
                name: "label", value: "\(bad)", reason: "expected a class index below \(classNames.count)")
        }
        self.images = images
        self.labels = labels
        self.classNames = classNames
    }

    /// Number of images.
    public var count: Int { labels.count }
    public var channels: Int { images.shape[1] }
    public var height: Int { images.shape[2] }
    public var width: Int { images.shape[3] }

    /// Elements per image (`channels * height * width`).
    public var imageSize: Int { channels * height * width }

    /// Returns the images and labels at `indices`, in that order.
    public func subset(_ indices: [Int]) -> ImageDataset {
        var scalars = [Float]()
        scalars.reserveCapacity(indices.count * imageSize)
        images.scalars.withUnsafeBufferPointer { source in
            for index in indices {
                scalars.append(contentsOf: source[(index * imageSize)..<((index + 1) * imageSize)])
            }
        }
        // Labels and shape come from this data set, so the initializer cannot fail.
        return try! ImageDataset(
            images: Tensor(shape: [indices.count, channels, height, width], scalars: scalars),
            labels: indices.map { labels[$0] },
            classNames: classNames)
    }

    /// Per-channel mean and population standard deviation over all images and pixels,
    /// accumulated in `Double`.
    public func channelStatistics() -> (mean: [Float], std: [Float]) {
        let plane = height * width
        var sums = [Double](repeating: 0, count: channels)
        var squares = [Double](repeating: 0, count: channels)
        images.scalars.withUnsafeBufferPointer { pixels in
            for image in 0..<count {
                for channel in 0..<channels {
                    let start = (image * channels + channel) * plane
                    var sum = 0.0
                    var square = 0.0
                    for value in pixels[start..<(start + plane)] {
                        sum += Double(value)
                        square += Double(value) * Double(value)
                    }
                    sums[channel] += sum
                    squares[channel] += square
                }
            }
        }
        let total = Double(count * plane)
        let mean = sums.map { $0 / total }
        let std = zip(squares, mean).map { max($0 / total - $1 * $1, 0).squareRoot() }
        return (mean.map(Float.init), std.map(Float.init))
    }

    /// Returns the data set with each channel mapped to `(x - mean[c]) / std[c]`.
    /// - Throws: `DatasetError.invalidArgument` when the arrays do not have one entry per
    ///   channel or a standard deviation is not positive.
    public func normalized(mean: [Float], std: [Float]) throws -> ImageDataset {
        try Normalization(mean: mean, std: std).validate(channels: channels)
        var copy = self
        let plane = height * width
        copy.images.scalars.withUnsafeMutableBufferPointer { pixels in
            for image in 0..<count {
                for channel in 0..<channels {
                    let start = (image * channels + channel) * plane
                    let shift = mean[channel]
                    let scale = 1 / std[channel]
                    for index in start..<(start + plane) {
                        pixels[index] = (pixels[index] - shift) * scale
                    }
                }
            }
        }
        return copy
    }
}
