import Datasets
import Foundation

/// Labelled 8-bit images in NCHW order, as small image-classification sets ship them.
public struct ImageDataset: Sendable {
    /// [count · channels · height · width] pixels, 0–255.
    public var pixels: [UInt8]
    public var labels: [Int]
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(pixels: [UInt8], labels: [Int], channels: Int, height: Int, width: Int) {
        precondition(pixels.count == labels.count * channels * height * width, "pixel count does not match \(labels.count) images")
        self.pixels = pixels
        self.labels = labels
        self.channels = channels
        self.height = height
        self.width = width
    }

    public var count: Int { labels.count }
    var imageSize: Int { channels * height * width }

    /// The images at the given positions, in that order.
    public func subset(_ indices: some Sequence<Int>) -> ImageDataset {
        var pixels: [UInt8] = []
        var labels: [Int] = []
        for index in indices {
            pixels.append(contentsOf: self.pixels[(index * imageSize)..<((index + 1) * imageSize)])
            labels.append(self.labels[index])
        }
        return ImageDataset(pixels: pixels, labels: labels, channels: channels, height: height, width: width)
    }

    /// Reads a Fashion-MNIST (or MNIST) split from IDX files, gzip-compressed or not:
    /// `train-images-idx3-ubyte[.gz]` and `train-labels-idx1-ubyte[.gz]`, or the `t10k-` pair,
    /// through the Datasets module's IDX reader.
    ///
    /// - Throws: `TrainingError.invalidDataset` when a file is missing (the message names the
    ///   Debian package) or images and labels disagree. `DatasetError` when a file is truncated
    ///   or not IDX.
    public static func fashionMNIST(directory: URL, split: Split) throws -> ImageDataset {
        let prefix = split == .train ? "train" : "t10k"
        let images = try IDXFile.read(locate(directory, "\(prefix)-images-idx3-ubyte"))
        let labels = try IDXFile.read(locate(directory, "\(prefix)-labels-idx1-ubyte"))
        guard images.shape.count == 3, labels.shape.count == 1, images.shape[0] == labels.shape[0] else {
            throw TrainingError.invalidDataset(
                path: directory.path, detail: "image dims \(images.shape) do not match label dims \(labels.shape)")
        }
        return ImageDataset(
            pixels: images.values, labels: labels.values.map(Int.init), channels: 1,
            height: images.shape[1], width: images.shape[2])
    }

    public enum Split: Sendable { case train, test }

    private static func locate(_ directory: URL, _ name: String) throws -> URL {
        for candidate in [name, name + ".gz"] {
            let url = directory.appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw TrainingError.invalidDataset(
            path: directory.appendingPathComponent(name).path,
            detail: "file not found (also tried .gz); install the Debian package dataset-fashion-mnist "
                + "(apt-get install dataset-fashion-mnist) or pass the folder holding the IDX files")
    }
}
