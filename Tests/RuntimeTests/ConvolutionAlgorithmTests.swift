import Testing

@testable import Runtime

/// The choice of convolution kernel, so that the operator cases exercise each one.
struct ConvolutionAlgorithmTests {
    static func geometry(
        channels: Int, outputs: Int, kernel: Int = 3, stride: Int = 1, pad: Int = 1, groups: Int = 1, size: Int = 56
    ) -> ConvolutionGeometry {
        let output = (size + 2 * pad - kernel) / stride + 1
        return ConvolutionGeometry(
            batch: 1, inputChannels: channels, inputHeight: size, inputWidth: size, outputChannels: outputs,
            outputHeight: output, outputWidth: output, kernelHeight: kernel, kernelWidth: kernel,
            strideHeight: stride, strideWidth: stride, padTop: pad, padLeft: pad, groups: groups)
    }

    @Test func denseNetLayerRunsShifted() {
        #expect(ConvolutionAlgorithm(Self.geometry(channels: 128, outputs: 32)) == .shifted)
    }

    @Test func wideLayerRunsWinograd() {
        #expect(ConvolutionAlgorithm(Self.geometry(channels: 128, outputs: 128)) == .winograd)
    }

    @Test func stridedLayerRunsGEMM() {
        #expect(ConvolutionAlgorithm(Self.geometry(channels: 64, outputs: 32, stride: 2)) == .gemm)
    }

    @Test func fewInputChannelsRunGEMM() {
        #expect(ConvolutionAlgorithm(Self.geometry(channels: 3, outputs: 32, kernel: 7, pad: 3)) == .gemm)
    }

    @Test func depthwiseLayerRunsDirect() {
        #expect(ConvolutionAlgorithm(Self.geometry(channels: 32, outputs: 32, groups: 32)) == .direct)
    }
}
