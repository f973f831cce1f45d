import Foundation
import ONNX

extension Model {
    /// Reads an ONNX file. Weights stay slices of the memory-mapped file, and
    /// external data next to the model is resolved.
    /// - Throws: `ONNXError` for files that do not decode, `GraphError` for
    ///   content the IR does not hold (string tensors, sparse attributes).
    public static func load(from url: URL) throws -> Model {
        try Model(proto: ONNXFile.read(url: url))
    }

    /// Writes the model to `url` atomically (a temporary file renamed over the target).
    /// - Throws: `ONNXError.modelTooLarge` above protobuf's 2 GiB limit, `.fileSystem` on I/O errors.
    public func save(to url: URL) throws {
        try ONNXFile.write(proto, to: url)
    }
}
