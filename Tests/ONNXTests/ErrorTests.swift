import Foundation
import ONNX
import TestSupport
import Testing

/// Decodes `bytes` and returns the ONNXError it throws, or nil when it decodes.
func decodingError(_ bytes: Data, folder: URL? = nil) -> ONNXError? {
    do {
        _ = try ONNXFile.read(bytes: bytes, externalDataFolder: folder)
        return nil
    } catch let error as ONNXError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

@Suite("Errors for malformed input")
struct ErrorTests {
    @Test("varint cut off by the end of input")
    func truncatedVarint() {
        let bytes = modelPrefix().raw([0x28, 0x96]).data  // model_version, continuation bit set

        let error = decodingError(bytes)

        #expect(error == .truncated(message: "ModelProto", field: "model_version", offset: modelPrefix().count + 1))
    }

    @Test("truncated fixture reports the graph field")
    func truncatedFixture() throws {
        let url = try #require(TestEnvironment.fixture("torchvision/resnet18.graph.onnx"))
        let whole = try Data(contentsOf: url)

        let error = decodingError(whole.prefix(whole.count / 2))

        guard case .lengthPastEnd(let message, let field, let length, let available, let offset) = error else {
            Issue.record("expected lengthPastEnd, got \(String(describing: error))")
            return
        }
        #expect(message == "ModelProto")
        #expect(field == "graph")
        #expect(available < Int(length))
        #expect(offset + 1 + ProtobufBytes.varintBytes(length).count + available == whole.count / 2)
        #expect(offset < whole.count / 2)
        #expect(whole[offset] == 0x3A)  // the key of field 7 (graph), wire type 2
    }

    @Test("length prefix past the end of a nested message")
    func lengthPastEnd() {
        // TensorProto.name claims 10 bytes, but only 2 follow inside the tensor.
        let tensor = ProtobufBytes().varint(2, 1).raw([0x42, 0x0A, 0x61, 0x62])
        let (bytes, tensorOffset) = modelWithInitializer(tensor)

        let error = decodingError(bytes)

        #expect(error == .lengthPastEnd(message: "TensorProto", field: "name", length: 10, available: 2, offset: tensorOffset + 4))
    }

    @Test("known field with the wrong wire type")
    func wrongWireType() {
        let node = ProtobufBytes().fixed32(4, 1)  // op_type as fixed32
        let graph = ProtobufBytes().message(1, node)
        let bytes = modelPrefix().message(7, graph).data

        let error = decodingError(bytes)

        let nodeOffset = modelPrefix().count + 2
        #expect(error == .wrongWireType(message: "NodeProto", field: "op_type", expected: "length-delimited (2)", found: 5, offset: nodeOffset + 2))
    }

    @Test("repeated float with a varint wire type")
    func wrongWireTypeRepeated() {
        let tensor = ProtobufBytes().varint(2, 1).varint(4, 1)
        let (bytes, tensorOffset) = modelWithInitializer(tensor)

        let error = decodingError(bytes)

        #expect(error == .wrongWireType(message: "TensorProto", field: "float_data", expected: "fixed32 (5)", found: 0, offset: tensorOffset + 4))
    }

    @Test("group and undefined wire types", arguments: [3, 4, 6, 7] as [UInt8])
    func invalidWireType(_ wireType: UInt8) {
        let bytes = modelPrefix().raw([(13 << 3) | wireType, 0]).data

        let error = decodingError(bytes)

        #expect(error == .invalidWireType(message: "ModelProto", fieldNumber: 13, wireType: Int(wireType), offset: modelPrefix().count))
    }

    @Test("field number zero")
    func fieldNumberZero() {
        let error = decodingError(modelPrefix().raw([0x00, 0x01]).data)

        #expect(error == .invalidFieldNumber(message: "ModelProto", fieldNumber: 0, offset: modelPrefix().count))
    }

    @Test("varint longer than ten bytes")
    func overlongVarint() {
        let bytes = modelPrefix().raw([0x28] + [UInt8](repeating: 0xFF, count: 11) + [0x01]).data

        let error = decodingError(bytes)

        #expect(error == .malformedVarint(message: "ModelProto", field: "model_version", offset: modelPrefix().count + 1))
    }

    @Test("string that is not UTF-8")
    func invalidUTF8() {
        let bytes = modelPrefix().bytes(2, [0x66, 0xC3, 0x28]).data

        let error = decodingError(bytes)

        #expect(error == .invalidUTF8(message: "ModelProto", field: "producer_name", offset: modelPrefix().count))
    }

    @Test("negative dimension")
    func negativeDimension() {
        let tensor = ProtobufBytes().varint(1, 4).varint(1, -3).varint(2, 1).string(8, "w")
        let (bytes, tensorOffset) = modelWithInitializer(tensor)

        let error = decodingError(bytes)

        #expect(error == .negativeDimension(tensor: "w", index: 1, value: -3, offset: tensorOffset))
    }

    @Test("raw_data shorter than the dims require")
    func rawDataSizeMismatch() {
        let tensor = ProtobufBytes().varint(1, 2).varint(1, 3).varint(2, 1).string(8, "w")
            .bytes(9, [UInt8](repeating: 0, count: 20))
        let (bytes, tensorOffset) = modelWithInitializer(tensor)
        let rawDataOffset = tensorOffset + 2 + ProtobufBytes().varint(1, 2).varint(1, 3).varint(2, 1).string(8, "w").count

        let error = decodingError(bytes)

        #expect(error == .dataSizeMismatch(tensor: "w", field: "raw_data", expected: 24, actual: 20, offset: rawDataOffset))
    }

    @Test("typed field count differs from the dims")
    func typedDataSizeMismatch() {
        let packed = (0..<5).flatMap { withUnsafeBytes(of: Float($0).bitPattern.littleEndian, Array.init) }
        let header = ProtobufBytes().varint(1, 2).varint(1, 3).varint(2, 1).string(8, "w")
        let (bytes, tensorOffset) = modelWithInitializer(header.bytes(4, packed))

        let error = decodingError(bytes)

        #expect(error == .dataSizeMismatch(tensor: "w", field: "float_data", expected: 6, actual: 5, offset: tensorOffset + 2 + header.count))
    }

    @Test("int8 tensor without any data")
    func missingData() {
        let tensor = ProtobufBytes().varint(1, 4).varint(2, 3).string(8, "q")
        let (bytes, tensorOffset) = modelWithInitializer(tensor)

        let error = decodingError(bytes)

        #expect(error == .dataSizeMismatch(tensor: "q", field: "int32_data", expected: 4, actual: 0, offset: tensorOffset))
    }

    @Test("dims whose product overflows")
    func elementCountOverflow() {
        let tensor = ProtobufBytes().varint(1, 1 << 40).varint(1, 1 << 40).varint(2, 1).string(8, "big")
        let (bytes, tensorOffset) = modelWithInitializer(tensor)

        let error = decodingError(bytes)

        #expect(error == .elementCountOverflow(tensor: "big", dims: [1 << 40, 1 << 40], offset: tensorOffset))
    }

    @Test("missing external data file names tensor and path")
    func missingExternalFile() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = ProtobufBytes().string(1, "location").string(2, "weights.bin")
        let tensor = ProtobufBytes().varint(1, 4).varint(2, 1).string(8, "fc.weight")
            .message(13, location).varint(14, 1)
        let (bytes, tensorOffset) = modelWithInitializer(tensor)
        let url = folder.appendingPathComponent("model.onnx")
        try bytes.write(to: url)

        #expect(throws: ONNXError.missingExternalFile(tensor: "fc.weight", path: folder.appendingPathComponent("weights.bin").path, offset: tensorOffset)) {
            try ONNXFile.read(url: url)
        }
    }

    @Test("external data range past the end of its file")
    func externalDataOutOfRange() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(count: 10).write(to: folder.appendingPathComponent("weights.bin"))
        let tensor = ProtobufBytes().varint(1, 4).varint(2, 1).string(8, "w")
            .message(13, ProtobufBytes().string(1, "location").string(2, "weights.bin"))
            .message(13, ProtobufBytes().string(1, "offset").string(2, "4"))
            .message(13, ProtobufBytes().string(1, "length").string(2, "16"))
            .varint(14, 1)
        let (bytes, _) = modelWithInitializer(tensor)

        let error = decodingError(bytes, folder: folder)

        #expect(error == .externalDataOutOfRange(tensor: "w", path: folder.appendingPathComponent("weights.bin").path, dataOffset: 4, length: 16, fileSize: 10))
    }

    @Test("external location outside the model folder", arguments: ["../secret.bin", "/etc/passwd"])
    func externalLocationEscapes(_ location: String) {
        let tensor = ProtobufBytes().varint(1, 1).varint(2, 1).string(8, "w")
            .message(13, ProtobufBytes().string(1, "location").string(2, location)).varint(14, 1)
        let (bytes, _) = modelWithInitializer(tensor)

        let error = decodingError(bytes, folder: FileManager.default.temporaryDirectory)

        guard case .invalidExternalData(let tensorName, let reason, _) = error else {
            Issue.record("expected invalidExternalData, got \(String(describing: error))")
            return
        }
        #expect(tensorName == "w")
        #expect(reason.contains(location))
    }

    @Test("PNG image is not ONNX")
    func pngIsNotONNX() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]

        let error = decodingError(Data(png))

        #expect(error == .notONNX(reason: "the input is a PNG image", offset: 0))
    }

    @Test("text file is not ONNX")
    func textIsNotONNX() {
        let error = decodingError(Data("ir_version: 8\ngraph { name: \"g\" }\n".utf8))

        guard case .notONNX(let reason, _) = error else {
            Issue.record("expected notONNX, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("looks like text"))
    }

    @Test("empty input is not ONNX")
    func emptyIsNotONNX() {
        #expect(decodingError(Data()) == .notONNX(reason: "the input is empty", offset: 0))
    }

    @Test("message without ir_version or graph is not ONNX")
    func unrelatedProtobufIsNotONNX() {
        let bytes = ProtobufBytes().string(2, "producer").data

        #expect(decodingError(bytes) == .notONNX(reason: "the input defines neither ir_version nor graph", offset: 0))
    }

    @Test("subgraphs nested past the depth limit")
    func nestingTooDeep() {
        var graph = ProtobufBytes().string(2, "innermost")
        for _ in 0..<40 {
            let attribute = ProtobufBytes().string(1, "then_branch").message(6, graph).varint(20, 5)
            let node = ProtobufBytes().string(4, "If").message(5, attribute)
            graph = ProtobufBytes().message(1, node)
        }
        let bytes = modelPrefix().message(7, graph).data

        guard case .nestingTooDeep(let limit, let offset) = decodingError(bytes) else {
            Issue.record("expected nestingTooDeep")
            return
        }
        #expect(limit == 16)
        #expect(bytes[offset] == 0x32)  // key of AttributeProto.g (field 6, wire type 2)
    }

    @Test("inline model over 2 GiB is rejected")
    func modelTooLarge() throws {
        // Data(count:) reserves zeroed pages lazily, and encoding keeps a reference to
        // raw_data, so this test touches far less memory than the 2 GiB it describes.
        var tensor = TensorProto()
        tensor.name = "huge"
        tensor.dataType = .float
        tensor.dims = [1 << 29]
        tensor.rawData = Data(count: 1 << 31)
        var graph = GraphProto()
        graph.initializer = [tensor]
        var model = ModelProto()
        model.irVersion = 8
        model.graph = graph
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("huge.onnx")

        #expect {
            try ONNXFile.write(model, to: url)
        } throws: { error in
            guard case ONNXError.modelTooLarge(let bytes, let limit) = error else { return false }
            return bytes > 1 << 31 && limit == Int(Int32.max)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("error descriptions name field and offset")
    func errorDescription() {
        let error = ONNXError.wrongWireType(message: "NodeProto", field: "op_type", expected: "length-delimited (2)", found: 5, offset: 42)

        #expect(error.description == "NodeProto.op_type at byte 42: wire type 5 is invalid, expected length-delimited (2)")
    }
}
