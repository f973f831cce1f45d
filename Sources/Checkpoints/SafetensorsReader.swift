import Foundation

/// Reads safetensors files. A file starts with an 8-byte little-endian header length N and
/// N bytes of JSON that map tensor names to `{"dtype", "shape", "data_offsets": [begin, end]}`
/// and may contain a `__metadata__` object of strings. The data section follows. Offsets are
/// relative to the data section, and the safetensors library rejects files whose tensors do
/// not cover the whole section back to back, so this reader rejects gaps and overlaps too.
struct SafetensorsReader {
    /// Maximum JSON header length in bytes, the bound the safetensors library also applies.
    static let maximumHeaderLength = 100_000_000

    let bytes: [UInt8]
    let path: String

    private struct Entry {
        var name: String
        var elementType: StoredElementType
        var shape: [Int]
        var data: Range<Int>
    }

    func readStateDict() throws -> [String: StoredTensor] {
        let (header, dataStart) = try readHeader()
        var entries: [Entry] = []
        for (name, value) in header where name != "__metadata__" {
            entries.append(try parseEntry(name: name, value: value))
        }
        if let metadata = header["__metadata__"], !(metadata is [String: String]) {
            throw malformed("__metadata__", "must be an object of string values")
        }
        try checkLayout(&entries, dataLength: bytes.count - dataStart)

        var stateDict: [String: StoredTensor] = [:]
        for entry in entries {
            let descriptor = TensorDescriptor(
                storage: StorageReference(
                    key: entry.name, kind: .supported(entry.elementType),
                    declaredCount: entry.data.count / entry.elementType.byteCount, view: nil),
                offset: 0, shape: entry.shape, strides: rowMajorStrides(entry.shape))
            let range = (dataStart + entry.data.lowerBound)..<(dataStart + entry.data.upperBound)
            stateDict[entry.name] = try materialize(descriptor, name: entry.name, bytes: bytes, storageRange: range, path: path)
        }
        return stateDict
    }

    private func readHeader() throws -> (header: [String: Any], dataStart: Int) {
        guard bytes.count >= 8 else { throw CheckpointError.truncated(path: path, entry: "safetensors header length", offset: 0, needed: 8) }
        let length = littleEndianUInt64(bytes, at: 0)
        guard length <= UInt64(Self.maximumHeaderLength) else {
            throw malformed("header length", "\(length) bytes exceeds the limit of \(Self.maximumHeaderLength) bytes")
        }
        guard length <= UInt64(bytes.count - 8) else {
            throw CheckpointError.truncated(path: path, entry: "safetensors header", offset: 8, needed: Int(length))
        }
        let json = Data(bytes[8..<(8 + Int(length))])
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw malformed("header", "not valid JSON: \(error.localizedDescription)")
        }
        guard let header = parsed as? [String: Any] else { throw malformed("header", "not a JSON object") }
        return (header, 8 + Int(length))
    }

    private func parseEntry(name: String, value: Any) throws -> Entry {
        guard let fields = value as? [String: Any] else { throw malformed(name, "not an object") }
        guard let dtype = fields["dtype"] as? String else { throw malformed("\(name).dtype", "missing or not a string") }
        let elementType: StoredElementType
        switch dtype {
        case "F32": elementType = .float32
        case "F16": elementType = .float16
        case "BF16": elementType = .bfloat16
        case "I64": elementType = .int64
        default: throw CheckpointError.unsupportedElementType(path: path, tensor: name, type: dtype)
        }
        let shape = try integers(fields["shape"], field: "\(name).shape")
        guard shape.count <= maximumTensorRank else { throw malformed("\(name).shape", "has more than \(maximumTensorRank) dimensions") }
        let offsets = try integers(fields["data_offsets"], field: "\(name).data_offsets")
        guard offsets.count == 2, offsets[0] <= offsets[1] else {
            throw malformed("\(name).data_offsets", "must be [begin, end] with begin ≤ end, found \(offsets)")
        }
        guard let count = elementCount(shape), count <= Int.max / elementType.byteCount,
            count * elementType.byteCount == offsets[1] - offsets[0]
        else {
            throw malformed(
                "\(name).data_offsets",
                "spans \(offsets[1] - offsets[0]) bytes, but shape \(shape) of \(dtype) needs a different size")
        }
        return Entry(name: name, elementType: elementType, shape: shape, data: offsets[0]..<offsets[1])
    }

    /// Reads an array of non-negative JSON integers, rejecting booleans and fractions.
    private func integers(_ value: Any?, field: String) throws -> [Int] {
        guard let array = value as? [Any] else { throw malformed(field, "missing or not an array") }
        return try array.map { element in
            // JSONSerialization returns booleans and fractions as NSNumber too, with the
            // Objective-C type codes "c" (char) and "d" (double).
            guard let number = element as? NSNumber, !["c", "d", "f"].contains(String(cString: number.objCType)),
                let integer = element as? Int, integer >= 0
            else {
                throw malformed(field, "contains \(element), expected a non-negative integer")
            }
            return integer
        }
    }

    /// Checks that the tensors, sorted by offset, tile the data section exactly.
    private func checkLayout(_ entries: inout [Entry], dataLength: Int) throws {
        entries.sort { ($0.data.lowerBound, $0.data.upperBound, $0.name) < ($1.data.lowerBound, $1.data.upperBound, $1.name) }
        var expectedStart = 0
        for entry in entries {
            guard entry.data.lowerBound == expectedStart else {
                let problem = entry.data.lowerBound < expectedStart ? "overlaps the previous tensor" : "leaves a gap after the previous tensor"
                throw malformed("\(entry.name).data_offsets", "\(entry.data) \(problem), which ends at \(expectedStart)")
            }
            guard entry.data.upperBound <= dataLength else {
                throw malformed("\(entry.name).data_offsets", "\(entry.data) ends past the data section of \(dataLength) bytes")
            }
            expectedStart = entry.data.upperBound
        }
        guard expectedStart == dataLength else {
            throw malformed("data_offsets", "the tensors cover \(expectedStart) of the \(dataLength) bytes of the data section")
        }
    }

    private func malformed(_ field: String, _ reason: String) -> CheckpointError {
        .malformedSafetensors(path: path, field: field, reason: reason)
    }
}

func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var stride = 1
    for axis in shape.indices.reversed() {
        strides[axis] = stride
        stride = stride &* max(shape[axis], 1)
    }
    return strides
}
