import Foundation
import LinearAlgebra

/// Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28×28 grayscale images of clothing
/// in 10 classes, 60 000 for training and 10 000 for testing.
public enum FashionMNIST {
    /// Folder where Debian's `dataset-fashion-mnist` package installs the files.
    public static let defaultDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")

    /// Class names in label order.
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    public enum Split: String, Sendable, CaseIterable {
        case train
        case test

        /// File name prefix: `train` or `t10k`.
        var filePrefix: String { self == .train ? "train" : "t10k" }
        /// Number of images the published split holds.
        public var expectedCount: Int { self == .train ? 60_000 : 10_000 }
    }

    /// Loads one split as images of shape `[N, 1, 28, 28]` with values in [0, 1]
    /// (byte / 255) and labels 0–9.
    /// - Throws: `DatasetError.datasetMissing` naming the Debian package when a file is absent;
    ///   `DatasetError.shapeMismatch` when images and labels disagree or images are not 28×28.
    public static func load(split: Split, directory: URL = defaultDirectory) throws -> ImageDataset {
        let imagesURL = directory.appendingPathComponent("\(split.filePrefix)-images-idx3-ubyte.gz")
        let labelsURL = directory.appendingPathComponent("\(split.filePrefix)-labels-idx1-ubyte.gz")
        for url in [imagesURL, labelsURL] where !FileManager.default.fileExists(atPath: url.path) {
            throw DatasetError.datasetMissing(
                name: "Fashion-MNIST", path: url.path,
                hint: "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) "
                    + "or pass the folder holding the four .gz files")
        }

        let images = try IDXFile.read(imagesURL)
        let labels = try IDXFile.read(labelsURL)
        guard images.shape.count == 3, images.shape[1] == 28, images.shape[2] == 28 else {
            throw DatasetError.shapeMismatch(field: imagesURL.path, expected: [-1, 28, 28], actual: images.shape)
        }
        guard labels.shape == [images.shape[0]] else {
            throw DatasetError.shapeMismatch(field: labelsURL.path, expected: [images.shape[0]], actual: labels.shape)
        }
        if let bad = labels.values.first(where: { $0 >= classNames.count }) {
            throw DatasetError.invalidHeader(
                path: labelsURL.path, field: "label", value: "\(bad)", reason: "Fashion-MNIST labels are 0–9")
        }

        let scale: Float = 1 / 255
        let tensor = Tensor(shape: [images.shape[0], 1, 28, 28], scalars: images.values.map { Float($0) * scale })
        return try ImageDataset(images: tensor, labels: labels.values.map(Int.init), classNames: classNames)
    }
}
