import Foundation

/// Reads and writes ONNX model files.
public enum ONNXFile {
    /// Protobuf's limit on the size of one serialized message: 2 GiB - 1 bytes.
    public static let protobufSizeLimit = Int(Int32.max)

    /// Reads the model at `url`.
    ///
    /// The file is memory-mapped, and every `rawData` is a slice of the mapping, so weights
    /// are not copied while reading. Tensors with `external_data` are resolved against files
    /// in the model's folder (also mapped); they come back with `rawData` set, no
    /// `externalData` entries and `dataLocation == .default`.
    /// - Throws: `ONNXError`, naming the field and byte offset of malformed input.
    public static func read(url: URL) throws -> ModelProto {
        let bytes = try MappedFile.map(path: url.path)
        return try read(bytes: bytes, externalDataFolder: url.deletingLastPathComponent())
    }

    /// Decodes a model from its serialized bytes.
    ///
    /// `rawData` fields are slices of `bytes` that share its storage, so their indices start
    /// at their offset in `bytes` rather than at zero. With `externalDataFolder` nil, tensors
    /// with external data keep their `externalData` entries and have no data.
    /// - Throws: `ONNXError`. Input that does not decode as a ModelProto, that defines neither
    ///   ir_version nor graph, or that is empty throws `.notONNX`.
    public static func read(bytes: Data, externalDataFolder: URL? = nil) throws -> ModelProto {
        let resolver = externalDataFolder.map { ExternalDataResolver(folder: $0) }
        return try bytes.withUnsafeBytes { input in
            try checkSignature(input)
            let context = DecodingContext(externalData: resolver)
            var reader = WireReader(input: input, source: bytes, message: "ModelProto", context: context)
            var decodedKnownField = false
            let model: ModelProto
            do {
                model = try ModelProto(from: &reader, decodedKnownField: &decodedKnownField)
            } catch let error as ONNXError where !decodedKnownField {
                let text = FileSignature.looksLikeText(input) ? "the input looks like text, and " : ""
                throw ONNXError.notONNX(reason: "\(text)it does not decode as a protobuf ModelProto: \(error)", offset: 0)
            }
            guard model.irVersion != 0 || model.graph != nil else {
                throw ONNXError.notONNX(reason: "the input defines neither ir_version nor graph", offset: 0)
            }
            return model
        }
    }

    private static func checkSignature(_ input: UnsafeRawBufferPointer) throws {
        guard !input.isEmpty else { throw ONNXError.notONNX(reason: "the input is empty", offset: 0) }
        if let kind = FileSignature.knownKind(of: input) {
            throw ONNXError.notONNX(reason: "the input is \(kind)", offset: 0)
        }
    }

    /// Serializes `model` with every tensor inline.
    /// - Throws: `ONNXError.modelTooLarge` when the encoding exceeds `protobufSizeLimit`.
    public static func encode(_ model: ModelProto) throws -> Data {
        let writer = try encodeChunks(model)
        var bytes = Data(capacity: writer.count)
        for chunk in writer.chunks { bytes.append(chunk) }
        return bytes
    }

    static func encodeChunks(_ model: ModelProto) throws -> WireWriter {
        var writer = WireWriter()
        model.encode(to: &writer)
        writer.finish()
        guard writer.count <= protobufSizeLimit else {
            throw ONNXError.modelTooLarge(bytes: writer.count, limit: protobufSizeLimit)
        }
        return writer
    }

    /// Writes `model` to `url`, replacing any existing file atomically: the bytes go to a
    /// temporary file in the same folder, which is then renamed over `url`.
    ///
    /// With `.singleFile`, tensors of at least the threshold move into that file next to the
    /// model (written the same way), and the model refers to them through `external_data`.
    /// - Throws: `ONNXError.modelTooLarge` when the model file would exceed 2 GiB (write it
    ///   with `.singleFile`), `.invalidExternalData` for a bad location, `.fileSystem` on I/O errors.
    public static func write(_ model: ModelProto, to url: URL, externalData: ExternalDataPolicy = .none) throws {
        let folder = url.deletingLastPathComponent()
        var model = model
        var externalFile: (url: URL, chunks: [Data])?
        if case .singleFile(let location, let threshold) = externalData {
            let chunks = try moveTensorsToExternalFile(&model, location: location, threshold: threshold)
            externalFile = (folder.appendingPathComponent(location), chunks)
        }

        let writer = try encodeChunks(model)
        let modelTemporary = try AtomicFile.writeTemporary(writer.chunks, beside: url)
        do {
            if let externalFile {
                let dataTemporary = try AtomicFile.writeTemporary(externalFile.chunks, beside: externalFile.url)
                try AtomicFile.rename(dataTemporary, to: externalFile.url)
            }
            try AtomicFile.rename(modelTemporary, to: url)
        } catch {
            unlink(modelTemporary.path)
            throw error
        }
    }

    /// Moves the data of every tensor of at least `threshold` bytes into one external file
    /// and returns that file's contents as chunks (data and alignment padding).
    static func moveTensorsToExternalFile(_ model: inout ModelProto, location: String, threshold: Int) throws -> [Data] {
        try ExternalReference.checkLocation(location) { reason in
            ONNXError.invalidExternalData(tensor: "", reason: reason, offset: 0)
        }
        let alignment = 4096
        var chunks: [Data] = []
        var size = 0
        model.graph?.updateTensors { tensor in
            guard tensor.dataLocation == .default, let bytes = tensor.littleEndianBytes(),
                bytes.count >= threshold, bytes.count > 0
            else { return }
            let padding = (alignment - size % alignment) % alignment
            if padding > 0 { chunks.append(Data(count: padding)) }
            size += padding
            tensor.moveToExternalFile(location: location, offset: size, length: bytes.count)
            chunks.append(bytes)
            size += bytes.count
        }
        return chunks
    }
}
