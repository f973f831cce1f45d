import Foundation

/// An array in the IDX format of the MNIST family: shape plus unsigned bytes.
public struct IDXArray: Equatable, Sendable {
    /// Extent of each dimension, outermost first (e.g. `[60000, 28, 28]`).
    public let shape: [Int]
    /// Elements in row-major order.
    public let values: [UInt8]
}

/// Reader of IDX files as described by LeCun, Cortes and Burges for MNIST (1998).
///
/// Layout: two zero bytes, a type code (0x08 = unsigned byte), the dimension count, then
/// one big-endian 32-bit extent per dimension, then the elements. Only unsigned bytes are
/// supported because every MNIST-style data set uses them.
public enum IDXFile {
    /// Reads a file, inflating it first when its name ends in `.gz`.
    public static func read(_ url: URL) throws -> IDXArray {
        let bytes: [UInt8]
        if url.pathExtension == "gz" {
            bytes = try Gzip.decompressFile(url)
        } else {
            do {
                bytes = [UInt8](try Data(contentsOf: url))
            } catch {
                throw DatasetError.io(path: url.path, reason: "cannot read file: \(error.localizedDescription)")
            }
        }
        return try decode(bytes, path: url.path)
    }

    /// Decodes uncompressed IDX bytes; `path` only labels errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> IDXArray {
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            let found = bytes.prefix(4).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw DatasetError.invalidHeader(
                path: path, field: "magic", value: "[\(found)]", reason: "an IDX file starts with two zero bytes")
        }
        guard bytes[2] == 0x08 else {
            throw DatasetError.unsupportedDType(path: path, dtype: String(format: "IDX type 0x%02x", bytes[2]))
        }

        let rank = Int(bytes[3])
        let dataOffset = 4 + 4 * rank
        guard bytes.count >= dataOffset else {
            throw DatasetError.truncated(path: path, expectedBytes: dataOffset, actualBytes: bytes.count)
        }
        var shape: [Int] = []
        for axis in 0..<rank {
            let start = 4 + 4 * axis
            shape.append(bytes[start..<(start + 4)].reduce(0) { $0 << 8 | Int($1) })
        }

        let count = shape.reduce(1, *)
        let available = bytes.count - dataOffset
        guard available >= count else {
            throw DatasetError.truncated(path: path, expectedBytes: count, actualBytes: available)
        }
        return IDXArray(shape: shape, values: Array(bytes[dataOffset..<(dataOffset + count)]))
    }
}
