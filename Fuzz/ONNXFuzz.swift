import Foundation

// libFuzzer entry point: decodes arbitrary bytes as an ONNX model. Any crash, sanitizer
// report or memory blow-up is a bug in the decoder, but thrown ONNXErrors are expected. When
// the bytes decode, the model is encoded and decoded again, and both decodes must agree.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard let model = try? ONNXFile.read(bytes: bytes) else { return 0 }
    guard let encoded = try? ONNXFile.encode(model) else { return 0 }
    let reread: ModelProto
    do {
        reread = try ONNXFile.read(bytes: encoded)
    } catch {
        fatalError("re-encoded model fails to decode: \(error)")
    }
    if reread != model && !containsNaN(model) {
        fatalError("re-encoded model decodes to a different model")
    }
    return 0
}

/// True when a float attribute or tensor contains a NaN, which compares unequal to itself.
private func containsNaN(_ model: ModelProto) -> Bool {
    var found = false
    func visit(_ graph: GraphProto) {
        for tensor in graph.initializer where tensor.floatData.contains(where: \.isNaN) || tensor.doubleData.contains(where: \.isNaN) {
            found = true
        }
        for node in graph.node {
            for attribute in node.attribute {
                if attribute.f.isNaN || attribute.floats.contains(where: \.isNaN) { found = true }
                for tensor in [attribute.t].compactMap({ $0 }) + attribute.tensors
                where tensor.floatData.contains(where: \.isNaN) || tensor.doubleData.contains(where: \.isNaN) {
                    found = true
                }
                attribute.g.map(visit)
                attribute.graphs.forEach(visit)
            }
        }
    }
    model.graph.map(visit)
    return found
}
