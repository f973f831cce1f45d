import LinearAlgebra

/// One mini-batch: images `[batchSize, C, H, W]`, their labels and their positions in the
/// data set.
public struct Batch: Sendable {
    public let images: Tensor<Float>
    public let labels: [Int]
    public let indices: [Int]
}

/// Iterates over a data set in mini-batches, optionally shuffled with a seed and augmented.
///
/// The same seed gives the same order and the same augmentation on every run. The last
/// batch is smaller than `batchSize` unless `dropLast` is set.
public struct BatchIterator: Sequence, IteratorProtocol {
    public let dataset: ImageDataset
    public let batchSize: Int
    public let augmentation: Augmentation
    private let order: [Int]
    private var position = 0
    private var generator: SeededGenerator

    /// - Parameters:
    ///   - shuffleSeed: a seed to shuffle the order with, or nil to keep data set order.
    ///   - augmentationSeed: seed of the generator that draws crop offsets and flips.
    ///   - dropLast: skip a final batch smaller than `batchSize`.
    public init(
        dataset: ImageDataset, batchSize: Int, shuffleSeed: UInt64? = nil,
        augmentation: Augmentation = .none, augmentationSeed: UInt64 = 0, dropLast: Bool = false
    ) {
        precondition(batchSize > 0, "batchSize must be positive, got \(batchSize)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.augmentation = augmentation
        generator = SeededGenerator(seed: augmentationSeed)

        var order = Array(0..<dataset.count)
        if let shuffleSeed {
            var shuffler = SeededGenerator(seed: shuffleSeed)
            order.shuffle(using: &shuffler)
        }
        if dropLast { order.removeLast(order.count % batchSize) }
        self.order = order
    }

    /// Number of batches this iterator yields in total.
    public var batchCount: Int { (order.count + batchSize - 1) / batchSize }

    public mutating func next() -> Batch? {
        guard position < order.count else { return nil }
        let indices = Array(order[position..<Swift.min(position + batchSize, order.count)])
        position += indices.count

        let size = dataset.imageSize
        var scalars = [Float]()
        scalars.reserveCapacity(indices.count * size)
        for index in indices {
            var image = Array(dataset.images.scalars[(index * size)..<((index + 1) * size)])
            if !augmentation.isIdentity {
                augmentation.apply(
                    to: &image, channels: dataset.channels, height: dataset.height, width: dataset.width,
                    using: &generator)
            }
            scalars += image
        }
        let shape = [indices.count, dataset.channels, dataset.height, dataset.width]
        return Batch(images: Tensor(shape: shape, scalars: scalars), labels: indices.map { dataset.labels[$0] }, indices: indices)
    }
}
