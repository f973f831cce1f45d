import Datasets
import Foundation
import LinearAlgebra
import TestSupport
import Testing

private let efficientNet = TestEnvironment.fixture("real/efficientnet-lite0.onnx")

/// The ImageNet evaluation transform feeds a real pretrained classifier: photos of a cat,
/// an espresso and an eagle must get their ImageNet classes from EfficientNet-Lite0 on
/// ONNX Runtime.
@Suite(
    .enabled(
        if: efficientNet != nil && PhotoFixtures.hasPillow && TestEnvironment.pythonHasModules(["onnxruntime"]),
        "needs real/efficientnet-lite0.onnx, scikit-image's photos and onnxruntime"))
struct ImageNetPipelineTests {
    @Test func pretrainedModelRecognisesPhotos() throws {
        let data = try #require(PhotoFixtures.scikitImageData)
        let eagle = URL(fileURLWithPath: "/usr/share/darknet/data/eagle.jpg")
        var urls = [data.appendingPathComponent("chelsea.png"), data.appendingPathComponent("coffee.png")]
        // ImageNet classes 281–285 are the domestic cats, 967 is espresso, 21–22 are kite and bald eagle.
        var accepted: [Set<Int>] = [Set(281...285), [967]]
        if FileManager.default.fileExists(atPath: eagle.path) {
            urls.append(eagle)
            accepted.append([21, 22])
        }

        let preprocessor = ImagePreprocessor()
        let batch = try preprocessor.batch(urls.map { try ImageDecoder.decode(contentsOf: $0) })
        #expect(batch.shape == [urls.count, 3, 224, 224])

        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("batch.npy")
        try NpyFile.write(batch, to: input)
        let script = """
            import sys, numpy as np, onnxruntime as ort
            session = ort.InferenceSession(sys.argv[1], providers=['CPUExecutionProvider'])
            # The model's batch dimension is fixed at 1, so each image runs on its own.
            batch = np.load(sys.argv[2])
            print(' '.join(str(int(session.run(None, {'input': image[None]})[0].argmax())) for image in batch))
            """
        let output = try TestEnvironment.runPython(["-c", script, try #require(efficientNet).path, input.path])
        let classes = String(decoding: output, as: UTF8.self).split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(classes.count == urls.count)
        for (index, url) in urls.enumerated() where index < classes.count {
            #expect(accepted[index].contains(classes[index]), "\(url.lastPathComponent): class \(classes[index])")
        }
    }
}
