import CZlib
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
    /// `train-images-idx3-ubyte[.gz]` and `train-labels-idx1-ubyte[.gz]`, or the `t10k-` pair.
    ///
    /// - Throws: `TrainingError.invalidDataset` when a file is missing, truncated, or has the wrong magic number.
    public static func fashionMNIST(directory: URL, split: Split) throws -> ImageDataset {
        let prefix = split == .train ? "train" : "t10k"
        let images = try readIDX(locate(directory, "\(prefix)-images-idx3-ubyte"), expectedMagic: 0x0803)
        let labels = try readIDX(locate(directory, "\(prefix)-labels-idx1-ubyte"), expectedMagic: 0x0801)
        guard images.dimensions.count == 3, labels.dimensions.count == 1, images.dimensions[0] == labels.dimensions[0] else {
            throw TrainingError.invalidDataset(
                path: directory.path, detail: "image dims \(images.dimensions) do not match label dims \(labels.dimensions)")
        }
        return ImageDataset(
            pixels: images.payload, labels: labels.payload.map(Int.init), channels: 1,
            height: images.dimensions[1], width: images.dimensions[2])
    }

    public enum Split: Sendable { case train, test }

    private static func locate(_ directory: URL, _ name: String) throws -> URL {
        for candidate in [name, name + ".gz"] {
            let url = directory.appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw TrainingError.invalidDataset(path: directory.appendingPathComponent(name).path, detail: "file not found (also tried .gz)")
    }

    private static func readIDX(_ url: URL, expectedMagic: UInt32) throws -> (dimensions: [Int], payload: [UInt8]) {
        let bytes = try decompress(url)
        func word(_ offset: Int) -> Int {
            Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        }
        guard bytes.count >= 4, UInt32(word(0)) == expectedMagic else {
            throw TrainingError.invalidDataset(path: url.path, detail: "IDX magic is not 0x\(String(expectedMagic, radix: 16))")
        }
        let rank = Int(bytes[3])
        guard bytes.count >= 4 + 4 * rank else { throw TrainingError.invalidDataset(path: url.path, detail: "header truncated") }
        let dimensions = (0..<rank).map { word(4 + 4 * $0) }
        let start = 4 + 4 * rank
        let count = dimensions.reduce(1, *)
        guard bytes.count >= start + count else {
            throw TrainingError.invalidDataset(path: url.path, detail: "needs \(start + count) bytes, has \(bytes.count)")
        }
        return (dimensions, Array(bytes[start..<(start + count)]))
    }

    /// Returns the file's bytes, gunzipped through zlib when the name ends in .gz.
    private static func decompress(_ url: URL) throws -> [UInt8] {
        guard url.pathExtension == "gz" else {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw TrainingError.invalidDataset(path: url.path, detail: "cannot read file")
            }
            return [UInt8](data)
        }
        guard let file = gzopen(url.path, "rb") else {
            throw TrainingError.invalidDataset(path: url.path, detail: "cannot open gzip file")
        }
        defer { gzclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let read = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if read < 0 { throw TrainingError.invalidDataset(path: url.path, detail: "gzip stream is corrupt") }
            if read == 0 { break }
            result.append(contentsOf: chunk[0..<Int(read)])
        }
        return result
    }
}
