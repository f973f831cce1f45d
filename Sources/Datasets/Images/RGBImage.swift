/// An 8-bit RGB image in HWC layout: `pixels[(y * width + x) * 3 + c]`.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// Interleaved R, G, B bytes, row by row; `pixels.count == width * height * 3`.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)x\(height)")
        precondition(pixels.count == width * height * 3, "\(width)x\(height) RGB needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Accesses the byte of channel `channel` (0 = R) at column `x`, row `y`.
    public subscript(x: Int, y: Int, channel: Int) -> UInt8 {
        pixels[(y * width + x) * 3 + channel]
    }

    /// Returns the `cropWidth` × `cropHeight` rectangle whose top-left corner is (`left`, `top`).
    public func cropped(left: Int, top: Int, width cropWidth: Int, height cropHeight: Int) -> RGBImage {
        precondition(
            left >= 0 && top >= 0 && left + cropWidth <= width && top + cropHeight <= height,
            "crop \(cropWidth)x\(cropHeight) at (\(left), \(top)) exceeds image \(width)x\(height)")
        var output = [UInt8]()
        output.reserveCapacity(cropWidth * cropHeight * 3)
        for y in top..<(top + cropHeight) {
            let start = (y * width + left) * 3
            output += pixels[start..<(start + cropWidth * 3)]
        }
        return RGBImage(width: cropWidth, height: cropHeight, pixels: output)
    }
}
