import Datasets
import Foundation
import Graph
import LinearAlgebra
import Runtime
import TestSupport
import Testing

/// Real photos for EfficientNet-Lite0: scikit-image's samples and Debian darknet's images.
enum Photos {
    static let darknet = URL(fileURLWithPath: "/usr/share/darknet/data")

    static var available: Bool {
        TestEnvironment.pythonHasModules(["skimage", "numpy", "onnxruntime"])
            && TestEnvironment.fixture(FixtureModel.efficientNet) != nil
    }

    /// Resizes the short side to 256 (bilinear, antialiased), crops the central 224×224,
    /// scales to [0, 1] and normalizes with the ImageNet mean and standard deviation.
    /// Saves each photo as a 1×3×224×224 `.npy` file and prints the photo paths as JSON.
    private static let preprocessing = """
        import sys, os, glob, json, numpy as np, skimage, skimage.io, skimage.transform, skimage.color
        folder = sys.argv[1]
        data = os.path.join(os.path.dirname(skimage.__file__), "data")
        paths = [os.path.join(data, n) for n in ["chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg"]]
        paths += sorted(glob.glob(sys.argv[2] + "/*.jpg"))
        mean = np.array([0.485, 0.456, 0.406], dtype=np.float32)
        std = np.array([0.229, 0.224, 0.225], dtype=np.float32)
        for i, path in enumerate(paths):
            image = skimage.io.imread(path)
            if image.ndim == 2: image = skimage.color.gray2rgb(image)
            image = image[..., :3]
            h, w = image.shape[:2]
            scale = 256 / min(h, w)
            size = (max(256, round(h * scale)), max(256, round(w * scale)))
            image = skimage.transform.resize(image, size, order=1, anti_aliasing=True, preserve_range=True) / 255.0
            top, left = (size[0] - 224) // 2, (size[1] - 224) // 2
            image = image[top:top + 224, left:left + 224].astype(np.float32)
            image = (image - mean) / std
            np.save(f"{folder}/photo{i}.npy", np.ascontiguousarray(image.transpose(2, 0, 1)[None], dtype=np.float32))
        print(json.dumps(paths))
        """

    /// Preprocessed photos by path.
    static func load() throws -> [(path: String, tensor: Tensor<Float>)] {
        let folder = try TestEnvironment.makeTemporaryDirectory("runtime-photos")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try TestEnvironment.runPython(["-c", preprocessing, folder.path, darknet.path])
        let paths = try JSONDecoder().decode([String].self, from: output)
        return try paths.enumerated().map { index, path in
            (path, try NpyFile.readFloatTensor(folder.appendingPathComponent("photo\(index).npy")))
        }
    }
}

@Suite(.enabled(if: Photos.available, "needs scikit-image and onnxruntime in the oracle Python and the EfficientNet-Lite0 fixture"))
struct PhotoTests {
    @Test func efficientNetTop1MatchesORTOnPhotos() throws {
        let url = try #require(TestEnvironment.fixture(FixtureModel.efficientNet))
        let model = try Model.load(from: url)
        let session = try InferenceSession(model: model)
        let photos = try Photos.load()
        #expect(photos.count >= 11)

        for photo in photos {
            let feeds = ["input": photo.tensor]
            let expected = try #require(try Oracle.run(modelFile: url, inputs: feeds)["logits"])
            let actual = try #require(try session.run(inputs: feeds)["logits"])
            #expect(argmax(actual) == argmax(expected), "top-1 differs on \(photo.path)")
            #expect(relativeError(actual, expected) <= 1e-4, "logits differ on \(photo.path)")
        }
    }

    @Test func efficientNetSeesTabbyCatInChelsea() throws {
        let url = try #require(TestEnvironment.fixture(FixtureModel.efficientNet))
        let session = try InferenceSession(model: try Model.load(from: url))
        let chelsea = try #require(try Photos.load().first { $0.path.hasSuffix("chelsea.png") })
        let logits = try #require(try session.run(inputs: ["input": chelsea.tensor])["logits"])
        // ImageNet classes 281-285 are domestic cats (tabby, tiger cat, Persian, Siamese, Egyptian).
        #expect((281...285).contains(argmax(logits)))
    }

    private func argmax(_ tensor: Tensor<Float>) -> Int {
        tensor.scalars.indices.max { tensor.scalars[$0] < tensor.scalars[$1] } ?? -1
    }
}
