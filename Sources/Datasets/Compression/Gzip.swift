import CZlib
import Foundation

/// gzip (RFC 1952) decompression through zlib.
public enum Gzip {
    /// Inflates a gzip stream, including files made of several concatenated members.
    /// - Parameter path: labels errors only.
    /// - Throws: `DatasetError.decompressionFailed` with zlib's message for corrupt or
    ///   truncated input.
    public static func decompress(_ compressed: [UInt8], path: String = "<memory>") throws -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS selects gzip framing with the largest (32 KiB) window.
        let status = inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw DatasetError.decompressionFailed(path: path, reason: "inflateInit2 returned \(status)")
        }
        defer { inflateEnd(&stream) }

        var output = [UInt8]()
        output.reserveCapacity(expectedSize(compressed))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)

        try compressed.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)

            while true {
                let result = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])

                switch result {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Another gzip member may follow; restart the decoder on it.
                    if stream.avail_in == 0 { return }
                    inflateReset(&stream)
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw DatasetError.decompressionFailed(
                        path: path, reason: "stream ends early after \(input.count) compressed bytes")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(result)"
                    throw DatasetError.decompressionFailed(
                        path: path, reason: "\(message) at compressed byte \(Int(stream.total_in))")
                }
            }
        }
        return output
    }

    /// Reads and inflates a `.gz` file.
    public static func decompressFile(_ url: URL) throws -> [UInt8] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DatasetError.io(path: url.path, reason: "cannot read file: \(error.localizedDescription)")
        }
        return try decompress([UInt8](data), path: url.path)
    }

    /// Reads the ISIZE trailer (uncompressed size modulo 2^32) of the last member, used only
    /// as a capacity hint.
    private static func expectedSize(_ compressed: [UInt8]) -> Int {
        guard compressed.count >= 18 else { return 0 }
        let tail = compressed.suffix(4).map(Int.init)
        return min(tail[0] | tail[1] << 8 | tail[2] << 16 | tail[3] << 24, 1 << 30)
    }
}
