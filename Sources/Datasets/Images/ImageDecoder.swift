import Foundation

/// Decodes PNG and JPEG files to 8-bit RGB, choosing the codec from the file's signature.
public enum ImageDecoder {
    /// Reads and decodes an image file.
    /// - Throws: `DatasetError.io` when the file cannot be read,
    ///   `DatasetError.unsupportedImageFormat` for other formats, and
    ///   `DatasetError.imageDecodingFailed` with the codec's message for corrupt files.
    public static func decode(contentsOf url: URL) throws -> RGBImage {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DatasetError.io(path: url.path, reason: "cannot read file: \(error.localizedDescription)")
        }
        return try decode([UInt8](data), path: url.path)
    }

    /// Decodes an encoded image held in memory; `path` only labels errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> RGBImage {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return try PNGDecoder.decode(bytes, path: path)
        }
        if bytes.starts(with: [0xFF, 0xD8]) {
            return try JPEGDecoder.decode(bytes, path: path)
        }
        throw DatasetError.unsupportedImageFormat(path: path)
    }
}
