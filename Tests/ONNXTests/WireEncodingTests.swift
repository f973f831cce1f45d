import Foundation
import ONNX
import TestSupport
import Testing

@Suite("Wire encodings the writer never emits")
struct WireEncodingTests {
    @Test("unpacked repeated scalars decode")
    func unpackedRepeatedFields() throws {
        var tensor = ProtobufBytes().varint(1, 2).varint(1, 3).varint(2, 1).string(8, "w")
        for value: Float in [1, 2, 3, 4, 5, 6] { tensor = tensor.fixed32(4, value) }
        var doubles = ProtobufBytes().varint(1, 2).varint(2, 11).string(8, "d")
        doubles = doubles.fixed64(10, 0.5).fixed64(10, -2.25)
        var longs = ProtobufBytes().varint(1, 3).varint(2, 7).string(8, "l")
        for value: Int64 in [-1, 0, 1 << 40] { longs = longs.varint(7, value) }
        var unsigned = ProtobufBytes().varint(1, 2).varint(2, 13).string(8, "u")
        unsigned = unsigned.varint(11, -1).varint(11, 7)
        var ints = ProtobufBytes().varint(1, 2).varint(2, 3).string(8, "i8")
        ints = ints.varint(5, -128).varint(5, 127)
        let attribute = ProtobufBytes().string(1, "pads").varint(20, 7)
            .varint(8, 1).varint(8, 2).raw([]).varint(8, 3)
        let floats = ProtobufBytes().string(1, "scales").varint(20, 6).fixed32(7, 1.5).fixed32(7, 2.5)
        let node = ProtobufBytes().string(1, "x").string(2, "y").string(4, "Pad")
            .message(5, attribute).message(5, floats)
        let graph = ProtobufBytes().message(1, node).string(2, "g")
            .message(5, tensor).message(5, doubles).message(5, longs).message(5, unsigned).message(5, ints)

        let model = try ONNXFile.read(bytes: modelPrefix().message(7, graph).data)

        let initializers = try #require(model.graph?.initializer)
        #expect(initializers[0].dims == [2, 3])
        #expect(initializers[0].floatData == [1, 2, 3, 4, 5, 6])
        #expect(initializers[1].doubleData == [0.5, -2.25])
        #expect(initializers[2].int64Data == [-1, 0, 1 << 40])
        #expect(initializers[3].uint64Data == [UInt64.max, 7])
        #expect(initializers[4].int32Data == [-128, 127])
        let attributes = try #require(model.graph?.node.first?.attribute)
        #expect(attributes[0].ints == [1, 2, 3])
        #expect(attributes[0].type == .ints)
        #expect(attributes[1].floats == [1.5, 2.5])
    }

    @Test("packed and unpacked runs of one field concatenate")
    func mixedPackedAndUnpacked() throws {
        let packed = ProtobufBytes.varintBytes(4) + ProtobufBytes.varintBytes(5)
        let tensor = ProtobufBytes().varint(1, 3).bytes(1, [1]).varint(1, 1).varint(2, 7).string(8, "t")
            .varint(7, 9).bytes(7, packed)
        let (bytes, _) = modelWithInitializer(tensor)

        let model = try ONNXFile.read(bytes: bytes)

        let decoded = try #require(model.graph?.initializer.first)
        #expect(decoded.dims == [3, 1, 1])
        #expect(decoded.int64Data == [9, 4, 5])
    }

    @Test("unknown fields survive a round trip")
    func unknownFieldsRoundTrip() throws {
        // Field numbers 900..903 exist in no ONNX message. Each has another allowed wire type.
        let unknown = ProtobufBytes().varint(900, 300).fixed64(901, 1.0).string(902, "opaque").fixed32(903, 2.0)
        let tensor = ProtobufBytes().varint(2, 1).string(8, "t").fixed32(4, 1).raw(unknown.bytes)
        let node = ProtobufBytes().string(4, "Relu").raw(unknown.bytes)
        let graph = ProtobufBytes().message(1, node).string(2, "g").message(5, tensor).raw(unknown.bytes)
        let bytes = modelPrefix().message(7, graph).raw(unknown.bytes).data

        let model = try ONNXFile.read(bytes: bytes)
        let reread = try ONNXFile.read(bytes: try ONNXFile.encode(model))

        #expect(model.unknownFields == unknown.data)
        #expect(model.graph?.unknownFields == unknown.data)
        #expect(model.graph?.node.first?.unknownFields == unknown.data)
        #expect(model.graph?.initializer.first?.unknownFields == unknown.data)
        #expect(reread == model)
    }

    @Test("writer emits packed fields in field-number order")
    func writerLayout() throws {
        var tensor = TensorProto()
        tensor.name = "t"
        tensor.dims = [2]
        tensor.dataType = .int64
        tensor.int64Data = [1, 300]
        var graph = GraphProto()
        graph.initializer = [tensor]
        var model = ModelProto()
        model.irVersion = 8
        model.graph = graph

        let bytes = [UInt8](try ONNXFile.encode(model))

        // dims (1) packed, data_type (2), int64_data (7) packed, name (8).
        let expectedTensor: [UInt8] = [0x0A, 0x01, 0x02, 0x10, 0x07, 0x3A, 0x03, 0x01, 0xAC, 0x02, 0x42, 0x01, 0x74]
        let expected: [UInt8] = [0x08, 0x08, 0x3A, UInt8(expectedTensor.count + 2), 0x2A, UInt8(expectedTensor.count)]
            + expectedTensor
        #expect(bytes == expected)
    }
}
