import Foundation
import LinearAlgebra

/// A folder of labelled images with one subfolder per class, as torchvision's
/// `ImageFolder` reads it: class names are the subfolder names in sorted order and a
/// class's index is its position in that order.
public struct ImageFolder: Sendable {
    /// File extensions read as images (compared case-insensitively).
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    public let root: URL
    /// Subfolder names in sorted order; the label of a class is its index here.
    public let classNames: [String]
    /// Every image file with its label, sorted by class and then by file name.
    public let samples: [(url: URL, label: Int)]

    /// Lists the classes and image files below `root`. Hidden entries and files with other
    /// extensions are skipped.
    /// - Throws: `DatasetError.io` when `root` cannot be listed,
    ///   `DatasetError.datasetMissing` when it has no class subfolder.
    public init(root: URL) throws {
        self.root = root
        let classes = try Self.listing(root).filter { Self.isDirectory($0) }
        guard !classes.isEmpty else {
            throw DatasetError.datasetMissing(
                name: "image folder", path: root.path, hint: "expected one subfolder of images per class")
        }
        classNames = classes.map(\.lastPathComponent)

        var samples: [(url: URL, label: Int)] = []
        for (label, folder) in classes.enumerated() {
            let files = try Self.listing(folder).filter {
                Self.imageExtensions.contains($0.pathExtension.lowercased()) && !Self.isDirectory($0)
            }
            samples += files.map { ($0, label) }
        }
        self.samples = samples
    }

    /// Number of images.
    public var count: Int { samples.count }

    /// Decodes and preprocesses every image into an in-memory data set. The preprocessor
    /// must produce one size for all images (set a crop size for photos of mixed sizes).
    public func load(preprocessor: ImagePreprocessor) throws -> ImageDataset {
        var scalars = [Float]()
        var imageShape: [Int]?
        for sample in samples {
            let tensor = try preprocessor.tensor(contentsOf: sample.url)
            let shape = Array(tensor.shape.dropFirst())
            if let imageShape, imageShape != shape {
                throw DatasetError.shapeMismatch(field: sample.url.path, expected: imageShape, actual: shape)
            }
            imageShape = shape
            scalars += tensor.scalars
        }
        let shape = [samples.count] + (imageShape ?? [3, 0, 0])
        return try ImageDataset(images: Tensor(shape: shape, scalars: scalars), labels: samples.map(\.label), classNames: classNames)
    }

    private static func listing(_ folder: URL) throws -> [URL] {
        do {
            return try FileManager.default
                .contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw DatasetError.io(path: folder.path, reason: "cannot list folder: \(error.localizedDescription)")
        }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true
    }
}

extension ImageFolder {
    /// Returns batches that decode and preprocess their images only when reached, for image
    /// folders too large to hold in memory as Float32 (ImageNet's validation set at 224×224
    /// would need about 30 GB).
    /// - Parameter shuffleSeed: a seed to shuffle the file order with, or nil for sorted order.
    public func lazyBatches(batchSize: Int, preprocessor: ImagePreprocessor, shuffleSeed: UInt64? = nil) -> ImageFolderBatches {
        ImageFolderBatches(folder: self, batchSize: batchSize, preprocessor: preprocessor, shuffleSeed: shuffleSeed)
    }
}

/// Batches of an `ImageFolder`, decoded on demand. Iteration stops at the first image that
/// fails to decode, and `error` then contains that error.
public struct ImageFolderBatches: Sequence, IteratorProtocol {
    public let folder: ImageFolder
    public let batchSize: Int
    public let preprocessor: ImagePreprocessor
    private let order: [Int]
    private var position = 0
    /// The error that ended iteration early, or nil.
    public private(set) var error: Error?

    init(folder: ImageFolder, batchSize: Int, preprocessor: ImagePreprocessor, shuffleSeed: UInt64?) {
        precondition(batchSize > 0, "batchSize must be positive, got \(batchSize)")
        self.folder = folder
        self.batchSize = batchSize
        self.preprocessor = preprocessor
        var order = Array(0..<folder.count)
        if let shuffleSeed {
            var generator = SeededGenerator(seed: shuffleSeed)
            order.shuffle(using: &generator)
        }
        self.order = order
    }

    /// Number of batches in total, the last one possibly smaller.
    public var batchCount: Int { (order.count + batchSize - 1) / batchSize }

    public mutating func next() -> Batch? {
        guard error == nil, position < order.count else { return nil }
        let indices = Array(order[position..<Swift.min(position + batchSize, order.count)])
        position += indices.count
        do {
            let images = try indices.map { try ImageDecoder.decode(contentsOf: folder.samples[$0].url) }
            let tensor = try preprocessor.batch(images)
            return Batch(images: tensor, labels: indices.map { folder.samples[$0].label }, indices: indices)
        } catch {
            self.error = error
            return nil
        }
    }
}
