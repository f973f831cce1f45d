import Datasets
import Factorization
import Foundation
import Graph
import LinearAlgebra
import Runtime
import Testing
import TestSupport

/// Real photos: scikit-image's samples from the oracle venv and Debian's darknet package.
func realPhotos() -> [URL] {
    var photos: [URL] = []
    if let output = try? TestEnvironment.runPython(["-c", "import os, skimage; print(os.path.dirname(skimage.__file__))"]) {
        let data = URL(fileURLWithPath: String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            .appendingPathComponent("data")
        for name in ["chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg"] {
            let url = data.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { photos.append(url) }
        }
    }
    let darknet = URL(fileURLWithPath: "/usr/share/darknet/data")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: darknet.path)) ?? []
    photos += names.filter { $0.hasSuffix(".jpg") }.sorted().map { darknet.appendingPathComponent($0) }
    return photos
}

@Test(
    .enabled(if: TestEnvironment.fixture("real/efficientnet-lite0.onnx") != nil, "needs ../shared/fixtures/real"),
    .enabled(if: !realPhotos().isEmpty, "needs photos: scikit-image in the oracle venv or Debian's darknet package"))
func efficientNetKeepsTopOneWithSVDAtEnergy099() throws {
    let url = try #require(TestEnvironment.fixture("real/efficientnet-lite0.onnx"))
    let model = try preparedForCompression(Model.load(from: url))
    let options = CompressionOptions(
        method: .svd, rankPolicy: .energy(0.99), selection: LayerSelection(includeClassifier: true))
    let measurement = MeasurementOptions(inputShapes: ["input": [1, 3, 224, 224]])
    let (compressed, report) = try compressModel(model, options: options, measurement: measurement)
    // The 1×1 kernels of this network have flat spectra: keeping 99 % of the energy needs
    // ranks of 14/16 to 822/1000, which have more parameters than the layers themselves, so
    // every candidate stays unchanged with that reason.
    let unchanged = report.skipped.filter { $0.reason.contains("not fewer than the layer's") }
    #expect(unchanged.count + report.layers.count >= 33)
    #expect(unchanged.contains { $0.layer == "/_fc/Gemm" })
    #expect(report.layers.allSatisfy { $0.parametersAfter < $0.parametersBefore })

    let original = try InferenceSession(model: model)
    let factorized = try InferenceSession(model: compressed)
    let preprocessor = ImagePreprocessor()
    for photo in realPhotos() {
        let input = try preprocessor.tensor(contentsOf: photo)
        let expected = try original.run(inputs: ["input": input]).values.first!
        let actual = try factorized.run(inputs: ["input": input]).values.first!
        let expectedClass = expected.scalars.indices.max { expected.scalars[$0] < expected.scalars[$1] }
        let actualClass = actual.scalars.indices.max { actual.scalars[$0] < actual.scalars[$1] }
        #expect(actualClass == expectedClass, "top-1 changed on \(photo.lastPathComponent)")
    }
}
