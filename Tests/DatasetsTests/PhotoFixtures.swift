import Foundation
import TestSupport

/// Real photos shipped by registry packages: scikit-image's sample data (located through
/// the oracle interpreter) and Debian's darknet package.
enum PhotoFixtures {
    static let hasPillow = TestEnvironment.pythonHasModules(["PIL", "numpy", "skimage"])

    static let scikitImageData: URL? = {
        guard hasPillow,
            let output = try? TestEnvironment.runPython(["-c", "import os, skimage; print(os.path.dirname(skimage.__file__))"])
        else { return nil }
        let folder = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return URL(fileURLWithPath: folder).appendingPathComponent("data")
    }()

    /// The four colour photos of scikit-image named for the preprocessing oracle, plus the
    /// darknet JPEGs when that package is installed.
    static var photos: [URL] {
        var urls: [URL] = []
        if let data = scikitImageData {
            urls += ["chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg"].map { data.appendingPathComponent($0) }
        }
        let darknet = URL(fileURLWithPath: "/usr/share/darknet/data")
        for name in ["dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg", "kite.jpg", "person.jpg", "scream.jpg"] {
            let url = darknet.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { urls.append(url) }
        }
        return urls.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Decodes a file with Pillow (`Image.open(path).convert("RGB")`) and returns width,
    /// height and the HWC bytes.
    static func pillowRGB(_ url: URL) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let script = """
            import sys, numpy as np
            from PIL import Image
            im = Image.open(sys.argv[1]).convert('RGB')
            sys.stdout.buffer.write(np.array(im.size, dtype='<i4').tobytes() + np.asarray(im).tobytes())
            """
        let output = [UInt8](try TestEnvironment.runPython(["-c", script, url.path]))
        let width = Int(output[0]) | Int(output[1]) << 8 | Int(output[2]) << 16
        let height = Int(output[4]) | Int(output[5]) << 8 | Int(output[6]) << 16
        return (width, height, Array(output[8...]))
    }

    static func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }
}
