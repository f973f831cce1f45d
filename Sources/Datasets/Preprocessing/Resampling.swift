/// Antialiased resampling of 8-bit RGB images with the triangle (bilinear) filter, computed
/// the way Pillow's `Image.resize(..., BILINEAR)` computes it, so that preprocessing matches
/// the torchvision pipelines that pretrained models were trained with.
///
/// The image is resampled separably, horizontal pass first, each pass rounding to 8 bits.
/// When downsampling by a factor `scale`, the filter is stretched by `scale` (its support
/// becomes `scale` input pixels on each side), which averages every input pixel instead of
/// sampling a few (antialiasing). Weights are normalised to sum to one and applied in fixed
/// point with 22 fractional bits.
public enum Resampling {
    /// Fractional bits of the fixed-point weights: 32 bits minus 8 for the pixel value and
    /// 2 for headroom of the sum.
    static let precisionBits = 22

    /// Resizes to `width` × `height` pixels.
    public static func resizeBilinear(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0, "resize target \(width)x\(height) must be positive")
        var current = image
        if width != image.width {
            current = resampleRows(current, to: width)
        }
        if height != image.height {
            current = resampleColumns(current, to: height)
        }
        return current
    }

    /// Source window and fixed-point weights of one output pixel.
    struct Taps {
        var first: Int
        var weights: [Int32]
    }

    /// Computes taps for each of `outputSize` pixels that cover `inputSize` input pixels.
    static func taps(inputSize: Int, outputSize: Int) -> [Taps] {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = 1.0 * filterScale
        let fixedOne = Double(1 << precisionBits)

        return (0..<outputSize).map { output in
            let center = (Double(output) + 0.5) * scale
            // Int(_:) truncates toward zero, as the C cast in Pillow does.
            let first = max(Int(center - support + 0.5), 0)
            let last = min(Int(center + support + 0.5), inputSize)

            var weights = (first..<last).map { input in
                triangle((Double(input) - center + 0.5) / filterScale)
            }
            let total = weights.reduce(0, +)
            if total != 0 { weights = weights.map { $0 / total } }

            let fixed = weights.map { weight -> Int32 in
                Int32((weight < 0 ? -0.5 : 0.5) + weight * fixedOne)
            }
            return Taps(first: first, weights: fixed)
        }
    }

    static func triangle(_ x: Double) -> Double {
        let distance = abs(x)
        return distance < 1 ? 1 - distance : 0
    }

    /// Rounds a fixed-point sum (which starts at one half) to a byte, clamping to 0...255.
    @inline(__always)
    static func clampToByte(_ sum: Int32) -> UInt8 {
        if sum <= 0 { return 0 }
        let value = sum >> Int32(precisionBits)
        return value >= 255 ? 255 : UInt8(value)
    }

    private static func resampleRows(_ image: RGBImage, to width: Int) -> RGBImage {
        let taps = taps(inputSize: image.width, outputSize: width)
        let half = Int32(1 << (precisionBits - 1))
        var output = [UInt8](repeating: 0, count: width * image.height * 3)
        image.pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for y in 0..<image.height {
                    let inputRow = y * image.width * 3
                    let outputRow = y * width * 3
                    for (x, tap) in taps.enumerated() {
                        var sums = SIMD4<Int32>(repeating: half)
                        for (offset, weight) in tap.weights.enumerated() {
                            let index = inputRow + (tap.first + offset) * 3
                            let pixel = SIMD4<Int32>(Int32(source[index]), Int32(source[index + 1]), Int32(source[index + 2]), 0)
                            sums &+= pixel &* weight
                        }
                        for channel in 0..<3 {
                            destination[outputRow + x * 3 + channel] = clampToByte(sums[channel])
                        }
                    }
                }
            }
        }
        return RGBImage(width: width, height: image.height, pixels: output)
    }

    private static func resampleColumns(_ image: RGBImage, to height: Int) -> RGBImage {
        let taps = taps(inputSize: image.height, outputSize: height)
        let half = Int32(1 << (precisionBits - 1))
        let rowLength = image.width * 3
        var output = [UInt8](repeating: 0, count: image.width * height * 3)
        var sums = [Int32](repeating: 0, count: rowLength)
        image.pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for (y, tap) in taps.enumerated() {
                    for index in 0..<rowLength { sums[index] = half }
                    for (offset, weight) in tap.weights.enumerated() {
                        let inputRow = (tap.first + offset) * rowLength
                        for index in 0..<rowLength {
                            sums[index] &+= Int32(source[inputRow + index]) &* weight
                        }
                    }
                    let outputRow = y * rowLength
                    for index in 0..<rowLength {
                        destination[outputRow + index] = clampToByte(sums[index])
                    }
                }
            }
        }
        return RGBImage(width: image.width, height: height, pixels: output)
    }
}
