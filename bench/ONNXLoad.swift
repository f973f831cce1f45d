import Foundation

/// Benchmark driver: reads an ONNX model with `ONNXFile.read(url:)` and prints the decode
/// time. With `--touch` it then sums every byte of every initializer, which pages the whole
/// mapped file in, and prints that time too.
@main
struct ONNXLoad {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let path = arguments.first(where: { !$0.hasPrefix("--") }) else {
            FileHandle.standardError.write(Data("usage: onnx-load MODEL.onnx [--touch]\n".utf8))
            exit(64)
        }

        let start = DispatchTime.now()
        let model = try ONNXFile.read(url: URL(fileURLWithPath: path))
        let decoded = DispatchTime.now()
        let initializers = model.graph?.initializer ?? []
        let bytes = initializers.reduce(0) { $0 + ($1.rawData?.count ?? 0) }
        print("decode: \(milliseconds(start, decoded)) ms, \(initializers.count) initializers, \(bytes) raw bytes")

        guard arguments.contains("--touch") else { return }
        var checksum: UInt64 = 0
        for tensor in initializers {
            tensor.rawData?.withUnsafeBytes { raw in
                for word in raw.bindMemory(to: UInt64.self) { checksum &+= word }
            }
        }
        print("touch: \(milliseconds(decoded, DispatchTime.now())) ms, checksum \(checksum)")
    }

    static func milliseconds(_ from: DispatchTime, _ to: DispatchTime) -> String {
        String(format: "%.1f", Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1e6)
    }
}
