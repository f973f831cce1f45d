/// Sizes of one 2-D convolution or pooling window over NCHW data. A 1-D operator
/// uses `inputHeight == outputHeight == kernelHeight == 1`.
struct ConvolutionGeometry: Equatable {
    var batch: Int
    var inputChannels: Int
    var inputHeight: Int
    var inputWidth: Int
    var outputChannels: Int
    var outputHeight: Int
    var outputWidth: Int
    var kernelHeight: Int
    var kernelWidth: Int
    var strideHeight = 1
    var strideWidth = 1
    var dilationHeight = 1
    var dilationWidth = 1
    /// Zeros (or ignored positions, for pooling) before the first row and column.
    /// The bottom and right pads follow from the output size.
    var padTop = 0
    var padLeft = 0
    var groups = 1

    var inputPlane: Int { inputHeight * inputWidth }
    var outputPlane: Int { outputHeight * outputWidth }

    /// True for a 1×1, stride-1, unpadded kernel: the input planes already form the GEMM's B matrix.
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1
            && padTop == 0 && padLeft == 0 && inputHeight == outputHeight && inputWidth == outputWidth
    }

    /// Output columns `lower..<upper` whose input column `ow * stride - padLeft + kernelColumn * dilation`
    /// falls inside the input.
    @inline(__always)
    func validColumns(kernelColumn: Int) -> (lower: Int, upper: Int) {
        let shift = padLeft - kernelColumn * dilationWidth
        let lower = max(0, ceilDivide(shift, strideWidth))
        let upper = min(outputWidth, floorDivide(inputWidth - 1 + shift, strideWidth) + 1)
        return (lower, max(lower, upper))
    }

    /// Output rows whose input row falls inside the input, as for `validColumns`.
    @inline(__always)
    func validRows(kernelRow: Int) -> (lower: Int, upper: Int) {
        let shift = padTop - kernelRow * dilationHeight
        let lower = max(0, ceilDivide(shift, strideHeight))
        let upper = min(outputHeight, floorDivide(inputHeight - 1 + shift, strideHeight) + 1)
        return (lower, max(lower, upper))
    }
}

@inline(__always)
func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always)
func ceilDivide(_ a: Int, _ b: Int) -> Int {
    -floorDivide(-a, b)
}
