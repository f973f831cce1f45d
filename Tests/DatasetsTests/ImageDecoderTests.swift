import Datasets
import Foundation
import TestSupport
import Testing

@Suite(.enabled(if: PhotoFixtures.hasPillow, "needs the oracle Python with Pillow and scikit-image (set FACTORIZE_PYTHON)"))
struct ImageDecoderOracleTests {
    @Test func decodesPhotosLikePillow() throws {
        let photos = PhotoFixtures.photos
        try #require(!photos.isEmpty)
        for url in photos {
            let image = try ImageDecoder.decode(contentsOf: url)
            let expected = try PhotoFixtures.pillowRGB(url)
            #expect(image.width == expected.width, "\(url.lastPathComponent)")
            #expect(image.height == expected.height, "\(url.lastPathComponent)")
            // PNG is lossless; both sides decode JPEG with libjpeg-turbo's integer IDCT, but
            // Pillow bundles another release, so allow one level of difference there.
            let tolerance = url.pathExtension == "png" ? 0 : 1
            #expect(PhotoFixtures.maxDifference(image.pixels, expected.pixels) <= tolerance, "\(url.lastPathComponent)")
        }
    }

    /// PNG colour types that need conversion (gray, gray+alpha, palette, palette with
    /// transparency, RGBA), written by Pillow and compared with Pillow's own decoding.
    @Test func convertsPNGColorTypesLikePillow() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            import sys, numpy as np
            from PIL import Image
            d = sys.argv[1]
            rng = np.random.default_rng(3)
            rgb = rng.integers(0, 256, (13, 17, 3), dtype=np.uint8)
            Image.fromarray(rgb[:, :, 0]).save(d + '/gray.png')
            Image.fromarray(rgb[:, :, :2].copy(), 'LA').save(d + '/gray_alpha.png')
            Image.fromarray(rgb).convert('P', palette=Image.ADAPTIVE, colors=16).save(d + '/palette.png')
            p = Image.fromarray(rgb).convert('P', palette=Image.ADAPTIVE, colors=8)
            p.info['transparency'] = 2
            p.save(d + '/palette_alpha.png', transparency=2)
            Image.fromarray(np.dstack([rgb, rgb[:, :, :1]]), 'RGBA').save(d + '/rgba.png')
            """
        try TestEnvironment.runPython(["-c", script, folder.path])
        for name in ["gray.png", "gray_alpha.png", "palette.png", "palette_alpha.png", "rgba.png"] {
            let url = folder.appendingPathComponent(name)
            let image = try ImageDecoder.decode(contentsOf: url)
            let expected = try PhotoFixtures.pillowRGB(url)
            #expect(image.width == 17, "\(name)")
            #expect(image.height == 13, "\(name)")
            #expect(image.pixels == expected.pixels, "\(name)")
        }
    }

    @Test func reducesSixteenBitPNGToHighByte() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            import sys, zlib, struct, numpy as np
            # A 16-bit RGB PNG (colour type 2, depth 16) written by hand: Pillow cannot save one.
            v = np.array([[[0, 255, 256], [65535, 4660, 43981]]], dtype='>u2')
            raw = b''.join(b'\\x00' + row.tobytes() for row in v)
            def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
            png = b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 2, 1, 16, 2, 0, 0, 0))
            png += chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
            open(sys.argv[1] + '/deep.png', 'wb').write(png)
            """
        try TestEnvironment.runPython(["-c", script, folder.path])
        let image = try ImageDecoder.decode(contentsOf: folder.appendingPathComponent("deep.png"))
        #expect(image.width == 2)
        #expect(image.height == 1)
        #expect(image.pixels == [0, 0, 1, 255, 0x12, 0xAB])
    }
}

@Suite(.enabled(if: PhotoFixtures.hasPillow, "needs the oracle Python with Pillow (set FACTORIZE_PYTHON)"))
struct PNGGammaTests {
    /// Pillow ignores the gAMA chunk, so decoding must not apply gamma correction either.
    @Test func gammaChunkIsIgnoredLikePillow() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            import sys, zlib, struct
            def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
            raw = b''.join(b'\\x00' + bytes([(17 * x + 40 * y) % 256 for x in range(12)]) for y in range(3))
            png = b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 4, 3, 8, 2, 0, 0, 0))
            png += chunk(b'gAMA', struct.pack('>I', 100000))
            png += chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
            open(sys.argv[1] + '/linear.png', 'wb').write(png)
            """
        try TestEnvironment.runPython(["-c", script, folder.path])
        let url = folder.appendingPathComponent("linear.png")
        let image = try ImageDecoder.decode(contentsOf: url)
        #expect(image.pixels == (try PhotoFixtures.pillowRGB(url)).pixels)
    }
}

@Suite struct ImageDecoderErrorTests {
    @Test func unknownFormatIsRejected() {
        #expect(throws: DatasetError.unsupportedImageFormat(path: "x.gif")) {
            try ImageDecoder.decode(Array("GIF89a....".utf8), path: "x.gif")
        }
    }

    @Test func corruptJPEGReportsLibjpegMessage() {
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x02, 0xFF, 0xD9]
        do {
            _ = try ImageDecoder.decode(bytes, path: "bad.jpg")
            Issue.record("expected an error")
        } catch let error as DatasetError {
            guard case .imageDecodingFailed(let path, let reason) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(path == "bad.jpg")
            #expect(reason.hasPrefix("libjpeg: "))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/darknet/data/dog.jpg"), "needs the darknet package"))
    func truncatedJPEGIsRejected() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "/usr/share/darknet/data/dog.jpg")))
        #expect(throws: DatasetError.self) { try ImageDecoder.decode(Array(bytes.prefix(bytes.count / 2)), path: "dog.jpg") }
    }

    @Test func truncatedPNGReportsLibpngMessage() {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        do {
            _ = try ImageDecoder.decode(signature, path: "cut.png")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("cut.png"))
            #expect("\(error)".contains("libpng"))
        }
    }
}
