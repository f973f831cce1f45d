import CJPEG
import Glibc

/// Decodes JPEG files through libjpeg-turbo, with the error handling in the C shim
/// `factorize_jpeg_decode_rgb` because libjpeg's fatal errors need setjmp.
enum JPEGDecoder {
    static func decode(_ bytes: [UInt8], path: String) throws -> RGBImage {
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)

        let status = bytes.withUnsafeBufferPointer { input in
            factorize_jpeg_decode_rgb(
                input.baseAddress, UInt(input.count), &pixels, &width, &height, &message, message.count)
        }
        guard status == 0, let pixels else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw DatasetError.imageDecodingFailed(path: path, reason: "libjpeg: \(text)")
        }
        defer { free(pixels) }

        let count = Int(width) * Int(height) * 3
        return RGBImage(width: Int(width), height: Int(height), pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}
