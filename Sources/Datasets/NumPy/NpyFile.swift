import Foundation
import LinearAlgebra

/// Reads and writes NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
///
/// Layout: the magic `\x93NUMPY`, a major and a minor version byte, and the header length
/// (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3). The header dictionary
/// follows, padded with spaces and a newline, then the elements in the order it states.
/// Only C order is supported.
public enum NpyFile {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Header alignment that NumPy has used since 1.9; writers pad to it so that the data
    /// starts on an aligned offset when the file is memory-mapped.
    static let alignment = 64

    /// Reads an array from a file.
    /// - Throws: `DatasetError` for an unreadable file, a bad header, an unsupported dtype,
    ///   Fortran order or truncated data.
    public static func read(_ url: URL) throws -> NpyArray {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DatasetError.io(path: url.path, reason: "cannot read file: \(error.localizedDescription)")
        }
        return try decode([UInt8](data), path: url.path)
    }

    /// Reads a file as a `Float` tensor, converting integer, boolean and float64 elements.
    public static func readFloatTensor(_ url: URL) throws -> Tensor<Float> {
        try read(url).floatTensor()
    }

    /// Reads a file as a `Double` tensor, converting other element types.
    public static func readDoubleTensor(_ url: URL) throws -> Tensor<Double> {
        try read(url).doubleTensor()
    }

    /// Writes an array atomically (temporary file, then rename).
    public static func write(_ array: NpyArray, to url: URL) throws {
        try AtomicFile.write(Data(encode(array)), to: url)
    }

    /// Writes a float32 tensor atomically.
    public static func write(_ tensor: Tensor<Float>, to url: URL) throws {
        try write(NpyArray(tensor), to: url)
    }

    /// Writes a float64 tensor atomically.
    public static func write(_ tensor: Tensor<Double>, to url: URL) throws {
        try write(NpyArray(tensor), to: url)
    }

    /// Decodes the bytes of a `.npy` file; `path` only labels errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> NpyArray {
        let (header, dataOffset) = try readHeader(bytes, path: path)

        if header.fortranOrder { throw DatasetError.fortranOrder(path: path) }
        guard let dtype = NpyDType(descr: header.descr) else {
            throw DatasetError.unsupportedDType(path: path, dtype: header.descr)
        }

        let (count, overflow) = header.shape.reduce((1, false)) { partial, extent in
            let product = partial.0.multipliedReportingOverflow(by: extent)
            return (product.partialValue, partial.1 || product.overflow)
        }
        let (byteCount, byteOverflow) = count.multipliedReportingOverflow(by: dtype.byteWidth)
        if overflow || byteOverflow {
            throw DatasetError.invalidHeader(
                path: path, field: "shape", value: "\(header.shape)", reason: "element count overflows")
        }
        let available = bytes.count - dataOffset
        guard available >= byteCount else {
            throw DatasetError.truncated(path: path, expectedBytes: byteCount, actualBytes: available)
        }
        return NpyArray(dtype: dtype, shape: header.shape, bytes: Array(bytes[dataOffset..<(dataOffset + byteCount)]))
    }

    /// Encodes an array as a version 1.0 file, or 2.0 when the header exceeds 65 535 bytes.
    public static func encode(_ array: NpyArray) -> [UInt8] {
        let literal = NpyHeader(descr: array.dtype.rawValue, fortranOrder: false, shape: array.shape).literal
        var version: UInt8 = 1
        var header = padded(literal, prefixLength: magic.count + 2 + 2)
        if header.count > Int(UInt16.max) {
            version = 2
            header = padded(literal, prefixLength: magic.count + 2 + 4)
        }

        var output = magic + [version, 0]
        if version == 1 {
            output += withUnsafeBytes(of: UInt16(header.count).littleEndian) { Array($0) }
        } else {
            output += withUnsafeBytes(of: UInt32(header.count).littleEndian) { Array($0) }
        }
        output += header
        output += array.bytes
        return output
    }

    /// Pads the header with spaces and a final newline so that the data starts at a
    /// multiple of `alignment`.
    private static func padded(_ literal: String, prefixLength: Int) -> [UInt8] {
        let unpadded = prefixLength + literal.utf8.count + 1
        let padding = (alignment - unpadded % alignment) % alignment
        return Array(literal.utf8) + Array(repeating: 0x20, count: padding) + [0x0A]
    }

    private static func readHeader(_ bytes: [UInt8], path: String) throws -> (NpyHeader, Int) {
        guard bytes.count >= magic.count + 2, Array(bytes[0..<magic.count]) == magic else {
            let found = bytes.prefix(magic.count).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw DatasetError.invalidHeader(
                path: path, field: "magic", value: "[\(found)]", reason: "not a NumPy .npy file (expected 93 4e 55 4d 50 59)")
        }
        let major = bytes[6]
        let lengthWidth: Int
        switch major {
        case 1: lengthWidth = 2
        case 2, 3: lengthWidth = 4
        default:
            throw DatasetError.invalidHeader(
                path: path, field: "version", value: "\(major).\(bytes[7])", reason: "supported versions are 1.0, 2.0 and 3.0")
        }

        let lengthOffset = magic.count + 2
        guard bytes.count >= lengthOffset + lengthWidth else {
            throw DatasetError.truncated(path: path, expectedBytes: lengthOffset + lengthWidth, actualBytes: bytes.count)
        }
        var headerLength = 0
        for index in 0..<lengthWidth {
            headerLength |= Int(bytes[lengthOffset + index]) << (8 * index)
        }
        let headerStart = lengthOffset + lengthWidth
        guard bytes.count >= headerStart + headerLength else {
            throw DatasetError.invalidHeader(
                path: path, field: "header_len", value: "\(headerLength)",
                reason: "file has only \(bytes.count - headerStart) bytes after the length field")
        }

        // Versions 1 and 2 store the header in Latin-1, version 3 in UTF-8.
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        let text = major == 3
            ? String(decoding: headerBytes, as: UTF8.self)
            : String(headerBytes.map { Character(Unicode.Scalar($0)) })
        return (try NpyHeader.parse(text, path: path), headerStart + headerLength)
    }
}
