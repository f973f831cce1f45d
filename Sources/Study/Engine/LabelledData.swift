import Datasets
import Foundation
import Graph
import LinearAlgebra

/// A batch of images `[N, C, H, W]` with one class label per image.
public struct LabelledBatch: Sendable {
    public var images: Tensor<Float>
    public var labels: [Int]

    public init(images: Tensor<Float>, labels: [Int]) {
        self.images = images
        self.labels = labels
    }
}

/// A labelled test set read batch by batch: the class names and a throwing source of batches
/// (nil at the end).
public struct LabelledData {
    public var classNames: [String]
    /// Number of samples the source yields in total.
    public var count: Int
    public var nextBatch: () throws -> LabelledBatch?

    public init(classNames: [String], count: Int, nextBatch: @escaping () throws -> LabelledBatch?) {
        self.classNames = classNames
        self.count = count
        self.nextBatch = nextBatch
    }

    /// Batches of an in-memory data set, from its first sample, at most `limit` samples.
    public static func inMemory(_ dataset: ImageDataset, batchSize: Int, limit: Int? = nil) -> LabelledData {
        precondition(batchSize > 0, "batch size must be positive, got \(batchSize)")
        let total = min(limit ?? dataset.count, dataset.count)
        let imageSize = dataset.imageSize
        let shape = Array(dataset.images.shape.dropFirst())
        var position = 0
        return LabelledData(classNames: dataset.classNames, count: total) {
            guard position < total else { return nil }
            let end = min(position + batchSize, total)
            let scalars = Array(dataset.images.scalars[(position * imageSize)..<(end * imageSize)])
            let batch = LabelledBatch(
                images: Tensor(shape: [end - position] + shape, scalars: scalars), labels: Array(dataset.labels[position..<end]))
            position = end
            return batch
        }
    }

    /// Batches of an image folder (one subfolder per class), decoded as they are needed, in the
    /// folder's order, at most `limit` samples.
    public static func imageFolder(
        _ folder: ImageFolder, preprocessor: ImagePreprocessor, batchSize: Int, limit: Int? = nil
    ) -> LabelledData {
        let total = min(limit ?? folder.count, folder.count)
        var batches = folder.lazyBatches(batchSize: batchSize, preprocessor: preprocessor)
        var delivered = 0
        return LabelledData(classNames: folder.classNames, count: total) {
            guard delivered < total else { return nil }
            guard let batch = batches.next() else {
                if let error = batches.error { throw error }
                return nil
            }
            let keep = min(batch.labels.count, total - delivered)
            delivered += keep
            if keep == batch.labels.count { return LabelledBatch(images: batch.images, labels: batch.labels) }
            let imageSize = batch.images.count / batch.labels.count
            let shape = [keep] + Array(batch.images.shape.dropFirst())
            return LabelledBatch(
                images: Tensor(shape: shape, scalars: Array(batch.images.scalars.prefix(keep * imageSize))),
                labels: Array(batch.labels.prefix(keep)))
        }
    }

    /// Images from an `.npy` file `[N, C, H, W]` (fed as they are) and integer labels `[N]`
    /// from another `.npy` file.
    /// - Throws: `DatasetError` for unreadable files, `EvaluationError.labelCountMismatch`.
    public static func npy(images: URL, labels: URL, batchSize: Int, limit: Int? = nil) throws -> LabelledData {
        let tensor = try NpyFile.readFloatTensor(images)
        let labelValues = try NpyFile.readDoubleTensor(labels).scalars.map { Int($0) }
        guard tensor.rank >= 2, tensor.shape[0] == labelValues.count else {
            throw EvaluationError.labelCountMismatch(
                images: images.path, imageCount: tensor.shape.first ?? 0, labels: labels.path, labelCount: labelValues.count)
        }
        let classCount = (labelValues.max() ?? -1) + 1
        let dataset = try ImageDataset(
            images: tensor, labels: labelValues, classNames: (0..<max(classCount, 1)).map { "class \($0)" })
        return inMemory(dataset, batchSize: batchSize, limit: limit)
    }
}
