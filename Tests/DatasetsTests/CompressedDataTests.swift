import Datasets
import Foundation
import TestSupport
import Testing

/// gzip members of "hello, " and "gzip" as Python's `gzip.compress(..., mtime=0)` writes them.
private let helloMember: [UInt8] = [
    31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 215, 81, 0, 0, 153, 86, 234, 17, 7, 0, 0, 0,
]
private let gzipMember: [UInt8] = [
    31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 175, 202, 44, 0, 0, 242, 92, 233, 58, 4, 0, 0, 0,
]

@Suite struct GzipTests {
    @Test func inflatesOneMember() throws {
        #expect(try Gzip.decompress(helloMember) == Array("hello, ".utf8))
    }

    @Test func inflatesConcatenatedMembers() throws {
        #expect(try Gzip.decompress(helloMember + gzipMember) == Array("hello, gzip".utf8))
    }

    @Test func truncatedStreamIsRejected() {
        #expect(throws: DatasetError.self) { try Gzip.decompress(Array(helloMember.prefix(14)), path: "cut.gz") }
    }

    @Test func corruptStreamNamesFile() {
        var corrupt = helloMember
        corrupt[2] = 9  // compression method other than deflate
        do {
            _ = try Gzip.decompress(corrupt, path: "bad.gz")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("bad.gz"))
        }
    }
}

@Suite struct IDXFileTests {
    @Test func decodesHeaderAndValues() throws {
        let bytes: [UInt8] = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]
        let array = try IDXFile.decode(bytes)
        #expect(array.shape == [2, 3])
        #expect(array.values == [1, 2, 3, 4, 5, 6])
    }

    @Test func truncatedValuesAreRejected() {
        let bytes: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 4, 1, 2]
        #expect(throws: DatasetError.truncated(path: "t", expectedBytes: 4, actualBytes: 2)) {
            try IDXFile.decode(bytes, path: "t")
        }
    }

    @Test func nonByteTypeIsRejected() {
        let bytes: [UInt8] = [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]
        #expect(throws: DatasetError.unsupportedDType(path: "t", dtype: "IDX type 0x0d")) {
            try IDXFile.decode(bytes, path: "t")
        }
    }

    @Test func badMagicIsRejected() {
        #expect(throws: DatasetError.self) { try IDXFile.decode([1, 0, 8, 1], path: "t") }
    }
}

private let fashionMNISTInstalled = FileManager.default.fileExists(
    atPath: FashionMNIST.defaultDirectory.appendingPathComponent("t10k-images-idx3-ubyte.gz").path)

@Suite struct FashionMNISTTests {
    @Test(.enabled(if: fashionMNISTInstalled, "needs the Debian package dataset-fashion-mnist"))
    func testSplitHasPublishedShape() throws {
        let dataset = try FashionMNIST.load(split: .test)
        #expect(dataset.images.shape == [10_000, 1, 28, 28])
        #expect(dataset.classNames.count == 10)
        // The published test split contains exactly 1 000 images per class.
        let counts = Dictionary(grouping: dataset.labels, by: { $0 }).mapValues(\.count)
        #expect(counts == Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, 1_000) }))
        #expect(dataset.images.scalars.min() == 0)
        #expect(dataset.images.scalars.max() == 1)
    }

    @Test(.enabled(if: fashionMNISTInstalled, "needs the Debian package dataset-fashion-mnist"))
    func trainSplitHasPublishedShape() throws {
        let dataset = try FashionMNIST.load(split: .train)
        #expect(dataset.count == FashionMNIST.Split.train.expectedCount)
        #expect(dataset.images.shape == [60_000, 1, 28, 28])
    }

    @Test(.enabled(if: fashionMNISTInstalled && TestEnvironment.pythonHasModules(["numpy"]), "needs Fashion-MNIST and numpy"))
    func firstImagesMatchPythonDecoder() throws {
        let dataset = try FashionMNIST.load(split: .test)
        let script = """
            import gzip, numpy as np
            d = '/usr/share/datasets/fashion-mnist/'
            x = np.frombuffer(gzip.open(d + 't10k-images-idx3-ubyte.gz').read(), np.uint8, offset=16)
            y = np.frombuffer(gzip.open(d + 't10k-labels-idx1-ubyte.gz').read(), np.uint8, offset=8)
            print(int(x[:784 * 5].astype(np.int64).sum()), ' '.join(map(str, y[:5])))
            """
        let output = String(decoding: try TestEnvironment.runPython(["-c", script]), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let byteSum = dataset.images.scalars.prefix(784 * 5).reduce(0) { $0 + Int(($1 * 255).rounded()) }
        #expect(output == "\(byteSum) " + dataset.labels.prefix(5).map(String.init).joined(separator: " "))
    }

    @Test func missingFolderNamesDebianPackage() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try FashionMNIST.load(split: .test, directory: folder)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("dataset-fashion-mnist"))
            #expect("\(error)".contains("t10k-images-idx3-ubyte.gz"))
        }
    }
}
