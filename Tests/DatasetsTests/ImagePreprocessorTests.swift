import Datasets
import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// torchvision's `Resize(short)`, `CenterCrop(crop)`, `ToTensor()`, `Normalize(ImageNet)`
/// written with Pillow and NumPy (torchvision is not in the oracle environment); prints
/// the CHW float32 tensor as raw bytes.
private let pillowPipeline = """
    import sys, numpy as np
    from PIL import Image
    path, short, crop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    im = Image.open(path).convert('RGB')
    w, h = im.size
    s, l = (w, h) if w <= h else (h, w)
    if s != short:
        ns, nl = short, int(short * l / s)
        im = im.resize((ns, nl) if w <= h else (nl, ns), Image.BILINEAR)
    w, h = im.size
    top, left = int(round((h - crop) / 2.0)), int(round((w - crop) / 2.0))
    im = im.crop((left, top, left + crop, top + crop))
    x = np.asarray(im, dtype=np.float32).transpose(2, 0, 1) / 255.0
    mean = np.array([0.485, 0.456, 0.406], np.float32)[:, None, None]
    std = np.array([0.229, 0.224, 0.225], np.float32)[:, None, None]
    sys.stdout.buffer.write(((x - mean) / std).astype('<f4').tobytes())
    """

/// The same resize and crop, printing the cropped HWC bytes before scaling.
private let pillowResizeCrop = """
    import sys, numpy as np
    from PIL import Image
    path, short, crop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    im = Image.open(path).convert('RGB')
    w, h = im.size
    s, l = (w, h) if w <= h else (h, w)
    if s != short:
        ns, nl = short, int(short * l / s)
        im = im.resize((ns, nl) if w <= h else (nl, ns), Image.BILINEAR)
    w, h = im.size
    top, left = int(round((h - crop) / 2.0)), int(round((w - crop) / 2.0))
    sys.stdout.buffer.write(np.asarray(im.crop((left, top, left + crop, top + crop))).tobytes())
    """

@Suite(.enabled(if: PhotoFixtures.hasPillow, "needs the oracle Python with Pillow and scikit-image (set FACTORIZE_PYTHON)"))
struct ImagePreprocessorOracleTests {
    @Test(arguments: [(256, 224), (160, 128)])
    func matchesPillowTorchvisionPipeline(shorterSide: Int, crop: Int) throws {
        let photos = PhotoFixtures.photos
        try #require(!photos.isEmpty)
        let preprocessor = ImagePreprocessor(resizeShorterSide: shorterSide, cropSize: crop)
        // One step of 1/255 in pixel value, divided by the smallest standard deviation.
        let tolerance: Float = (1.0 / 255.0) / 0.224 + 1e-5

        for url in photos {
            let tensor = try preprocessor.tensor(contentsOf: url)
            let output = try TestEnvironment.runPython(["-c", pillowPipeline, url.path, "\(shorterSide)", "\(crop)"])
            let expected = output.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            #expect(tensor.shape == [1, 3, crop, crop])
            try #require(expected.count == tensor.count, "\(url.lastPathComponent)")
            let worst = zip(tensor.scalars, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= tolerance, "\(url.lastPathComponent): max difference \(worst)")
        }
    }
}

@Suite(.enabled(if: PhotoFixtures.hasPillow, "needs the oracle Python with Pillow and scikit-image (set FACTORIZE_PYTHON)"))
struct ResamplingOracleTests {
    /// Resizing and cropping reproduce Pillow's bytes exactly. JPEG inputs may differ by one
    /// level because Pillow bundles its own libjpeg-turbo release.
    @Test(arguments: [(256, 224), (57, 50), (600, 512)])
    func resizeAndCropMatchPillowBytes(shorterSide: Int, crop: Int) throws {
        let photos = PhotoFixtures.photos
        try #require(!photos.isEmpty)
        let preprocessor = ImagePreprocessor(resizeShorterSide: shorterSide, cropSize: crop)
        for url in photos {
            let prepared = try preprocessor.preparedImage(contentsOf: url)
            let expected = [UInt8](try TestEnvironment.runPython(["-c", pillowResizeCrop, url.path, "\(shorterSide)", "\(crop)"]))
            let tolerance = url.pathExtension == "png" ? 0 : 1
            #expect(prepared.pixels.count == expected.count, "\(url.lastPathComponent)")
            #expect(PhotoFixtures.maxDifference(prepared.pixels, expected) <= tolerance, "\(url.lastPathComponent)")
        }
    }
}

@Suite struct ImagePreprocessorTests {
    @Test func resizedSizeKeepsAspectWithFloor() {
        #expect(ImagePreprocessor.resizedSize(width: 451, height: 300, shorterSide: 256) == (384, 256))
        #expect(ImagePreprocessor.resizedSize(width: 300, height: 451, shorterSide: 256) == (256, 384))
        #expect(ImagePreprocessor.resizedSize(width: 512, height: 512, shorterSide: 256) == (256, 256))
    }

    @Test func centerCropRoundsHalfToEven() {
        // (225 - 224) / 2 = 0.5 rounds to 0 and (227 - 224) / 2 = 1.5 rounds to 2, as Python's round does.
        #expect(ImagePreprocessor.centerCropOffsets(width: 225, height: 227, cropWidth: 224, cropHeight: 224) == (0, 2))
        #expect(ImagePreprocessor.centerCropOffsets(width: 229, height: 224, cropWidth: 224, cropHeight: 224) == (2, 0))
    }

    @Test func constantImageStaysConstant() throws {
        let image = RGBImage(width: 37, height: 23, pixels: Array(repeating: [200, 100, 50], count: 37 * 23).flatMap { $0 })
        let resized = Resampling.resizeBilinear(image, width: 11, height: 64)
        #expect(resized.pixels == Array(repeating: [200, 100, 50], count: 11 * 64).flatMap { $0 })
    }

    @Test func normalisesWithGivenStatistics() throws {
        let image = RGBImage(width: 1, height: 1, pixels: [255, 0, 51])
        let preprocessor = ImagePreprocessor(
            resizeShorterSide: nil, cropSize: nil, normalization: Normalization(mean: [0.5, 0, 0.2], std: [0.5, 1, 0.1]))
        let tensor = try preprocessor.tensor(from: image)
        #expect(tensor.shape == [1, 3, 1, 1])
        #expect(abs(tensor.scalars[0] - 1) < 1e-6)
        #expect(tensor.scalars[1] == 0)
        #expect(abs(tensor.scalars[2] - 0) < 1e-6)
    }

    @Test func oversizedCropIsRejected() {
        let image = RGBImage(width: 10, height: 10, pixels: Array(repeating: 0, count: 300))
        let preprocessor = ImagePreprocessor(resizeShorterSide: 8, cropSize: 9)
        #expect(throws: DatasetError.self) { try preprocessor.tensor(from: image) }
    }

    @Test func wrongStatisticCountIsRejected() {
        let image = RGBImage(width: 1, height: 1, pixels: [1, 2, 3])
        let preprocessor = ImagePreprocessor(
            resizeShorterSide: nil, cropSize: nil, normalization: Normalization(mean: [0.5], std: [0.5]))
        #expect(throws: DatasetError.self) { try preprocessor.tensor(from: image) }
    }
}
