import CPNG
import Glibc

/// Decodes PNG files through libpng, with the error handling in the C shim
/// `factorize_png_decode_rgb` because libpng's fatal errors need setjmp.
///
/// The conversion follows Pillow's `convert("RGB")` so that preprocessing matches the
/// pipelines pretrained models were trained with: alpha is dropped rather than composited,
/// 16-bit samples keep their high byte, and gAMA, cHRM and iCCP chunks are ignored.
///
/// NOTE: Pillow 13 opens 16-bit grayscale files as mode `I;16` and clips every value above
/// 255 to white when converting to RGB. This decoder keeps the high byte there too, so such
/// files decode differently from Pillow (and are not washed out).
enum PNGDecoder {
    static func decode(_ bytes: [UInt8], path: String) throws -> RGBImage {
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)

        let status = bytes.withUnsafeBufferPointer { input in
            factorize_png_decode_rgb(input.baseAddress, input.count, &pixels, &width, &height, &message, message.count)
        }
        guard status == 0, let pixels else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw DatasetError.imageDecodingFailed(path: path, reason: "libpng: \(text)")
        }
        defer { free(pixels) }

        let count = Int(width) * Int(height) * 3
        return RGBImage(width: Int(width), height: Int(height), pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}
