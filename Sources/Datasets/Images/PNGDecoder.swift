import CPNG

/// Decodes PNG files through libpng's simplified `png_image` API, which reports errors
/// through its `message` field instead of longjmp.
enum PNGDecoder {
    static func decode(_ bytes: [UInt8], path: String) throws -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }

        let began = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else { throw failure(image, path: path) }

        let width = Int(image.width)
        let height = Int(image.height)
        let hasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        // 16-bit files are read as 16-bit linear values so that libpng applies no gamma
        // encoding, then reduced by keeping the high byte, as Pillow does.
        let sixteenBit = image.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
        let channels = hasAlpha ? 4 : 3

        if sixteenBit {
            image.format = UInt32(PNG_FORMAT_LINEAR_RGB) | (hasAlpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
            var samples = [UInt16](repeating: 0, count: width * height * channels)
            let finished = samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            guard finished != 0 else { throw failure(image, path: path) }
            return RGBImage(width: width, height: height, pixels: reduce(samples, channels: channels))
        }

        // Palette, gray and gray+alpha inputs are expanded to RGB(A) by libpng. Alpha is
        // read and then dropped rather than composited, matching Pillow's convert("RGB").
        image.format = UInt32(PNG_FORMAT_RGB) | (hasAlpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
        var samples = [UInt8](repeating: 0, count: width * height * channels)
        let finished = samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw failure(image, path: path) }
        if !hasAlpha { return RGBImage(width: width, height: height, pixels: samples) }

        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for pixel in 0..<(width * height) {
            rgb[pixel * 3] = samples[pixel * 4]
            rgb[pixel * 3 + 1] = samples[pixel * 4 + 1]
            rgb[pixel * 3 + 2] = samples[pixel * 4 + 2]
        }
        return RGBImage(width: width, height: height, pixels: rgb)
    }

    /// Converts 16-bit samples to RGB bytes (high byte). libpng premultiplies colour by
    /// alpha in linear output, so colour is divided by alpha first where alpha is present.
    private static func reduce(_ samples: [UInt16], channels: Int) -> [UInt8] {
        let pixelCount = samples.count / channels
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        for pixel in 0..<pixelCount {
            let alpha = channels == 4 ? UInt32(samples[pixel * 4 + 3]) : 65_535
            for channel in 0..<3 {
                var value = UInt32(samples[pixel * channels + channel])
                if channels == 4 {
                    value = alpha == 0 ? 0 : min(65_535, (value * 65_535 + alpha / 2) / alpha)
                }
                rgb[pixel * 3 + channel] = UInt8(value >> 8)
            }
        }
        return rgb
    }

    private static func failure(_ image: png_image, path: String) -> DatasetError {
        var message = image.message
        let text = withUnsafeBytes(of: &message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return .imageDecodingFailed(path: path, reason: "libpng: \(text.isEmpty ? "unknown error" : text)")
    }
}
