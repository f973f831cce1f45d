import Datasets
import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// Ten 1×2×3 images whose pixels are `100 * image + position`.
private func numberedDataset() throws -> ImageDataset {
    let scalars = (0..<10).flatMap { image in (0..<6).map { Float(100 * image + $0) } }
    return try ImageDataset(
        images: Tensor(shape: [10, 1, 2, 3], scalars: scalars), labels: (0..<10).map { $0 % 3 }, classNames: ["a", "b", "c"])
}

@Suite struct ImageDatasetTests {
    @Test func mismatchedLabelsAreRejected() {
        #expect(throws: DatasetError.self) {
            try ImageDataset(images: Tensor(zeros: [2, 1, 1, 1]), labels: [0], classNames: ["a"])
        }
    }

    @Test func outOfRangeLabelIsRejected() {
        #expect(throws: DatasetError.self) {
            try ImageDataset(images: Tensor(zeros: [1, 1, 1, 1]), labels: [1], classNames: ["a"])
        }
    }

    @Test func subsetKeepsOrder() throws {
        let subset = try numberedDataset().subset([7, 2])
        #expect(subset.labels == [1, 2])
        #expect(subset.images.scalars == [700, 701, 702, 703, 704, 705, 200, 201, 202, 203, 204, 205])
    }

    @Test func channelStatisticsAndNormalisation() throws {
        let images = Tensor<Float>(shape: [2, 2, 1, 2], scalars: [0, 2, 10, 10, 4, 6, 30, 30])
        let dataset = try ImageDataset(images: images, labels: [0, 0], classNames: ["a"])
        let (mean, std) = dataset.channelStatistics()
        #expect(mean == [3, 20])
        #expect(abs(std[0] - Float(5).squareRoot()) < 1e-6)
        #expect(std[1] == 10)
        let normalised = try dataset.normalized(mean: mean, std: std)
        let (newMean, newStd) = normalised.channelStatistics()
        #expect(newMean.allSatisfy { abs($0) < 1e-6 })
        #expect(newStd.allSatisfy { abs($0 - 1) < 1e-6 })
    }
}

@Suite struct BatchIteratorTests {
    @Test func unshuffledBatchesFollowDatasetOrder() throws {
        let batches = Array(BatchIterator(dataset: try numberedDataset(), batchSize: 4))
        #expect(batches.map(\.indices) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        #expect(batches[2].images.shape == [2, 1, 2, 3])
        #expect(batches[2].images.scalars.first == 800)
        #expect(batches[1].labels == [1, 2, 0, 1])
    }

    @Test func dropLastSkipsPartialBatch() throws {
        let iterator = BatchIterator(dataset: try numberedDataset(), batchSize: 4, dropLast: true)
        #expect(iterator.batchCount == 2)
        #expect(Array(iterator).count == 2)
    }

    @Test func seededShuffleIsReproducibleAndComplete() throws {
        let dataset = try numberedDataset()
        let first = Array(BatchIterator(dataset: dataset, batchSize: 3, shuffleSeed: 42)).flatMap(\.indices)
        let second = Array(BatchIterator(dataset: dataset, batchSize: 3, shuffleSeed: 42)).flatMap(\.indices)
        let other = Array(BatchIterator(dataset: dataset, batchSize: 3, shuffleSeed: 43)).flatMap(\.indices)
        #expect(first == second)
        #expect(first != other)
        #expect(first.sorted() == Array(0..<10))
    }

    @Test func batchImagesMatchShuffledIndices() throws {
        let dataset = try numberedDataset()
        for batch in BatchIterator(dataset: dataset, batchSize: 4, shuffleSeed: 7) {
            for (position, index) in batch.indices.enumerated() {
                #expect(batch.images.scalars[position * 6] == Float(100 * index))
                #expect(batch.labels[position] == dataset.labels[index])
            }
        }
    }
}

@Suite struct AugmentationTests {
    @Test func flipMirrorsEveryRow() throws {
        var generator = SeededGenerator(seed: 1)
        var flips = 0
        for _ in 0..<20 {
            var image: [Float] = [1, 2, 3, 4, 5, 6]
            Augmentation(horizontalFlip: true).apply(to: &image, channels: 1, height: 2, width: 3, using: &generator)
            if image == [3, 2, 1, 6, 5, 4] { flips += 1 } else { #expect(image == [1, 2, 3, 4, 5, 6]) }
        }
        // A fair coin over 20 draws from a fixed seed: both outcomes occur.
        #expect(flips > 0)
        #expect(flips < 20)
    }

    @Test func paddedCropShiftsWithZeroBorder() {
        var generator = SeededGenerator(seed: 5)
        let original: [Float] = (1...16).map(Float.init)
        var seenShift = false
        for _ in 0..<30 {
            var image = original
            Augmentation(cropPadding: 1).apply(to: &image, channels: 1, height: 4, width: 4, using: &generator)
            // Every output value is either a zero from the border or an input value whose
            // position moved by at most one row and one column.
            for (position, value) in image.enumerated() where value != 0 {
                let source = Int(value) - 1
                #expect(abs(source / 4 - position / 4) <= 1)
                #expect(abs(source % 4 - position % 4) <= 1)
            }
            if image != original { seenShift = true }
        }
        #expect(seenShift)
    }

    @Test func augmentedBatchesAreReproducible() throws {
        let dataset = try numberedDataset()
        let augmentation = Augmentation(cropPadding: 1, horizontalFlip: true)
        let first = Array(BatchIterator(dataset: dataset, batchSize: 5, augmentation: augmentation, augmentationSeed: 9))
        let second = Array(BatchIterator(dataset: dataset, batchSize: 5, augmentation: augmentation, augmentationSeed: 9))
        #expect(first.map(\.images) == second.map(\.images))
        #expect(first.map(\.images.scalars) != [dataset.subset(Array(0..<5)).images.scalars, dataset.subset(Array(5..<10)).images.scalars])
    }
}

@Suite(.enabled(if: PhotoFixtures.hasPillow, "needs scikit-image's sample photos"))
struct ImageFolderTests {
    @Test func classesAreSortedSubfolders() throws {
        let root = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try #require(PhotoFixtures.scikitImageData)
        let layout = ["dog": ["chelsea.png"], "cat": ["coffee.png", "rocket.jpg"], ".hidden": ["astronaut.png"]]
        for (folder, files) in layout {
            let classFolder = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
            for file in files {
                try FileManager.default.copyItem(at: data.appendingPathComponent(file), to: classFolder.appendingPathComponent(file))
            }
        }
        try Data("not an image".utf8).write(to: root.appendingPathComponent("cat/notes.txt"))

        let folder = try ImageFolder(root: root)
        #expect(folder.classNames == ["cat", "dog"])
        #expect(folder.samples.map(\.url.lastPathComponent) == ["coffee.png", "rocket.jpg", "chelsea.png"])
        #expect(folder.samples.map(\.label) == [0, 0, 1])

        let dataset = try folder.load(preprocessor: ImagePreprocessor(resizeShorterSide: 40, cropSize: 32))
        #expect(dataset.images.shape == [3, 3, 32, 32])
        #expect(dataset.labels == [0, 0, 1])
    }

    @Test func lazyBatchesMatchLoadedDataset() throws {
        let root = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try #require(PhotoFixtures.scikitImageData)
        for (folder, file) in [("a", "chelsea.png"), ("b", "coffee.png"), ("b", "rocket.jpg")] {
            let classFolder = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: data.appendingPathComponent(file), to: classFolder.appendingPathComponent(file))
        }
        let folder = try ImageFolder(root: root)
        let preprocessor = ImagePreprocessor(resizeShorterSide: 20, cropSize: 16)
        let dataset = try folder.load(preprocessor: preprocessor)

        var batches = folder.lazyBatches(batchSize: 2, preprocessor: preprocessor, shuffleSeed: 3)
        var seen: [Int] = []
        while let batch = batches.next() {
            #expect(batch.images == dataset.subset(batch.indices).images)
            #expect(batch.labels == batch.indices.map { dataset.labels[$0] })
            seen += batch.indices
        }
        #expect(batches.error == nil)
        #expect(seen.sorted() == [0, 1, 2])
    }

    @Test func emptyRootIsRejected() throws {
        let root = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: DatasetError.self) { try ImageFolder(root: root) }
    }
}
